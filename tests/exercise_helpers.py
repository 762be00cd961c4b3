"""Helpers shared by the tests of the exercise checks."""


def stub(*args):
    """An untouched exercise stub."""
    raise NotImplementedError


def failed_with(result, *words):
    """The check was attempted and failed, and its message names every one of ``words``."""
    assert not result.passed and result.attempted, result
    for w in words:
        assert w in result.message, (w, result.message)
