"""Automatic checks for the notebooks' exercises.

Each exercise gives the learner a stub that raises ``NotImplementedError``. The notebook
then calls :func:`check`, which runs the learner's function and the reference on the same
random inputs and says, in words, what is wrong. An untouched stub is reported as "not
attempted yet" and never breaks the notebook run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

__all__ = ["CheckResult", "check", "NOT_ATTEMPTED"]

NOT_ATTEMPTED = "not attempted yet"


@dataclass
class CheckResult:
    name: str
    passed: bool
    attempted: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        mark = "PASS" if self.passed else ("TODO" if not self.attempted else "FAIL")
        return f"[{mark}] {self.name}: {self.message}"


def _compare(got, want, atol, rtol, where="result") -> str | None:
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return f"{where} should be a sequence of {len(want)} values"
        for i, (g, w) in enumerate(zip(got, want)):
            if (msg := _compare(g, w, atol, rtol, f"{where}[{i}]")) is not None:
                return msg
        return None
    want_t = torch.as_tensor(want)
    try:
        got_t = torch.as_tensor(got)
    except Exception:
        return f"{where} should be a tensor or number, got {type(got).__name__}"
    if got_t.shape != want_t.shape:
        return f"{where} has shape {tuple(got_t.shape)}, expected {tuple(want_t.shape)}"
    if not torch.isfinite(got_t.float()).all():
        return f"{where} contains NaN or infinity (take logs of probabilities carefully: use logits)"
    if not torch.allclose(got_t.double(), want_t.double(), atol=atol, rtol=rtol):
        err = (got_t.double() - want_t.double()).abs().max().item()
        return f"{where} differs from the reference by up to {err:.3g}"
    return None


def check(name: str, learner: Callable, reference: Callable, make_inputs: Callable[[torch.Generator], tuple],
          *, trials: int = 3, atol: float = 1e-5, rtol: float = 1e-4, hint: str = "") -> CheckResult:
    """Compare ``learner(*inputs)`` with ``reference(*inputs)`` on ``trials`` random inputs."""
    for t in range(trials):
        g = torch.Generator().manual_seed(1234 + t)
        inputs = make_inputs(g)
        try:
            got = learner(*inputs)
        except NotImplementedError:
            return CheckResult(name, False, False, NOT_ATTEMPTED)
        except Exception as err:  # the learner's bug, reported, not raised
            return CheckResult(name, False, True, f"raised {type(err).__name__}: {err}")
        want = reference(*inputs)
        if (msg := _compare(got, want, atol, rtol)) is not None:
            return CheckResult(name, False, True, msg + (f". Hint: {hint}" if hint else ""))
    return CheckResult(name, True, True, f"matches the reference on {trials} random inputs")


# ------------------------------------------------------------------ notebook 00: evaluation


def _scores_and_labels(g: torch.Generator):
    n = int(torch.randint(20, 60, (1,), generator=g))
    y = torch.rand(n, generator=g) < 0.3
    y[0], y[1] = True, False  # both classes present
    s = torch.randn(n, generator=g) + 1.5 * y.float()
    return s.numpy(), y.numpy()


def _reference_auroc(scores, is_anomaly):
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(is_anomaly, scores))


def check_auroc(fn) -> CheckResult:
    """Exercise: ``fn(scores, is_anomaly)`` returns the AUROC (probability that an anomaly
    outscores a normal image, ties counting one half)."""
    return check("AUROC by counting pairs", fn, _reference_auroc, _scores_and_labels,
                 hint="compare every anomaly's score with every normal score; count ties as 1/2")


def _reference_threshold(val_scores, percentile):
    import numpy as np

    return float(np.percentile(val_scores, percentile))


def check_validation_threshold(fn) -> CheckResult:
    """Exercise: ``fn(val_scores, percentile)`` returns the threshold that flags about
    (100 - percentile) % of normal validation images."""
    def inputs(g):
        return torch.randn(50, generator=g).numpy(), float(torch.randint(80, 99, (1,), generator=g))

    return check("threshold from validation scores", fn, _reference_threshold, inputs,
                 hint="numpy's percentile of the validation scores (never of the test scores)")


# ------------------------------------------------------------------ notebook 06: comparison


def _reference_mean_auroc(rows, method, dataset):
    import numpy as np

    by_seed: dict = {}
    for r in rows:
        if r["method"] == method and r["dataset"] == dataset:
            by_seed.setdefault(r["seed"], []).append(r["auroc"])
    return float(np.mean([np.mean(v) for v in by_seed.values()]))


def _random_rows(g: torch.Generator):
    rows = []
    for method in ("knn", "ganomaly"):
        for dataset in ("mnist", "fashion_mnist"):
            for seed in range(int(torch.randint(1, 4, (1,), generator=g))):
                n_classes = int(torch.randint(2, 11, (1,), generator=g)) if seed == 0 else 10
                for c in range(n_classes):
                    rows.append({"method": method, "dataset": dataset, "class": c, "seed": seed,
                                 "auroc": float(torch.rand(1, generator=g))})
    return rows, "ganomaly", "fashion_mnist"


def check_mean_auroc(fn) -> CheckResult:
    """Exercise: ``fn(rows, method, dataset)`` averages AUROC over classes per seed, then over seeds."""
    return check("mean AUROC over classes and seeds", fn, _reference_mean_auroc, _random_rows,
                 hint="keep only the rows of that method and data set; average per seed first "
                      "(seeds may cover different numbers of classes)")
