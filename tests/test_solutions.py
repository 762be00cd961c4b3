"""Every solution in docs/solutions.md passes its check, every check has a solution there, and every
heading names the exercise's number as its notebook gives it."""

import inspect
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from ganad_lib import exercises

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "docs" / "solutions.md"
#: a solution's heading: "### Exercise N<anything> (check_name)", then text, then its first python block
BLOCK = re.compile(r"^### Exercise \d+[^\n]*\((check_\w+)\)\n(.*?)```python\n(.*?)```", re.S | re.M)


def solutions() -> dict[str, str]:
    return {m.group(1): m.group(3) for m in BLOCK.finditer(SOLUTIONS.read_text())}


CHECKS = sorted(name for name in exercises.__all__ if name.startswith("check_"))


def test_every_check_has_one_solution():
    assert sorted(solutions()) == CHECKS
    assert len(BLOCK.findall(SOLUTIONS.read_text())) == len(CHECKS)


@pytest.mark.parametrize("check", CHECKS)
def test_solution_passes_its_check(check):
    namespace = {"np": np, "torch": torch, "__name__": "solutions"}
    exec(compile(solutions()[check], f"docs/solutions.md:{check}", "exec"), namespace)
    fns = [v for k, v in namespace.items() if k.startswith("my_") and callable(v)]
    assert len(fns) == 1, f"{check}: one my_* function per block"
    check_fn = getattr(exercises, check)
    kwargs = {k: namespace[k] for k in list(inspect.signature(check_fn).parameters)[1:] if k in namespace}
    result = check_fn(fns[0], **kwargs)   # e.g. a prediction the check asks for besides the function
    assert result.passed, result


def headings() -> list[tuple[str, str]]:
    """(notebook number, heading line) of every exercise heading, code blocks skipped."""
    notebook, in_code, found = None, False, []
    for line in SOLUTIONS.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (m := re.match(r"^## Notebook (\d\d) ", line)):
            notebook = m.group(1)
        elif not in_code and line.startswith("### "):
            found.append((notebook, line))
    return found


def test_every_heading_names_its_notebook_and_exercise_number():
    """A learner finds a solution by notebook and exercise number: each heading sits under its notebook's
    section and names the number the notebook gives the exercise that calls its check (or, for an open
    exercise, the number of an exercise the notebook marks as open)."""
    assert headings()
    for notebook, line in headings():
        m = re.match(r"^### Exercise (\d+)\b", line)
        assert notebook and m, f"a heading without a notebook section or an exercise number: {line!r}"
        number = int(m.group(1))
        (text_file,) = (ROOT / "notebooks" / "text").glob(f"{notebook}_*.py")
        text = text_file.read_text()
        check = re.search(r"\((check_\w+)\)$", line)
        if check:
            call = text.find(f"exercises.{check.group(1)}(")
            assert call >= 0, f"{check.group(1)} is not called in {text_file.name}"
            numbers = re.findall(r"\*\*Exercise (\d+)\b", text[:call])
            assert numbers and int(numbers[-1]) == number, (line, text_file.name, numbers[-1:])
        else:
            assert re.search(rf"\*\*Exercise {number} \(open\b", text), (line, text_file.name)
