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


# ---------------------------------------------------------------- collapsed cells
# A cell whose code only writes a paragraph from numbers already computed may be collapsed (metadata
# source_hidden, tag hide-input: JupyterLab folds it, `make course` leaves its code out of the HTML).
# Anything that computes a number must stay in the open: a collapsed cell holds only display(Markdown(...))
# calls (possibly under an if) and assignments of text (f-strings, strings, joins, + of those).

import ast  # noqa: E402

HIDE_TAG = "hide-input"


def _texty(e) -> bool:
    if isinstance(e, ast.JoinedStr) or (isinstance(e, ast.Constant) and isinstance(e.value, str)):
        return True
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
        return _texty(e.left) or _texty(e.right)
    if isinstance(e, ast.IfExp):
        return _texty(e.body) and _texty(e.orelse)
    return (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "join"
            and isinstance(e.func.value, ast.Constant))


def _writes_prose_only(stmt) -> bool:
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        f, args = stmt.value.func, stmt.value.args
        return (getattr(f, "id", None) == "display" and len(args) == 1 and isinstance(args[0], ast.Call)
                and getattr(args[0].func, "id", None) == "Markdown")
    if isinstance(stmt, ast.If):
        return all(map(_writes_prose_only, stmt.body + stmt.orelse))
    return isinstance(stmt, (ast.Assign, ast.AugAssign)) and _texty(stmt.value)


RESULTS_CHECK_END = 'print("all results checks passed")'


def is_results_check(cell) -> bool:
    """The notebook's results check: its last code cell, which asserts the notebook's claims for maintainers
    and ends by printing that they passed. It may be collapsed although it computes: it shows a learner no
    number, and its code stays in the text twin and in the diff."""
    return cell.cell_type == "code" and cell.source.rstrip().endswith(RESULTS_CHECK_END)


def collapsed_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and HIDE_TAG in c.metadata.get("tags", [])
            and not is_results_check(c)]


def test_the_prose_rule_refuses_computation():
    assert _writes_prose_only(ast.parse('display(Markdown(f"AUROC {a:.2f}"))').body[0])
    assert _writes_prose_only(ast.parse('words = "high" if a > 0.9 else "low"').body[0])
    for code in ("auroc = roc_auc_score(y, s)", "display(fig)", "x = 1", "print(f'{a}')",
                 "if a:\n    a = compute(a)", 'words = f"{a}"; gan.fit(x)'):
        assert not all(map(_writes_prose_only, ast.parse(code).body)), code


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_collapsed_cells_only_write_prose(nb):
    for cell in collapsed_cells(jupytext.read(nb)):
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, \
            f"{nb.name}: a cell tagged {HIDE_TAG} is not collapsed in JupyterLab (jupyter.source_hidden)"
        assert ast.parse(cell.source).body, f"{nb.name}: an empty collapsed cell (its prose went elsewhere): delete it"
        bad = [s for s in ast.parse(cell.source).body if not _writes_prose_only(s)]
        assert not bad, (f"{nb.name}: a collapsed cell computes something, which a learner must see: "
                         f"{ast.unparse(bad[0])[:120]!r}; move it to the open cell above")
    assert not [c for c in jupytext.read(nb).cells if c.cell_type == "code" and HIDE_TAG not in
                c.metadata.get("tags", []) and c.metadata.get("jupyter", {}).get("source_hidden")], \
        f"{nb.name}: a collapsed cell without the {HIDE_TAG} tag would show its code in the HTML"
