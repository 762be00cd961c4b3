"""Every notebook has a text twin (jupytext percent format) that a reviewer can diff and ruff can lint.

`notebooks/text/NN_name.py` is generated from `notebooks/NN_name.ipynb` by `make notebook-text`
(outputs left out). This test fails when the two disagree, i.e. when a notebook was edited without
regenerating its twin, or a twin without its notebook.
"""

from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def as_text(path: Path) -> str:
    nb = jupytext.read(path)
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ("kernelspec",)}
    return jupytext.writes(nb, fmt="py:percent")


def test_every_notebook_has_a_twin_and_no_twin_is_orphaned():
    twins = sorted((REPO / "notebooks" / "text").glob("*.py"))
    assert [p.stem for p in twins] == [p.stem for p in NOTEBOOKS], "run `make notebook-text`"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_text_twin_is_in_sync(nb):
    twin = REPO / "notebooks" / "text" / f"{nb.stem}.py"
    assert twin.is_file(), f"{twin} is missing: run `make notebook-text`"
    assert twin.read_text() == as_text(nb), f"{twin.name} differs from {nb.name}: run `make notebook-text`"
