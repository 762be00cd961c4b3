"""Every solution in docs/solutions.md passes its check, and every check has a solution there."""

import re
from pathlib import Path

import numpy as np
import pytest
import torch

from ganad_lib import exercises

SOLUTIONS = Path(__file__).resolve().parents[1] / "docs" / "solutions.md"
BLOCK = re.compile(r"^### (check_\w+)\n(.*?)```python\n(.*?)```", re.S | re.M)


def solutions() -> dict[str, str]:
    return {m.group(1): m.group(3) for m in BLOCK.finditer(SOLUTIONS.read_text())}


CHECKS = sorted(name for name in exercises.__all__ if name.startswith("check_"))


def test_every_check_has_one_solution():
    assert sorted(solutions()) == CHECKS


@pytest.mark.parametrize("check", CHECKS)
def test_solution_passes_its_check(check):
    namespace = {"np": np, "torch": torch, "__name__": "solutions"}
    exec(compile(solutions()[check], f"docs/solutions.md:{check}", "exec"), namespace)
    fns = [v for k, v in namespace.items() if k.startswith("my_") and callable(v)]
    assert len(fns) == 1, f"{check}: one my_* function per block"
    result = getattr(exercises, check)(fns[0])
    assert result.passed, result
