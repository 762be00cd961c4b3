"""Automatic checks for the notebooks' exercises.

Each exercise gives the learner a stub that raises ``NotImplementedError``. The notebook then
calls a ``check_*`` function, which runs the learner's function and the reference on the same
random inputs and says, in words, what is wrong; for the mistakes learners make most often it
names the mistake. An untouched stub is reported as "not attempted yet" and never breaks the
notebook run. A function that only calls the library's own implementation (or scikit-learn's)
is refused: the exercise is to write it.

The reference solutions live in ``docs/solutions.md`` (out of the learner's way);
``tests/test_solutions.py`` runs every one of them through its check, and the ``tests/test_exercises*``
files feed each check the wrong answers it must reject.
"""

from __future__ import annotations

import copy
import functools
import math
import sys
import types
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import torch

__all__ = ["CheckResult", "check", "NOT_ATTEMPTED",
           "check_auroc", "check_validation_threshold", "check_false_alarm_se", "check_false_alarm_rate",
           "check_flag_all_f1",
           "check_optimal_discriminator", "check_frechet_distance", "check_frechet_floor",
           "check_chance_agreement", "check_rescaled_share", "check_slerp",
           "check_best_code_search", "check_recall_interval",
           "check_standardised_score", "check_permutation_test",
           "check_paper_adversarial_loss", "check_validation_minmax", "check_minmax_flip", "check_split_optimism",
           "check_mean_auroc", "check_confidence_interval", "check_holm", "check_class_differences"]

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


def _fail(name: str, message: str) -> CheckResult:
    return CheckResult(name, False, True, message)


def _prediction(name: str, var: str, value, what: str):
    """A learner's numeric prediction ``value`` (the variable ``var``, predicting ``what``) as a float, or the
    CheckResult that says it is missing (the function part passed) or not a number."""
    if value is None:
        return CheckResult(name, False, False, f"your function is right; now set {var} to your prediction of "
                                               f"{what}, and run the check again")
    try:
        return float(value)
    except (TypeError, ValueError):
        return _fail(name, f"{var} should be a number, got {value!r}")


def _compare(got, want, atol, rtol, where="result") -> str | None:
    if isinstance(want, (tuple, list)):
        if (isinstance(got, (np.ndarray, torch.Tensor)) and got.ndim == 1 and len(got) == len(want)
                and all(isinstance(w, (int, float, np.number)) for w in want)):
            got = list(got.tolist())   # (low, high) returned as an array of two numbers is the same answer
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return f"{where} should be a sequence of {len(want)} values"
        for i, (g, w) in enumerate(zip(got, want)):
            if (msg := _compare(g, w, atol, rtol, f"{where}[{i}]")) is not None:
                return msg
        return None
    want_t = torch.as_tensor(want)
    try:
        got_t = torch.as_tensor(np.asarray(got) if not torch.is_tensor(got) else got)
    except Exception:
        return f"{where} should be a tensor or number, got {type(got).__name__}"
    if got_t.shape != want_t.shape:
        return f"{where} has shape {tuple(got_t.shape)}, expected {tuple(want_t.shape)}"
    if not torch.isfinite(got_t.double()).all():
        return f"{where} contains NaN or infinity (take logs of probabilities carefully: use logits)"
    if not torch.allclose(got_t.double(), want_t.double(), atol=atol, rtol=rtol):
        err = (got_t.double() - want_t.double()).abs().max().item()
        return f"{where} differs from the reference by up to {err:.3g}"
    return None


def _matches(got, want, atol=1e-5, rtol=1e-4) -> bool:
    try:
        return _compare(got, want, atol, rtol) is None
    except Exception:
        return False


def _changed_inputs(before: tuple, after: tuple) -> str | None:
    """The position of the first tensor input that ``after`` holds with other values or flags."""
    for i, (x, y) in enumerate(zip(before, after)):
        if torch.is_tensor(x) and torch.is_tensor(y):
            if x.shape != y.shape or x.requires_grad != y.requires_grad or not torch.equal(x.detach(), y.detach()):
                return f"#{i + 1}"
        elif isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
            if x.shape != y.shape or not np.array_equal(x, y):
                return f"#{i + 1}"
        elif isinstance(x, list) and isinstance(y, list) and x != y:   # a list sorted in place, say
            return f"#{i + 1}"
    return None


# ------------------------------------------------------------------ "write it yourself"


def _names_used(code) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names_used(const)
    return names


def _attributes_used(code) -> set[str]:
    """The names ``code`` (and its nested functions) reads as attributes: ``interval`` in ``stats.t.interval``."""
    import dis

    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_ATTR", "LOAD_METHOD")}
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _attributes_used(const)
    return names


def _has_contents(cell) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:
        return False
    return True


def _getattr_quiet(obj, name):
    try:
        return getattr(obj, name, None)
    except Exception:   # a property that raises is not a function the learner called
        return None


def _same_function(a, f) -> bool:
    """``a is f``, or the same method of the same object (each attribute access makes a new bound method)."""
    if a is f:
        return True
    fa, ff = getattr(a, "__func__", None), getattr(f, "__func__", None)
    return fa is not None and fa is ff and getattr(a, "__self__", None) is getattr(f, "__self__", None)


def _borrowed(fn, forbidden: Iterable, _depth: int = 0) -> str | None:
    """The name of a forbidden function that ``fn`` is, or calls (also through the learner's own
    helper functions, a few levels deep); None when it writes the computation itself."""
    forbidden = [f for f in forbidden if f is not None]
    if not forbidden:
        return None
    target = getattr(fn, "__func__", fn)
    for f in forbidden:
        if target is f or getattr(target, "__wrapped__", None) is f:
            return getattr(f, "__name__", repr(f))
    code, glob = getattr(target, "__code__", None), getattr(target, "__globals__", None)
    if code is None or glob is None:
        return None
    names = _names_used(code)
    closure = [c.cell_contents for c in (getattr(target, "__closure__", None) or ()) if _has_contents(c)]
    for f in forbidden:
        if any(obj is f for obj in closure):
            return getattr(f, "__name__", repr(f))
    # modules the code reaches by name: ``comparison`` in ``comparison.holm``, ``ganad_lib.comparison`` in
    # ``from ganad_lib.comparison import holm``, and modules that are attributes of those
    with warnings.catch_warnings():   # looking up an attribute of a deprecated module warns
        warnings.simplefilter("ignore")
        modules = [m for m in (glob.get(n, sys.modules.get(n)) for n in names) if isinstance(m, types.ModuleType)]
        modules += [a for m in modules for n in names if isinstance(a := getattr(m, n, None), types.ModuleType)]
        reached = {n: [getattr(m, n, None) for m in modules] for n in names}
        # ... and one level into the objects those modules hold: ``stats.t.interval`` (a bound method)
        holders = [a for m in modules for n in names
                   if (a := getattr(m, n, None)) is not None and not isinstance(a, (types.ModuleType, type))]
        for n in _attributes_used(code):
            reached.setdefault(n, [])
            reached[n] += [_getattr_quiet(h, n) for h in holders]
    for name in names:
        obj = glob.get(name)
        for f in forbidden:
            if obj is f:
                return name
            # an attribute such as ``metrics.roc_auc_score``: the name is in co_names, and the
            # learner has no function of that name of their own
            if name == getattr(f, "__name__", None) and obj is None:
                return name
            # ... or one the learner's own function shares (their ``holm`` calling ``comparison.holm``)
            if any(_same_function(a, f) for a in reached[name]):
                return name
    if _depth < 3:  # the learner's own helpers, defined in the same notebook or module
        for name in names:
            obj = glob.get(name)
            if callable(obj) and getattr(obj, "__module__", None) == getattr(target, "__module__", 0) \
                    and hasattr(obj, "__code__") and obj is not target:
                if (hit := _borrowed(obj, forbidden, _depth + 1)) is not None:
                    return hit
    return None


def _refuse_borrowed(name: str, fn, forbidden) -> CheckResult | None:
    if (hit := _borrowed(fn, forbidden)) is not None:
        return _fail(name, f"your function uses `{hit}`, which already computes the answer; the exercise is to "
                           f"write the computation yourself (you may compare with `{hit}` afterwards)")
    return None


def check(name: str, learner: Callable, reference: Callable, make_inputs: Callable[[torch.Generator], tuple],
          *, trials: int = 3, atol: float = 1e-5, rtol: float = 1e-4, hint: str = "",
          forbidden: Iterable = ()) -> CheckResult:
    """Compare ``learner(*inputs)`` with ``reference(*inputs)`` on ``trials`` random inputs.

    ``forbidden``: functions the learner's answer may not call (the library's own version).
    """
    if (refused := _refuse_borrowed(name, learner, forbidden)) is not None:
        return refused
    for t in range(trials):
        g = torch.Generator().manual_seed(1234 + t)
        inputs = make_inputs(g)
        want = reference(*copy.deepcopy(inputs))  # each side gets its own copy of the inputs
        mine = copy.deepcopy(inputs)
        try:
            got = learner(*mine)
        except NotImplementedError:
            return CheckResult(name, False, False, NOT_ATTEMPTED)
        except Exception as err:  # the learner's bug, reported, not raised
            return _fail(name, f"raised {type(err).__name__}: {err}")
        if (changed := _changed_inputs(inputs, mine)) is not None:
            return _fail(name, f"your function changed its input {changed} in place; "
                               f"work on a copy (x.clone() of a tensor, x.copy() of an array or a list) instead")
        if (msg := _compare(got, want, atol, rtol)) is not None:
            return _fail(name, msg + (f". Hint: {hint}" if hint else ""))
    return CheckResult(name, True, True, f"matches the reference on {trials} random inputs")


def _diagnose(result: CheckResult, learner: Callable, make_inputs: Callable, variants: dict) -> CheckResult:
    """When a check fails, test the learner's answer against known mistakes and name the one made."""
    if result.passed or not result.attempted or result.message.startswith(("your function uses",
                                                                            "your function changed its input")):
        return result
    inputs = make_inputs(torch.Generator().manual_seed(1234))
    try:
        got = learner(*copy.deepcopy(inputs))
    except Exception:
        return result
    for wrong, message in variants.items():
        try:
            want = wrong(*copy.deepcopy(inputs))
        except Exception:
            continue
        if _matches(got, want):
            return _fail(result.name, message)
    return result


def _attempt(name: str, fn: Callable, *args):
    """(result, None) or (None, CheckResult) for a stub or a function that raises."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, CheckResult(name, False, False, NOT_ATTEMPTED)
    except Exception as err:
        return None, _fail(name, f"raised {type(err).__name__}: {err}")


# ------------------------------------------------------------------ notebook 00: evaluation


def _scores_and_labels(g: torch.Generator):
    """Scores rounded to one decimal, so that many anomalies tie with normal images."""
    n = int(torch.randint(30, 80, (1,), generator=g))
    y = torch.rand(n, generator=g) < 0.3
    y[0], y[1] = True, False  # both classes present
    s = torch.round((torch.randn(n, generator=g) + 1.0 * y.float()) * 2) / 2
    return s.numpy(), y.numpy()


def _pairs_auroc(scores, is_anomaly, tie: float = 0.5):
    s, y = np.asarray(scores, dtype=float), np.asarray(is_anomaly, dtype=bool)
    diff = s[y][:, None] - s[~y][None, :]
    return float(((diff > 0).sum() + tie * (diff == 0).sum()) / diff.size)


def check_auroc(fn) -> CheckResult:
    """Exercise (notebook 00): ``fn(scores, is_anomaly)`` returns the AUROC, the probability that
    an anomaly outscores a normal image, ties counting one half. The scores tie often."""
    from scipy import stats
    from sklearn import metrics as skm

    from . import metrics

    name = "AUROC by counting pairs"
    result = check(name, fn, _pairs_auroc, _scores_and_labels,
                   hint="compare every anomaly's score with every normal score; count ties as 1/2",
                   forbidden=(skm.roc_auc_score, skm.roc_curve, skm.auc, metrics.evaluate, stats.mannwhitneyu))
    if not result.passed and result.attempted and not result.message.startswith("your function uses"):
        got, _ = _attempt(name, fn, *_scores_and_labels(torch.Generator().manual_seed(1234)))
        try:
            if got is not None and not 0.0 <= float(got) <= 1.0:
                return _fail(name, f"you returned {float(got):.3g}: AUROC is a probability in [0, 1]. Divide the "
                                   f"count by the number of (anomaly, normal) pairs")
        except (TypeError, ValueError):
            pass
    return _diagnose(result, fn, _scores_and_labels, {
        lambda s, y: _pairs_auroc(s, y, 0.0): "ties are counted as losses: a tie between an anomaly and a "
                                              "normal image counts one half (the scores here tie often)",
        lambda s, y: _pairs_auroc(s, y, 1.0): "ties are counted as wins: a tie between an anomaly and a "
                                              "normal image counts one half (the scores here tie often)",
        lambda s, y: _pairs_auroc(s, ~np.asarray(y)): "you computed 1 - AUROC: the chance that a *normal* image "
                                                      "outscores an anomaly. Higher scores mean more anomalous: "
                                                      "count the pairs where the anomaly's score is larger",
    })


#: the threshold check's (number of validation scores, percentile): with 150 scores at 95 every plain
#: percentile rule (numpy's methods, an index into the sorted scores) misses the guarantee or is more
#: conservative than it needs to be (tests/test_exercises_eval.py shows it)
_THRESHOLD_CASES = ((150, 95.0), (150, 80.0), (331, 90.0), (250, 99.0))


def flag_probability(val_scores, threshold) -> float:
    """The probability that a new normal image, exchangeable with the ``n`` validation images, scores
    above ``threshold``: its rank among the n + 1 scores is uniform, so it is (n + 1 - j) / (n + 1) with
    j the number of validation scores at or below the threshold (scores without ties).

    The probability is over the draw of the validation set *and* the new image: it is the flag rate of
    the *rule* that picks the threshold by rank (for example ``np.percentile(val_scores, 95)``), on
    average over validation sets of size n. The one threshold drawn from one validation set has its
    own rate, which scatters around this value (estimate it on normal test images)."""
    val = np.asarray(val_scores, dtype=float)
    return (len(val) + 1 - int((val <= threshold).sum())) / (len(val) + 1)


def check_validation_threshold(fn) -> CheckResult:
    """Exercise (notebook 00): ``fn(val_scores, percentile)`` returns the *lowest* threshold such that a
    new normal image, exchangeable with the validation images, is flagged (score > threshold) with
    probability at most alpha = 1 - percentile / 100, whatever the distribution of the scores.

    The check computes the flag probability of the returned threshold
    exactly (:func:`flag_probability`) and fails a threshold that breaks the guarantee (numpy's
    interpolating percentile does, for most n) or keeps it more conservatively than needed."""
    from . import metrics

    name = "threshold with a guaranteed false-alarm rate"
    if (refused := _refuse_borrowed(name, fn, (metrics.threshold_from_validation, metrics.evaluate))) is not None:
        return refused
    for t, (n, q) in enumerate(_THRESHOLD_CASES):
        g = torch.Generator().manual_seed(99 + t)
        val = (torch.randn(n, generator=g, dtype=torch.float64) * 3 + 10).numpy()
        got, failed = _attempt(name, fn, val.copy(), q)
        if failed is not None:
            return failed
        try:
            thr = float(got)
        except (TypeError, ValueError):
            return _fail(name, f"return one number, the threshold; got {type(got).__name__}")
        alpha = 1 - q / 100
        k = math.ceil((n + 1) * (1 - alpha) - 1e-9)
        best = flag_probability(val, np.sort(val)[k - 1]) if k <= n else 0.0
        p = flag_probability(val, thr)
        if p > 0.5:
            return _fail(name, f"with percentile {q:g} your threshold lets a new normal image through with "
                               f"probability {1 - p:.1%}: the threshold belongs near the top of the scores "
                               f"(the {q:g}th percentile), not near the bottom")
        if p > alpha + 1e-12:
            low = round((p - best) * (n + 1))   # validation scores between your threshold and the lowest safe one
            return _fail(name, f"with {n} validation scores and percentile {q:g} your threshold flags a new normal "
                               f"image with probability {p:.4f} > alpha = {alpha:g}: the guarantee is broken. "
                               "Among n + 1 exchangeable scores the new one is equally likely to hold any rank; "
                               f"your threshold lies {low} validation score{'' if low == 1 else 's'} too low "
                               f"(the lowest threshold with the guarantee flags with probability {best:.4f}). "
                               "An interpolating percentile lands one or two scores too low: it counts ranks among "
                               "n scores instead of n + 1")
        if p < best - 1e-12:
            return _fail(name, f"with {n} validation scores and percentile {q:g} your threshold flags a new normal "
                               f"image with probability {p:.4f}, below alpha = {alpha:g} but lower than needed "
                               f"({best:.4f} is reachable): take the lowest threshold that keeps the guarantee")
    return CheckResult(name, True, True, "the lowest threshold with a flag probability at most alpha, for "
                                         f"{len(_THRESHOLD_CASES)} sample sizes and percentiles")


def check_false_alarm_se(fn) -> CheckResult:
    """Exercise (notebook 00): ``fn(n_val, n_test, p)`` returns the standard error of the false-alarm
    rate measured on ``n_test`` normal test images, for a threshold set at the (1 - p) quantile of
    ``n_val`` normal validation scores. The reference answer is in docs/solutions.md."""
    from . import metrics

    name = "standard error of the false-alarm rate"
    if (refused := _refuse_borrowed(name, fn, (metrics.false_alarm_se,))) is not None:
        return refused
    cases = ((600, 1900, 0.05), (300, 12600, 0.05), (5000, 500, 0.01), (150, 150, 0.1))
    for n_val, n_test, p in cases:
        got, failed = _attempt(name, fn, n_val, n_test, p)
        if failed is not None:
            return failed
        try:
            got = float(got)
        except (TypeError, ValueError):
            return _fail(name, f"return one number, the standard error; got {type(got).__name__}")
        var = p * (1 - p)
        want = np.sqrt(var / n_val + var / n_test)
        if abs(got - want) <= 0.02 * want:   # within 2 %: exact forms of a quantile's variance, (n + 1), pass too
            continue
        for wrong, message in (
            (np.sqrt(var / n_test), "that is the test images' error alone: the threshold itself is uncertain too, "
                                    "because it is estimated from only n_val validation scores"),
            (np.sqrt(var / n_val), "that is the threshold's error alone: measuring the rate on n_test images adds a "
                                   "binomial error of its own"),
            (np.sqrt(var / n_val) + np.sqrt(var / n_test), "two independent errors do not add; their *variances* do: "
                                                           "take the square root of the sum of the two variances"),
            (np.sqrt(p / n_val + p / n_test), "a binomial share's variance is p (1 - p) / n, not p / n"),
            (np.sqrt(var * (1 / n_val + 1 / n_test)) * 100, "return a share (0.05 is 5 %), not percentage points"),
            (var / n_val + var / n_test, "that is the variance; the standard error is its square root"),
        ):
            if abs(got - wrong) <= 1e-9 + 1e-6 * abs(wrong):
                return _fail(name, message)
        return _fail(name, f"for n_val = {n_val}, n_test = {n_test}, p = {p} you returned {got:.4g}. Hint: each "
                           "share measured on n images has variance p (1 - p) / n, and the two are independent")
    return CheckResult(name, True, True, f"right for {len(cases)} sizes, a large and a small validation set among them")


#: Exercise 2 (c)'s cases: (number of validation scores, percentile, number of normal test scores)
_RATE_CASES = ((150, 95.0, 4000), (600, 99.0, 5000), (331, 90.0, 3000), (250, 99.0, 4000))


def _rate_inputs(t: int):
    """Validation and normal test scores from one distribution, on a grid of 0.05 so that test scores
    tie with the threshold (as rounded real scores do)."""
    n_val, q, n_test = _RATE_CASES[t]
    g = torch.Generator().manual_seed(314 + t)
    val = torch.round((torch.randn(n_val, generator=g, dtype=torch.float64) * 3 + 10) * 20) / 20
    test = torch.round((torch.randn(n_test, generator=g, dtype=torch.float64) * 3 + 10) * 20) / 20
    return val.numpy(), test.numpy(), q


def _order_statistic(val, percentile, plus_one: bool = True):
    n = len(val)
    k = math.ceil(((n + 1) if plus_one else n) * percentile / 100 - 1e-9)
    return np.inf if k > n else float(np.sort(val)[k - 1])


def check_false_alarm_rate(fn) -> CheckResult:
    """Exercise (notebook 00): ``fn(val_scores, normal_test_scores, percentile)`` returns the share of
    ``normal_test_scores`` above Exercise 2 (a)'s threshold on ``val_scores`` (the
    ceil((n + 1) percentile / 100)-th smallest): the false-alarm rate that threshold gives on new images."""
    name = "false-alarm rate of your threshold on normal test images"
    for t in range(len(_RATE_CASES)):
        val, test, q = _rate_inputs(t)
        got, failed = _attempt(name, fn, val.copy(), test.copy(), q)
        if failed is not None:
            return failed
        try:
            got = float(got)
        except (TypeError, ValueError):
            return _fail(name, f"return one number, the share of normal test scores above the threshold; got "
                               f"{type(got).__name__}")
        thr = _order_statistic(val, q)
        want = float((test > thr).mean())
        if abs(got - want) <= 1e-9:
            continue
        for wrong, message in (
            (float((test > np.percentile(val, q)).mean()),
             "your threshold is np.percentile's, which lands one or two validation scores too low: use part (a)'s "
             "order statistic, my_threshold(val_scores, percentile)"),
            (float((test > _order_statistic(val, q, plus_one=False)).mean()),
             "your threshold counts ranks among the n validation scores, not among n + 1 with the new one: use "
             "part (a)'s order statistic, my_threshold(val_scores, percentile)"),
            (float((test >= thr).mean()),
             "you counted the test scores *equal* to the threshold as flagged: an image is flagged when its score "
             "lies above the threshold (rounded scores tie with it here)"),
            (float((val > thr).mean()),
             "that is the share of *validation* scores above the threshold, which the rule fixes in advance: "
             "measure it on the normal *test* scores"),
            (float((test <= thr).mean()),
             "that is the share of normal test images *not* flagged: the false-alarm rate is the share above the "
             "threshold"),
            (float((test > _order_statistic(val, 100 - q)).mean()),
             f"your threshold sits near the bottom of the scores: percentile {q:g} means the {q:g}th percentile, "
             f"which flags about {100 - q:g} %"),
            (float((test > thr).sum()), "return a share (a number between 0 and 1), not a count"),
            (100 * want, "return a share (0.01 is 1 %), not a percentage"),
        ):
            if abs(got - wrong) <= 1e-9 and abs(wrong - want) > 1e-9:
                return _fail(name, message)
        return _fail(name, f"with {len(val)} validation scores, percentile {q:g} and {len(test)} normal test scores "
                           f"you returned {got:.4g}, not {want:.4g}. Hint: the threshold is part (a)'s; the rate is "
                           "the share of test scores strictly above it")
    return CheckResult(name, True, True, f"right for {len(_RATE_CASES)} validation sets and percentiles, with test "
                                         "scores that tie with the threshold")


def check_flag_all_f1(fn) -> CheckResult:
    """Exercise (notebook 00): ``fn(n_normal, n_anomalous)`` returns the F1 of a "detector" that flags
    every test image: precision = the anomaly share pi, recall = 1, F1 = 2 pi / (1 + pi)."""
    from sklearn import metrics as skm

    name = "F1 of flagging everything"
    if (refused := _refuse_borrowed(name, fn, (skm.f1_score, skm.precision_score, skm.recall_score,
                                               skm.fbeta_score, skm.precision_recall_fscore_support))) is not None:
        return refused
    for n_normal, n_anom in ((12600, 7000), (1000, 9000), (900, 100), (500, 500)):
        got, failed = _attempt(name, fn, n_normal, n_anom)
        if failed is not None:
            return failed
        try:
            got = float(got)
        except (TypeError, ValueError):
            return _fail(name, f"return one number; got {type(got).__name__}")
        pi = n_anom / (n_normal + n_anom)
        if abs(got - 2 * pi / (1 + pi)) <= 1e-6:
            continue
        for wrong, message in (
            (pi, "that is the precision alone (the share of anomalies among the flagged images); F1 also "
                 "uses the recall"),
            (1.0, "recall is 1, but precision is not: most flagged images may be normal"),
            ((pi + 1) / 2, "F1 is the *harmonic* mean of precision and recall, 2 P R / (P + R), not their "
                           "average"),
            (2 * (1 - pi) / (2 - pi), "the positives are the anomalies, not the normal images"),
        ):
            if abs(got - wrong) <= 1e-6:
                return _fail(name, message)
        return _fail(name, f"for {n_normal} normal and {n_anom} anomalous images you returned {got:.4g}. "
                           f"Hint: precision = anomalies / flagged images, recall = 1, F1 = 2 P R / (P + R)")
    return CheckResult(name, True, True, "right for 4 test-set make-ups, both protocols among them")


# ------------------------------------------------------------------ notebook 01: GAN


def _densities(g: torch.Generator, same: bool = False):
    x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    dx = float(x[1] - x[0])

    def gauss(mu, sd):
        return torch.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))

    mu, sd = float(torch.randn(1, generator=g)) * 0.5, 0.6 + 0.3 * float(torch.rand(1, generator=g))
    p_data = 0.5 * gauss(mu - 1, sd) + 0.5 * gauss(mu + 1.2, sd)
    p_g = p_data.clone() if same else gauss(float(torch.randn(1, generator=g)) * 0.5, 0.8 + 0.4 * float(torch.rand(1, generator=g)))
    # normalised on the grid, so that Goodfellow's identity V(D*, G) = -log 4 + 2 JSD holds there too
    p_data, p_g = p_data / (p_data.sum() * dx), p_g / (p_g.sum() * dx)
    return p_data.numpy(), p_g.numpy(), dx


def _optimal_d(p_data, p_g, dx, *, swap=False, integrate=True):
    d = (p_g if swap else p_data) / (p_data + p_g)
    w = dx if integrate else 1.0
    v = float((p_data * np.log(d)).sum() * w + (p_g * np.log(1 - d)).sum() * w)
    return d, v


def check_optimal_discriminator(fn, V_apart=None) -> CheckResult:
    """Exercise (notebook 01): ``fn(p_data, p_g, dx)`` takes two densities on a 1-D grid of spacing
    ``dx`` (numpy arrays) and returns ``(D_star, V)``: the best discriminator for this fixed G at every
    grid point, and the value V(D*, G) as a numerical integral. ``V_apart``: the learner's prediction of
    V(D*, G) when p_g and p_data do not overlap (each is 0 wherever the other is positive; a number)."""
    name = "the best discriminator D* and V(D*, G)"
    variants = {
        lambda a, b, dx: _optimal_d(a, b, dx, swap=True):
            "D* is swapped: D should say 'real' (close to 1) where real data is more likely than fakes: "
            "p_data / (p_data + p_g)",
        lambda a, b, dx: _optimal_d(a, b, dx, integrate=False):
            "V is an expectation, an integral over x: weight each grid point's term by dx",
        lambda a, b, dx: (_optimal_d(a, b, dx)[0], -_optimal_d(a, b, dx)[1]):
            "V has the wrong sign: both of its terms are logs of probabilities, so V <= 0",
    }
    for same in (False, True):
        inputs = _densities(torch.Generator().manual_seed(11 + same), same)
        got, failed = _attempt(name, fn, *copy.deepcopy(inputs))
        if failed is not None:
            return failed
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return _fail(name, "return two things: (D_star, V)")
        want = _optimal_d(*inputs)
        if _compare(got, want, 1e-6, 1e-6) is not None:
            for wrong, message in variants.items():
                if _matches(got, wrong(*inputs), 1e-6, 1e-6):
                    return _fail(name, message)
            if _compare(got[0], want[0], 1e-6, 1e-6) is None:
                return _fail(name, "D* is right, but V is not: V is an integral over x (sum the terms times dx, "
                                   "not a mean over the grid), with the natural logarithm")
            return _fail(name, _compare(got, want, 1e-6, 1e-6) + ". Hint: for one x, D maximises "
                               "p_data(x) log D + p_g(x) log(1 - D); set the derivative with respect to D to 0")
    guess = _prediction(name, "V_apart", V_apart, "V(D*, G) when p_g and p_data do not overlap")
    if isinstance(guess, CheckResult):
        return guess
    if abs(guess) > 0.01:
        wrong = {-math.log(4): "-log 4 is V for a perfect generator, where D* = 1/2 everywhere; here D* can be sure",
                 math.log(4): "V cannot be positive: both of its terms are logs of probabilities, so V <= 0",
                 -math.log(2): "where only real data lies D* = 1, where only fakes lie D* = 0: what is log 1?",
                 1.0: "1 is D* where only real data lies, not V: put D* into both terms of V"}
        for value, message in wrong.items():
            if abs(guess - value) <= 0.01:
                return _fail(name, "your function is right but the prediction is not: " + message)
        return _fail(name, "your function is right but the prediction is not: where p_data > 0 and p_g = 0, what is "
                           "D*(x)? And where p_g > 0 and p_data = 0? Put each into its term of V")
    return CheckResult(name, True, True, "D* and V match on two generators, one of them perfect, and so does your "
                                         "prediction: D* is 1 on the data and 0 on the fakes, so V = log 1 + log 1 = 0, "
                                         "its largest value, whatever G does while the two do not overlap")


def _feature_sets(g: torch.Generator):
    d = int(torch.randint(3, 6, (1,), generator=g))
    n_a, n_b = int(torch.randint(40, 90, (1,), generator=g)), int(torch.randint(40, 90, (1,), generator=g))
    mix = torch.randn(d, d, generator=g)
    a = torch.randn(n_a, d, generator=g) @ mix
    b = torch.randn(n_b, d, generator=g) @ (mix + 0.5 * torch.randn(d, d, generator=g)) + 0.7
    return a.double().numpy(), b.double().numpy()


def _frechet(a, b, *, mean_term=True, two=2.0, elementwise=False, squared=True):
    from scipy import linalg

    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = np.sqrt(np.abs(s_a * s_b)) if elementwise else np.real(linalg.sqrtm(s_a @ s_b))
    dist = ((mu_a - mu_b) ** 2).sum()
    mean_part = dist if squared else np.sqrt(dist)
    return float((mean_part if mean_term else 0.0) + np.trace(s_a) + np.trace(s_b) - two * np.trace(root))


def _frechet_variant(a, b, *, separate_roots=False, ddof=1):
    from scipy import linalg

    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False, ddof=ddof), np.cov(b, rowvar=False, ddof=ddof)
    root = np.real(linalg.sqrtm(s_a) @ linalg.sqrtm(s_b)) if separate_roots else np.real(linalg.sqrtm(s_a @ s_b))
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * np.trace(root))


def check_frechet_distance(fn) -> CheckResult:
    """Exercise (notebook 01): ``fn(feats_a, feats_b)`` (N_a x d and N_b x d numpy arrays) returns
    the Fréchet distance between Gaussians fitted to the two sets:
    ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))."""
    from . import judge

    name = "Fréchet distance"
    result = check(name, fn, _frechet, _feature_sets, atol=1e-6, rtol=1e-6,
                   hint="check the three parts separately: the means, the two covariances, and the trace of the "
                        "square root of their product",
                   forbidden=(judge.frechet_distance,))
    if not result.passed and result.attempted and any(w in result.message for w in ("broadcast", "mismatch", "shapes")):
        return _fail(name, "your covariance matrices have different shapes: each row of feats_a is one image, so "
                           "the covariance runs over the d features (a d x d matrix), not over the images")
    return _diagnose(result, fn, _feature_sets, {
        lambda a, b: _frechet_variant(a, b, separate_roots=True):
            "sqrtm(S_a) @ sqrtm(S_b) equals (S_a S_b)^(1/2) only when the two matrices commute; take the square "
            "root of the product",
        lambda a, b: _frechet_variant(a, b, ddof=0):
            "the covariances divide by N here: the sample covariance divides by N - 1 (np.cov's default)",
        lambda a, b: _frechet(a, b, elementwise=True):
            "(S_a S_b)^(1/2) is a *matrix* square root (scipy.linalg.sqrtm of the matrix product), not the "
            "square root of each entry",
        lambda a, b: _frechet(a, b, mean_term=False):
            "the distance between the means, ||mu_a - mu_b||^2, is missing: two sets with the same spread "
            "but different centres would look identical",
        lambda a, b: _frechet(a, b, two=1.0): "the trace of the matrix square root is counted twice: -2 Tr(...)",
        lambda a, b: _frechet(a, b, squared=False): "the mean term is the *squared* distance ||mu_a - mu_b||^2",
        lambda a, b: float(np.sqrt(max(_frechet(a, b), 0.0))):
            "that is the square root of the answer: like FID, the Fréchet distance here is the *squared* "
            "distance d^2 = ||mu_a - mu_b||^2 + Tr(...); return it without taking a square root",
    })



def _floor_inputs(g: torch.Generator):
    """Real-like features (more rows than two sets need) and a set size n."""
    d = int(torch.randint(3, 6, (1,), generator=g))
    n = int(torch.randint(30, 60, (1,), generator=g))
    extra = int(torch.randint(5, 30, (1,), generator=g))
    feats = torch.randn(2 * n + extra, d, generator=g) @ torch.randn(d, d, generator=g) + 0.3
    return feats.double().numpy(), n


def _floor(feats, n, *, second=None):
    a = feats[:n]
    b = feats[n:2 * n] if second is None else second(feats, n)
    return _frechet(a, b)


def check_frechet_floor(fn, factor=None) -> CheckResult:
    """Exercise (notebook 01): ``fn(feats, n)`` returns the real-against-real floor of the Fréchet
    distance at set size ``n``: the distance between the first ``n`` rows of ``feats`` and the next
    ``n`` rows (two disjoint sets of the same size). ``factor``: the learner's prediction of the floor at
    N = 250 divided by the floor at N = 2000 (a number; the 1/N law gives 8, accepted from 5 to 12)."""
    name = "the Fréchet floor"
    result = check(name, fn, _floor, _floor_inputs, atol=1e-6, rtol=1e-6,
                   hint="two disjoint sets of n rows each: the first n rows and the next n")
    result = _diagnose(result, fn, _floor_inputs, {
        lambda f, n: _floor(f, n, second=lambda f, n: f[:n]):
            "that compares a set with itself, which is at distance 0 and says nothing about sampling noise: "
            "use two disjoint sets, rows :n and rows n:2n",
        lambda f, n: _floor(f, n, second=lambda f, n: f[n:]):
            "the second set has all the remaining rows, not n: the floor depends on the set size, so both "
            "sets must have n rows",
        lambda f, n: _floor(f, n, second=lambda f, n: f):
            "the second set is all the rows, which includes the first set and has another size: use rows "
            "n:2n",
        lambda f, n: float(np.sqrt(max(_floor(f, n), 0.0))):
            "that is the square root: keep the floor on the same scale as the distances it is compared with, "
            "the squared distance d^2",
    })
    if not result.passed:
        return result
    g = np.random.default_rng(0)
    mix = g.normal(size=(16, 16))
    draws = [g.normal(size=(4000, 16)) @ mix for _ in range(10)]     # one floor varies by 15-20 % between draws
    small, large = np.mean([_floor(f, 250) for f in draws]), np.mean([_floor(f, 2000) for f in draws])
    measured = (f"averaged over {len(draws)} draws of 16 Gaussian features, the floor is {small:.3g} at N = 250 and "
                f"{large:.3g} at N = 2000, {small / large:.1f} times as large: a floor falling like 1/N would give 8")
    guess = _prediction(name, "factor", factor, "the floor at N = 250 divided by the floor at N = 2000")
    if isinstance(guess, CheckResult):
        return guess
    if not 5 <= guess <= 12:
        wrong = {1.0: "the floor is not a property of the data alone: it is the estimation noise of two finite sets, "
                      "and that noise depends on N",
                 math.sqrt(8): "sqrt(8) is how a standard deviation shrinks; the Fréchet distance is a *squared* "
                               "distance, so its noise falls like 1/N, not 1/sqrt(N)",
                 64.0: "64 = 8^2 is too steep: the mean term's expected size, 2 Tr(Sigma) / N, falls like 1/N",
                 1 / 8: "that is the inverse: more images estimate the means and covariances better, so the floor "
                        "at N = 250 is the larger one"}
        for value, message in wrong.items():
            if abs(guess - value) <= 0.05 * value:
                return _fail(name, "your function is right but the prediction is not: " + message)
        return _fail(name, "your function is right but the prediction is not: how does the expected squared "
                           "distance between the means of two sets of N samples depend on N?")
    return CheckResult(name, True, True, "matches the reference, and the prediction holds: " + measured)


# ------------------------------------------------------------------ notebook 02: BiGAN


def _predictions(g: torch.Generator):
    """Judge predictions (class ids) of inputs and of their reconstructions, with unequal class
    frequencies on both sides (reconstructions often collapse onto a few classes)."""
    n = int(torch.randint(200, 400, (1,), generator=g))
    classes = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7, 9])
    p = torch.rand(9, generator=g) + 0.2
    pred_x = classes[torch.multinomial(p / p.sum(), n, replacement=True, generator=g)]
    q = torch.rand(9, generator=g) ** 3 + 0.01
    pred_rec = classes[torch.multinomial(q / q.sum(), n, replacement=True, generator=g)]
    keep = torch.rand(n, generator=g) < 0.3  # some reconstructions keep their class
    pred_rec[keep] = pred_x[keep]
    return pred_x.numpy(), pred_rec.numpy()


def _chance_agreement(pred_x, pred_rec):
    px, pr = np.asarray(pred_x), np.asarray(pred_rec)
    labels = np.union1d(px, pr)
    return float(sum((px == c).mean() * (pr == c).mean() for c in labels))


def check_chance_agreement(fn) -> CheckResult:
    """Exercise (notebook 02): ``fn(pred_x, pred_rec)`` (the judge's class for each input and for
    its reconstruction) returns the share of kept classes expected by chance: if each reconstruction's
    class were drawn independently of its input, with the class frequencies observed on each side."""
    name = "class kept by chance"
    result = check(name, fn, _chance_agreement, _predictions, atol=1e-6, rtol=1e-6,
                   hint="picture an encoder that ignores its input: the reconstruction's class is drawn on its "
                        "own, with the frequencies the reconstructions show, and the input's with the inputs' "
                        "frequencies. How often do two such independent draws agree?")
    result = _diagnose(result, fn, _predictions, {
        lambda a, b: 1 / 9: "1/9 assumes both sides spread evenly over the 9 classes; use the observed "
                            "frequencies (reconstructions often crowd into a few classes)",
        lambda a, b: 1 / 10: "1/10 assumes an even spread over all 10 classes; use the observed frequencies",
        lambda a, b: float((np.asarray(a) == np.asarray(b)).mean()):
            "that is the share actually kept; the chance level is what an encoder that ignores its input "
            "would keep",
        lambda a, b: _chance_agreement(a, a): "that uses the inputs' frequencies on both sides; the "
                                              "reconstructions have their own",
        lambda a, b: 100 * _chance_agreement(a, b): "return a share between 0 and 1, not a percentage",
        lambda a, b: _chance_agreement(a, b) / len(np.union1d(a, b)):
            "sum the products over the classes; do not average them",
    })
    if not result.passed and result.attempted and "differs from the reference" in result.message:
        # "close" from the mean of 10 calls: one shuffle of 200-400 items misses the chance level by about 0.016
        # (one standard error), so a single call would pass or fail 0.02 by luck; a seeded shuffle returns the same
        # value each call, hence the wider bound (3 standard errors of one shuffle)
        inputs = _predictions(torch.Generator().manual_seed(1234))
        try:
            got = [float(_attempt(name, fn, *copy.deepcopy(inputs))[0]) for _ in range(10)]
            close = abs(np.mean(got) - _chance_agreement(*inputs)) < 0.05
        except (TypeError, ValueError):
            close = False
        if close:
            return _fail(name, "close: a shuffle (or any sample) estimates the chance level with noise. Compute its "
                               "expectation exactly from the class frequencies on the two sides")
    return result



def _kept_share(pred_x, pred_rec):
    return float((np.asarray(pred_x) == np.asarray(pred_rec)).mean())


def _cohen_kappa(pred_x, pred_rec):
    kept, chance = _kept_share(pred_x, pred_rec), _chance_agreement(pred_x, pred_rec)
    return (kept - chance) / (1 - chance)


def check_rescaled_share(fn) -> CheckResult:
    """Exercise (notebook 02): ``fn(pred_x, pred_rec)`` returns the share of kept classes rescaled
    linearly so that the chance level (observed class frequencies on both sides) maps to 0 and
    every class kept maps to 1. (The measure has a name; docs/solutions.md gives it, so that the
    check's name does not give it away.)"""
    name = "share kept, rescaled against chance"
    result = check(name, fn, _cohen_kappa, _predictions, atol=1e-6, rtol=1e-6,
                   hint="a linear map a * kept + b with chance -> 0 and 1 -> 1; chance from the observed "
                        "class frequencies on both sides, as in the first part")
    return _diagnose(result, fn, _predictions, {
        lambda a, b: _kept_share(a, b) / _chance_agreement(a, b):
            "that is the multiple of chance; rescale so that chance maps to 0 and perfect agreement to 1",
        lambda a, b: _kept_share(a, b) - _chance_agreement(a, b):
            "subtracting chance maps chance to 0, but perfect agreement must map to 1: divide by the room "
            "left above chance",
        lambda a, b: (_kept_share(a, b) - _chance_agreement(a, b)) / _chance_agreement(a, b):
            "divide by the room left above chance (1 - chance), not by chance itself",
        lambda a, b: (_kept_share(a, b) - 1 / 9) / (1 - 1 / 9):
            "the chance level is not 1/9: use the observed class frequencies on both sides (the first part)",
        lambda a, b: (_kept_share(a, b) - _chance_agreement(a, a)) / (1 - _chance_agreement(a, a)):
            "the chance level uses the inputs' frequencies on both sides; the reconstructions have their own",
        lambda a, b: _kept_share(a, b): "that is the share kept itself; rescale it against the chance level",
        lambda a, b: 100 * _cohen_kappa(a, b): "return a number on the scale of a share (1 = perfect), "
                                               "not a percentage",
    })


_check_cohen_kappa = check_rescaled_share    # the former name, private (its name would give the exercise away)


def _code_pairs(g: torch.Generator):
    nz = int(torch.randint(16, 120, (1,), generator=g))
    z_a, z_b = torch.randn(nz, generator=g, dtype=torch.float64), torch.randn(nz, generator=g, dtype=torch.float64)
    return z_a, z_b, torch.linspace(0, 1, 7, dtype=torch.float64)


def _slerp(z_a, z_b, ts, *, reverse=False):
    omega = torch.arccos(torch.clamp(torch.dot(z_a / z_a.norm(), z_b / z_b.norm()), -1, 1))
    ts = (1 - ts) if reverse else ts
    return torch.stack([(torch.sin((1 - t) * omega) * z_a + torch.sin(t * omega) * z_b) / torch.sin(omega)
                        for t in ts])


def _slerp_direction_length(z_a, z_b, ts):
    """The other right answer: slerp the unit directions, interpolate the length linearly. For codes of
    different lengths this turns by exactly equal angles, which the standard weights do only for equal lengths."""
    na, nb = z_a.norm(), z_b.norm()
    return torch.stack([((1 - t) * na + t * nb) * d for t, d in zip(ts, _slerp(z_a / na, z_b / nb, ts))])


def check_slerp(fn) -> CheckResult:
    """Exercise (notebook 02): ``fn(z_a, z_b, ts)`` returns the codes on the arc from z_a (t = 0) to z_b
    (t = 1), one row per t (spherical linear interpolation). Two answers pass: the standard slerp weights,
    and slerping the directions while interpolating the length (both turn by equal angles for codes of
    equal length; for unequal lengths only the second does exactly)."""
    name = "spherical interpolation"
    hint = ("a point of the arc from z_a to z_b is a combination a(t) z_a + b(t) z_b; choose a(t) and b(t) so "
            "that equal steps of t turn the code by equal angles, from z_a at t = 0 to z_b at t = 1 (the angle "
            "between the codes comes from their dot product)")
    result = check(name, fn, _slerp, _code_pairs, atol=1e-6, rtol=1e-6, hint=hint)
    if not result.passed and result.attempted and not result.message.startswith(("your function uses",
                                                                                  "your function changed")):
        other = check(name, fn, _slerp_direction_length, _code_pairs, atol=1e-6, rtol=1e-6)
        if other.passed:
            return CheckResult(name, True, True, "matches the second right answer on 3 random inputs: directions "
                                                 "slerped, length interpolated (equal angles even for codes of "
                                                 "different lengths; the standard slerp weights give that only "
                                                 "for equal lengths)")
    return _diagnose(result, fn, _code_pairs, {
        lambda a, b, ts: torch.stack([(1 - t) * a + t * b for t in ts]):
            "that is the straight line: half-way, its codes are about 1/sqrt(2) as long as prior draws, "
            "a length the prior almost never produces in high dimensions. Walk along the sphere instead",
        lambda a, b, ts: torch.stack([((1 - t) * a + t * b) / ((1 - t) * a + t * b).norm() * a.norm() for t in ts]):
            "rescaling the straight line keeps the length but not the constant speed: equal steps of t must turn "
            "the code by equal angles, and along the rescaled line the steps near the ends turn it less than "
            "those in the middle",
        lambda a, b, ts: _slerp(a, b, ts, reverse=True): "the path runs backwards: t = 0 must give z_a",
        lambda a, b, ts: torch.stack([torch.cos(t * math.pi / 2) * a + torch.sin(t * math.pi / 2) * b for t in ts]):
            "cos(t pi/2) z_a + sin(t pi/2) z_b assumes the two codes are orthogonal; use the actual angle "
            "omega between them",
        lambda a, b, ts: _slerp(a / a.norm(), b / b.norm(), ts):
            "your path runs on the unit sphere: interpolate the codes themselves, not their directions",
    })


# ------------------------------------------------------------------ notebook 03: AnoGAN


def _anogan_loss_inputs(g: torch.Generator):
    n = int(torch.randint(2, 7, (1,), generator=g))
    x = torch.rand(n, 1, 8, 8, generator=g) * 2 - 1
    x_gen = torch.rand(n, 1, 8, 8, generator=g) * 2 - 1
    f_x, f_gen = torch.randn(n, 12, generator=g), torch.randn(n, 12, generator=g)
    lambda_ = 0.05 + float(torch.rand(1, generator=g)) * 0.4
    return x, x_gen, f_x, f_gen, lambda_


def _anogan_loss(x, x_gen, f_x, f_gen, lambda_, *, reduce="sum"):
    agg = (lambda t: t.flatten(1).sum(1)) if reduce == "sum" else (lambda t: t.flatten(1).mean(1))
    return (1 - lambda_) * agg((x - x_gen).abs()) + lambda_ * agg((f_x - f_gen).abs())


class _CountingG(torch.nn.Module):
    """A small generator with batch normalisation that records the batch sizes it sees."""

    def __init__(self, nz: int, g: torch.Generator):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(nz, 16), torch.nn.BatchNorm1d(16), torch.nn.Tanh(),
                                       torch.nn.Unflatten(1, (1, 4, 4)))
        with torch.no_grad():
            for p in self.net.parameters():
                p.copy_(torch.randn(p.shape, generator=g) * 0.5)
            bn = self.net[1]
            bn.running_mean.copy_(torch.randn(16, generator=g) * 0.3)
            bn.running_var.copy_(torch.rand(16, generator=g) + 0.5)
        self.batch_sizes: list[int] = []

    def forward(self, z):
        self.batch_sizes.append(len(z))
        return self.net(z)


def _latent_search_inputs(g: torch.Generator):
    n, nz = int(torch.randint(4, 7, (1,), generator=g)), 4
    G = _CountingG(nz, g).train()  # handed over in training mode, as after G's own training
    f = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 6), torch.nn.LeakyReLU(0.2))
    with torch.no_grad():
        for p in f.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    x = torch.rand(n, 1, 4, 4, generator=g) * 2 - 1
    z0 = torch.randn(n, nz, generator=g)
    return G, f, x, z0, 12, 0.05, 0.1


def _reference_search(G, f, x, z0, steps, lr, lambda_, *, score_before_last=False, eval_mode=True,
                      best: str | None = None):
    """The batched search; ``best`` keeps, instead of z_Gamma, the code of lowest loss among z_0 ... z_Gamma:
    ``"image"`` each image its own (the right answer to the best-code exercise), ``"batch"`` the one step of
    lowest summed loss for all images, ``"loop"`` each image its own but among z_0 ... z_(Gamma-1) only (the
    losses computed inside the loop): the last two are wrong answers the check recognises."""
    G = copy.deepcopy(G).eval() if eval_mode else copy.deepcopy(G)
    for p in [*G.parameters(), *f.parameters()]:
        p.requires_grad_(False)
    z = z0.detach().clone().requires_grad_(True)
    opt = torch.optim.Adam([z], lr=lr)
    f_x = f(x)
    loss = None
    path = []  # (z_t, L(z_t)) for t = 0 ... Gamma
    for _ in range(steps):
        x_gen = G(z)
        loss = _anogan_loss(x, x_gen, f_x, f(x_gen), lambda_)
        path.append((z.detach().clone(), loss.detach().clone()))
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
    if not score_before_last:
        with torch.no_grad():
            x_gen = G(z)
            loss = _anogan_loss(x, x_gen, f_x, f(x_gen), lambda_)
    if best is None:
        return z.detach(), loss.detach()
    if best != "loop":
        path.append((z.detach().clone(), loss.detach().clone()))
    if best == "no_z0":   # the starting code never compared: the best among z_1 ... z_Gamma
        path = path[1:]
    zs, losses = torch.stack([p[0] for p in path]), torch.stack([p[1] for p in path])  # T x N x nz, T x N
    if best == "batch":
        t = int(losses.sum(1).argmin())
        return zs[t], losses[t]
    t = losses.argmin(0)
    rows = torch.arange(losses.shape[1])
    return zs[t, rows], losses[t, rows]


def _search_contract(name: str, fn, inputs):
    """Run a learner's search ``fn`` on ``inputs`` and check what every batched search must do (Section 3
    of notebook 03): two results, z0 untouched, G's weights frozen and out of the optimiser, all codes
    searched at once, G in eval mode. Returns ``(z, scores), None`` or ``None, failure``."""
    G, f, x, z0, steps, lr, lam = inputs
    G_before = copy.deepcopy(G.state_dict())
    z0_given = z0.clone()
    got, failed = _attempt(name, fn, G, f, x.clone(), z0_given, steps, lr, lam)
    if failed is not None:
        return None, failed
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None, _fail(name, "return two things: the codes and the scores")
    if not torch.equal(z0_given, z0):
        return None, _fail(name, "your function changed z0 in place; start from a copy (z0.clone())")
    weights_changed = any(not torch.equal(G_before[k], v) for k, v in G.state_dict().items()
                          if "running" not in k and "num_batches" not in k)
    stats_changed = any(not torch.equal(G_before[k], v) for k, v in G.state_dict().items() if "running" in k)
    if weights_changed:
        return None, _fail(name, "G's weights changed: the optimiser must hold the codes z only "
                                 "(torch.optim.Adam([z], lr=lr))")
    if any(p.grad is not None and p.grad.abs().sum() > 0 for p in G.parameters()):
        return None, _fail(name, "G's weights received gradients: freeze them (p.requires_grad_(False)); "
                                 "the search needs gradients for z only, and this halves its work")
    if G.batch_sizes and max(G.batch_sizes) < len(x):
        return None, _fail(name, f"G only ever saw batches of {max(G.batch_sizes)} image(s): search all "
                                 f"{len(x)} codes at once (one row of z per image) instead of one image at a time")
    if stats_changed:
        return None, _fail(name, "G ran in training mode: batch normalisation used each batch's own statistics "
                                 "(and overwrote its stored ones), so a code's image depends on the other images "
                                 "of the batch. Call G.eval() before the search")
    return got, None


def _best_code_inputs(trial: int):
    """The search inputs of the best-code check: a step size large enough that Adam overshoots, so that
    for some images an earlier code has a lower loss than z_Gamma (the check's tests assert it does). In
    trial 2 the first image is G(z_0) itself, so its starting code is its unique best (loss 0 there)."""
    G, f, x, z0, _, _, lam = _latent_search_inputs(torch.Generator().manual_seed(91 + min(trial, 1)))
    if trial == 2:
        x = x.clone()
        with torch.no_grad():
            x[0] = copy.deepcopy(G).eval()(z0[:1])[0]
    return G, f, x, z0, 15, 0.6, lam


def check_best_code_search(fn) -> CheckResult:
    """Exercise (notebook 03): ``fn(G, f, x, z0, steps, lr, lambda_)`` runs the batched search of Section 3
    but returns, for each image, the *best* code it visited and its loss: among z_0, z_1, ..., z_Gamma the
    one with the lowest L(z), found for each image on its own. Adam with a large step overshoots, so the
    last code is not always the best.

    Besides Section 3's contract (eval mode, frozen G, one batch), the check recognises the usual wrong
    answers: the last code (z_Gamma and L(z_Gamma)), one best *step* for the whole batch (the step of
    lowest summed loss), the best among the losses computed inside the loop only (z_Gamma's own loss is
    never computed there), the best among z_1 ... z_Gamma only (z_0 never compared), and one score for
    the batch."""
    name = "best code per image"
    if _borrowed(fn, _anogan_search_functions()) is not None:
        return _refuse_borrowed(name, fn, _anogan_search_functions())
    for trial in range(3):
        inputs = _best_code_inputs(trial)
        G, f, x, z0, steps, lr, lam = inputs
        want_z, want_s = _reference_search(G, f, x, z0, steps, lr, lam, best="image")
        got, failed = _search_contract(name, fn, inputs)
        if failed is not None:
            return failed
        z, scores = got
        if torch.as_tensor(scores).numel() == 1 and len(x) > 1:
            return _fail(name, "one score per image, not one for the batch: each image keeps its own best")
        wrong = {"last": "these are z_Gamma and L(z_Gamma), the last code: keep, for each image, the lowest loss "
                         "seen so far and the code that reached it (torch.where on a mask of improved images)",
                 "batch": "one step is chosen for the whole batch (the step of lowest summed loss): each image must "
                          "keep its own best step, whatever the other images do",
                 "loop": "the best is taken among the losses computed inside the loop only, so z_Gamma itself is "
                         "never considered: evaluate L(z_Gamma) after the last step as well",
                 "no_z0": "the starting code z_0 is never compared, yet it can be the best (an image that G draws "
                          "exactly at z_0 scores 0 there): compare L(z_0) too, before the first step"}
        for kind, message in wrong.items():
            alt_z, alt_s = (_reference_search(G, f, x, z0, steps, lr, lam) if kind == "last"
                            else _reference_search(G, f, x, z0, steps, lr, lam, best=kind))
            if not _matches(alt_s, want_s, 1e-6, 1e-6) and _matches(scores, alt_s, 1e-4, 1e-4):
                return _fail(name, message)
        if (msg := _compare(scores, want_s, 1e-4, 1e-4, "scores")) is not None:
            return _fail(name, msg + ". The score of an image is the lowest L(z) over z_0 ... z_Gamma")
        if (msg := _compare(z, want_z, 1e-4, 1e-4, "codes")) is not None:
            return _fail(name, msg + ": return the code at which each image's lowest loss was reached (the "
                                     "scores are right, so the codes were taken at another step)")
    return CheckResult(name, True, True, "the best code and loss of every image match the reference for three "
                                         "batches, with G frozen, in eval mode and searched as a batch")


def _anogan_search_functions():
    """What the best-code exercise may not call: the library's search (it is the answer). The losses are
    allowed: computing L with ``anogan.total_loss`` is not writing the search."""
    from . import anogan

    return (anogan.latent_search, anogan.AnoGAN.search)


def _auroc_sets(g: torch.Generator, n_normal: int = 200, n_anomalous: int = 60, shift: float = 1.0):
    y = np.r_[np.zeros(n_normal, bool), np.ones(n_anomalous, bool)]
    s = torch.randn(len(y), generator=g, dtype=torch.float64).numpy() + shift * y
    return s, y


#: the recall check's data sets: (normal validation images, normal test images, anomalies, shift of the
#: anomalies' scores, seed). In the first, few validation images make the threshold's position the main
#: source of chance; in the second, many validation images and few anomalies make the test sample the main
#: one. A resampling that misses either source is too narrow on one of the two sets.
_RECALL_SETS = ((40, 1500, 600, 1.7, 7), (3000, 300, 100, 1.7, 8))


def _recall_set(trial: int):
    """(validation scores, test scores, is_anomaly) of one of the recall check's data sets: normal scores
    N(0, 1), anomalies' scores N(shift, 1), the test images in random order."""
    n_val, n_normal, n_anomalous, shift, seed = _RECALL_SETS[trial]
    rng = np.random.default_rng(seed)
    val = rng.standard_normal(n_val)
    scores = np.r_[rng.standard_normal(n_normal), rng.standard_normal(n_anomalous) + shift]
    is_anomaly = np.r_[np.zeros(n_normal, bool), np.ones(n_anomalous, bool)]
    order = rng.permutation(len(scores))
    return val, scores[order], is_anomaly[order]


#: how the check's reference and the wrong answers it recognises resample (see ``_recall_resamples``)
_RECALL_KINDS = ("right", "fixed threshold", "validation only", "test normals", "all test scores",
                 "flag rate", "fraction")


@functools.cache
def _recall_resamples(trial: int, kind: str) -> np.ndarray:
    """20,000 resampled recalls of one data set, vectorised. ``"right"``: every round draws as many
    validation scores as there are, with replacement, and takes their 95th percentile as the threshold,
    then draws as many test images as there are, with replacement, and measures the share of the drawn
    anomalies above the threshold. Given the threshold, the number of anomalies drawn is binomial and so
    is the number of them above it, which is how it is sampled here. The other kinds are wrong answers:
    the threshold held fixed (Section 6's resampling), the test images not resampled, the threshold taken
    from the test set's normal scores or from all its scores, the share of *all* test images flagged, and
    ``np.percentile(..., 0.95)`` (a fraction where it takes percent)."""
    val, s, y = _recall_set(trial)
    n_boot, chunk = 20_000, 2_000
    rng = np.random.default_rng(12345)
    base = {"test normals": s[~y], "all test scores": s}.get(kind, val)
    q = 0.95 if kind == "fraction" else 95
    if kind == "fixed threshold":
        thresholds = np.full(n_boot, np.percentile(val, 95))
    else:
        thresholds = np.concatenate([np.percentile(base[rng.integers(0, len(base), (chunk, len(base)))], q, axis=1)
                                     for _ in range(n_boot // chunk)])
    pool = np.sort(s if kind == "flag rate" else s[y])
    share_above = (len(pool) - np.searchsorted(pool, thresholds, side="right")) / len(pool)
    if kind == "validation only":
        return share_above
    drawn = (np.full(n_boot, len(s)) if kind == "flag rate"
             else rng.binomial(len(s), len(pool) / len(s), n_boot))   # how many anomalies a round draws
    keep = drawn > 0
    return rng.binomial(drawn[keep], share_above[keep]) / drawn[keep]


def _recall_reference(trial: int, kind: str = "right", percentiles=(2.5, 97.5)) -> tuple[float, float]:
    return tuple(float(v) for v in np.percentile(_recall_resamples(trial, kind), percentiles))


_RECALL_MISTAKES = {
    ("fixed threshold", (2.5, 97.5)):
        "your interval is as narrow as one that keeps the threshold fixed and resamples only the test images, "
        "as Section 6's paired bootstrap does (rightly there: an AUROC has no threshold). Here the threshold is "
        "an estimate too: a repeat of the experiment would draw other validation images and so get another "
        "threshold. Draw the validation scores anew in every round (as many as there are, with replacement) "
        "and recompute the threshold from them",
    ("validation only", (2.5, 97.5)):
        "only the threshold moves in your resampling: the test images are a sample too, and a repeat of the "
        "experiment would draw others. Resample them as well, in every round, with replacement (a permutation "
        "of the test images is the same test set)",
    ("test normals", (2.5, 97.5)):
        "your threshold comes from the test set's normal images: a deployed detector does not know which test "
        "images are normal. Take it from the (resampled) validation scores",
    ("all test scores", (2.5, 97.5)):
        "your threshold comes from the test scores: it must come from the (resampled) normal validation scores",
    ("flag rate", (2.5, 97.5)):
        "that is the share of *all* test images flagged; the recall is the share of the anomalies flagged",
    ("fraction", (2.5, 97.5)):
        "your threshold flags nearly every anomaly: np.percentile takes percent (95), np.quantile a fraction "
        "(0.95)",
    ("right", (5.0, 95.0)):
        "the interval is too narrow: the 5th and 95th percentiles give a 90 % interval; take the 2.5th and "
        "97.5th",
    ("right", (0.5, 99.5)):
        "the interval is too wide: the 0.5th and 99.5th percentiles give a 99 % interval; take the 2.5th and "
        "97.5th",
}


def check_recall_interval(fn) -> CheckResult:
    """Exercise (notebook 03): ``fn(val_scores, test_scores, is_anomaly, n_boot, seed)`` returns ``(low, high)``,
    a 95 % percentile-bootstrap interval for the recall at the validation threshold (the 95th percentile of
    the normal validation scores, as ``metrics.evaluate`` sets it), covering a repeat of the whole
    experiment: each round draws the validation scores anew (so the threshold moves) and the test images
    anew, both with replacement and as many as there are, from one ``np.random.default_rng(seed)``. The
    test images may be drawn all together or anomalies and normal images apart: both pass.

    The bootstrap is random, so the check tests properties: two numbers, a width above 0, the same interval
    from the same seed; then, with ``n_boot = 5000``, on two data sets (one where the threshold's position
    makes most of the width, one where the test sample does), the width must lie within 10 % of a reference
    percentile bootstrap's with 20,000 rounds, and both ends within 12 % of that width of the reference's
    (over 600 draws of a right answer, drawn either way, its width stayed within 7 % of the reference's and
    its ends within 5 % of the width; a 90 % interval is about 16 % narrower on the second data set). A
    failed answer is compared with the wrong answers the check knows, and the one that fits both data sets
    is named."""
    name = "bootstrap interval for the recall"
    n_boot = 5000
    # 1. quick properties, with few rounds
    val, s, y = _recall_set(0)
    got, failed = _attempt(name, fn, val.copy(), s.copy(), y.copy(), 200, 0)
    if failed is not None:
        return failed
    if not isinstance(got, (tuple, list, np.ndarray)) or len(got) != 2:
        return _fail(name, "return two numbers: (low, high)")
    try:
        low, high = (float(v) for v in got)
    except (TypeError, ValueError):
        return _fail(name, "return two numbers: (low, high)")
    if not (np.isfinite(low) and np.isfinite(high)):
        return _fail(name, f"the interval ({low}, {high}) is not finite")
    if low > high:
        return _fail(name, "return the lower end first: (low, high)")
    if high - low <= 1e-9:
        if low >= 1 - 1e-9:
            return _fail(name, "every round flags every anomaly: is the threshold the 95th percentile of the "
                               "validation scores? (np.percentile takes percent, 95; np.quantile a fraction, 0.95)")
        return _fail(name, "the interval has width 0: every round drew the same images. Draw indices *with* "
                           "replacement (rng.integers(0, n, n) or rng.choice(n, n, replace=True))")
    again, _ = _attempt(name, fn, val.copy(), s.copy(), y.copy(), 200, 0)
    try:
        same = again is not None and [float(v) for v in again] == [low, high]
    except (TypeError, ValueError):
        same = False
    if not same:
        return _fail(name, "a second call with the same seed gave another interval: draw every random number "
                           "from one np.random.default_rng(seed), created once")
    # 2. against the reference, with enough rounds that the percentiles are steady
    intervals = []
    for trial in range(len(_RECALL_SETS)):
        val, s, y = _recall_set(trial)
        got, failed = _attempt(name, fn, val.copy(), s.copy(), y.copy(), n_boot, 1)
        if failed is not None:
            return failed
        intervals.append(tuple(float(v) for v in got))

    def close(interval, trial, kind="right", percentiles=(2.5, 97.5)):
        (low, high), (w_low, w_high) = interval, _recall_reference(trial, kind, percentiles)
        w_width = w_high - w_low
        if kind == "right" and percentiles == (2.5, 97.5):
            return (0.9 * w_width <= high - low <= 1.1 * w_width
                    and max(abs(low - w_low), abs(high - w_high)) <= 0.12 * w_width)
        return max(abs(low - w_low), abs(high - w_high)) <= 0.12 * w_width + 0.003

    wrong = [t for t, interval in enumerate(intervals) if not close(interval, t)]
    if wrong:
        for (kind, percentiles), message in _RECALL_MISTAKES.items():   # the wrong answer that fits both sets
            if all(close(interval, t, kind, percentiles) for t, interval in enumerate(intervals)):
                return _fail(name, message)
        trial = wrong[0]
        val, _, y = _recall_set(trial)
        (low, high), (ref_low, ref_high) = intervals[trial], _recall_reference(trial)
        width, ref_width = high - low, ref_high - ref_low
        ref_text = (f"on this data set ({len(val)} validation scores, {int(y.sum())} anomalies among {len(y)} test "
                    f"images) a 95 % interval is about [{ref_low:.3f}, {ref_high:.3f}]")
        if width < 0.9 * ref_width:
            return _fail(name, f"your interval [{low:.3f}, {high:.3f}] is too narrow: {ref_text}. Which numbers that "
                               f"go into the recall would a repeat of the experiment draw anew? Resample each of them "
                               f"in every round, and take the 2.5th and 97.5th percentiles")
        if width > 1.1 * ref_width:
            return _fail(name, f"your interval [{low:.3f}, {high:.3f}] is too wide: {ref_text}. Draw as many scores "
                               f"as each set holds, and take the 2.5th and 97.5th percentiles")
        return _fail(name, f"your interval [{low:.3f}, {high:.3f}] is shifted: {ref_text}. The threshold is the 95th "
                           f"percentile of the resampled validation scores, and the recall the share of the "
                           f"resampled anomalies scoring above it")
    return CheckResult(name, True, True, "repeats with its seed and matches a 95 % percentile bootstrap of the "
                                         "recall on two data sets: one where the threshold's position makes most "
                                         "of the width, one where the test sample does")


# ------------------------------------------------------------------ notebook 04: EGBAD


def _two_terms(g: torch.Generator):
    """Test and validation values of the two terms as float64 numpy arrays, as ``det.losses`` returns them;
    the two terms have different centres and spreads (which one is larger does not matter)."""
    n_val, n = int(torch.randint(60, 120, (1,), generator=g)), int(torch.randint(6, 20, (1,), generator=g))
    val_g, l_g = 300 + 40 * torch.randn(n_val, generator=g), 300 + 80 * torch.randn(n, generator=g)
    val_d, l_d = 4 + 0.5 * torch.randn(n_val, generator=g), 4 + 1.5 * torch.randn(n, generator=g)
    alpha = 0.9 - 0.3 * float(torch.rand(1, generator=g))
    return (l_g.double().numpy(), l_d.double().numpy(), alpha, val_g.double().numpy(), val_d.double().numpy())


def _standardised(l_g, l_d, alpha, val_g, val_d, *, ddof=0):
    zg = (l_g - np.mean(val_g)) / np.std(val_g, ddof=ddof)
    zd = (l_d - np.mean(val_d)) / np.std(val_d, ddof=ddof)
    return alpha * zg + (1 - alpha) * zd


def check_standardised_score(fn) -> CheckResult:
    """Exercise (notebook 04): ``fn(l_g, l_d, alpha, val_g, val_d)`` puts both terms on one scale
    before mixing them: each term minus its mean over the normal *validation* images, divided by
    its standard deviation there, then alpha * (L_G standardised) + (1 - alpha) * (L_D standardised).
    The score of an image must not depend on the other test images.

    The four terms are float64 numpy arrays, as ``det.losses`` returns them in the notebook (not torch
    tensors): ``np.mean``, ``np.std`` and the arrays' own ``.mean()`` and ``.std()`` all work. Either
    standard deviation (ddof 0 or 1) passes."""
    name = "standardised EGBAD score"
    hint = "subtract each term's mean and divide by its standard deviation, then mix with alpha"
    base = check(name, fn, _standardised, _two_terms, hint=hint)
    if not base.passed and base.attempted and not base.message.startswith("raised"):
        alt = check(name, fn, lambda *a: _standardised(*a, ddof=1), _two_terms)
        if alt.passed:  # either definition of the standard deviation is fine
            base = alt
    if not base.passed and base.attempted and not base.message.startswith("raised"):
        # a score that differs from the standardised one by a constant ranks every image the same
        def off_by_a_constant(ddof):
            for t in range(3):
                inputs = _two_terms(torch.Generator().manual_seed(1234 + t))
                got, _ = _attempt(name, fn, *copy.deepcopy(inputs))
                try:
                    diff = np.asarray(got, dtype=float).reshape(-1) - _standardised(*inputs, ddof=ddof)
                    if not (diff.size == len(inputs[0]) and np.abs(diff - diff.mean()).max() < 1e-4):
                        return False
                except Exception:
                    return False
            return True

        if off_by_a_constant(0) or off_by_a_constant(1):
            base = CheckResult(name, True, True, "matches the standardised score up to a constant (you did not "
                                                 "subtract the means), which changes no ranking and no AUROC")
    if not base.passed:
        inputs = _two_terms(torch.Generator().manual_seed(1234))
        l_g, l_d, alpha, val_g, val_d = inputs
        got, failed = _attempt(name, fn, *copy.deepcopy(inputs))
        if failed is not None:
            if failed.attempted:
                return _fail(name, failed.message + " (the inputs are numpy arrays, as det.losses returns them, "
                                                    "not torch tensors)")
            return failed
        for ddof in (0, 1):
            if _matches(got, _standardised(l_g, l_d, alpha, l_g, l_d, ddof=ddof)):
                return _fail(name, "you standardised with the test scores' own mean and spread: then an image's "
                                   "score changes with the other images of the batch, and a single image cannot "
                                   "be scored. Use the validation images' statistics")
            if _matches(got, _standardised(l_g, l_d, 1 - alpha, val_g, val_d, ddof=ddof)):
                return _fail(name, "alpha weighs the wrong term: it multiplies the reconstruction term L_G")
        if _matches(got, alpha * l_g + (1 - alpha) * l_d):
            return _fail(name, "that is the raw mix: the two terms live on different scales, so the term with the "
                               "larger spread decides almost alone, whatever alpha is. Standardise each term first")
        return base
    # the score of one image must not depend on the batch: score the first image alone
    l_g, l_d, alpha, val_g, val_d = _two_terms(torch.Generator().manual_seed(5))
    whole, _ = _attempt(name, fn, l_g.copy(), l_d.copy(), alpha, val_g.copy(), val_d.copy())
    alone, failed = _attempt(name, fn, l_g[:1].copy(), l_d[:1].copy(), alpha, val_g.copy(), val_d.copy())
    if failed is not None:
        return failed
    if not _matches(np.asarray(alone, dtype=float).reshape(-1)[:1], np.asarray(whole, dtype=float).reshape(-1)[:1]):
        return _fail(name, "an image's score changes when it is scored alone: use only validation statistics")
    return CheckResult(name, True, True, base.message + "; an image scored alone gets the same score")


def check_permutation_test(fn) -> CheckResult:
    """Exercise (notebook 04): ``fn(scores, is_anomaly, n_perm, seed)`` returns the one-sided permutation
    p-value of the AUROC: the share of label shuffles whose AUROC is at least the observed one, counted
    as (hits + 1) / (n_perm + 1)."""
    from sklearn.metrics import roc_auc_score

    name = "permutation test of AUROC"
    n_perm = 999
    # 1. clearly separated: no shuffle reaches the AUROC, so p = 1 / (n_perm + 1)
    s, y = _auroc_sets(torch.Generator().manual_seed(7), 150, 50, 3.0)
    got, failed = _attempt(name, fn, s.copy(), y.copy(), n_perm, 0)
    if failed is not None:
        return failed
    try:
        p = float(got)
    except (TypeError, ValueError):
        return _fail(name, f"return one number, the p-value; got {type(got).__name__}")
    if p == 0:
        return _fail(name, "a p-value of 0 claims certainty that 999 shuffles cannot give: count the observed "
                           "labelling as one of the permutations, (hits + 1) / (n_perm + 1)")
    if p >= 0.5:
        return _fail(name, f"the anomalies score far higher here, so no shuffle should reach the observed AUROC, yet "
                           f"you returned p = {p:.6g}. Count the shuffles with AUROC >= the observed one (not <=), "
                           f"return that share (not 1 minus it), and shuffle the labels only (shuffling scores and "
                           f"labels together changes nothing)")
    if abs(p - 1 / (n_perm + 1)) > 1e-9:
        return _fail(name, f"with a clear separation no shuffle reaches the observed AUROC, so p = (0 + 1) / (n_perm "
                           f"+ 1) = {1 / (n_perm + 1):.6g}; you returned {p:.6g}")
    # 2. anomalies score *lower*: one-sided, p is near 1
    s, y = _auroc_sets(torch.Generator().manual_seed(8), 150, 50, -1.0)
    got, failed = _attempt(name, fn, s.copy(), y.copy(), n_perm, 0)
    if failed is not None:
        return failed
    if float(got) < 0.5:
        return _fail(name, "here the anomalies score *lower* than normal images (AUROC well below 0.5), and the "
                           "question is whether the detector beats chance: one-sided, count shuffles with AUROC >= "
                           "the observed one, not |AUROC - 0.5|")
    # 3. a borderline case (p about 0.1 to 0.3): agree with an exact computation within the noise of
    #    n_perm shuffles; identical shuffles (a generator re-seeded in the loop) land far from it
    s, y = _auroc_sets(torch.Generator().manual_seed(9), 150, 50, 0.0)   # p about 0.18
    got, failed = _attempt(name, fn, s.copy(), y.copy(), n_perm, 0)
    if failed is not None:
        return failed
    obs = roc_auc_score(y, s)
    # the reference, vectorised: AUROC = (rank sum of the anomalies - n1 (n1 + 1) / 2) / (n1 n0)
    from scipy.stats import rankdata

    ranks, n1 = rankdata(s), int(y.sum())
    rng = np.random.default_rng(12345)
    perms = np.argsort(rng.random((4000, len(y))), axis=1)[:, :n1]   # n1 random positions per shuffle
    aucs = (ranks[perms].sum(1) - n1 * (n1 + 1) / 2) / (n1 * (len(y) - n1))
    want = (int((aucs >= obs - 1e-12).sum()) + 1) / 4001
    if abs(float(got) - want) > 4 * math.sqrt(want * (1 - want) / n_perm) + 0.005:
        return _fail(name, f"p = {float(got):.6g}, but about {want:.3f} is expected for this test set. Are your "
                           f"shuffles all different (one generator, created once before the loop)? Shuffle the labels, "
                           f"recompute the AUROC, count shuffles at or above the observed AUROC")
    return CheckResult(name, True, True, "right for a clear detector, a reversed one and a borderline one")


# ------------------------------------------------------------------ notebook 05: GANomaly


def _features(g: torch.Generator):
    """f(x) and f(G(x)) of a batch, as D returns them (N x m), both with gradients enabled."""
    n, m = int(torch.randint(6, 20, (1,), generator=g)), int(torch.randint(3, 40, (1,), generator=g))
    f_real = torch.randn(n, m, generator=g, dtype=torch.float64)
    f_fake = 0.5 * f_real + torch.randn(n, m, generator=g, dtype=torch.float64)
    return f_real.requires_grad_(True), f_fake.requires_grad_(True)


def check_paper_adversarial_loss(fn) -> CheckResult:
    """Exercise (notebook 05): ``fn(f_real, f_fake)`` returns the adversarial loss as the GANomaly paper
    prints it, L_adv = E_x || f(x) - E_x f(G(x)) ||_2: each image's features f(x) (a row of ``f_real``,
    N x m) against the *batch mean* of the reconstructions' features (``f_fake``), the L2 norm per image,
    then the mean over images. ``f_real`` may be detached or not: f(x) is a fixed target for G, so G's
    gradient is the same either way (detaching saves a backward pass through D for the real images; D
    still gets gradients through f(G(x)), which ``opt_D.zero_grad()`` clears; the authors' code does not
    detach). Both pass, and the message says which was chosen; a gradient that reaches ``f_real`` must be
    the paper's. The code's per-image form (notebook 05, Section 2), a squared norm, a mean over the wrong
    dimension and a detached ``f_fake`` each fail with a message naming the mistake."""
    from . import ganomaly

    name = "the paper's adversarial loss"
    if (refused := _refuse_borrowed(name, fn, (ganomaly.adversarial_loss,))) is not None:
        return refused

    def ref(fr, ff):
        return (fr.detach() - ff.mean(dim=0, keepdim=True)).norm(dim=1).mean()

    wrong = {
        lambda fr, ff: ((fr - ff) ** 2).mean():
            "that is the code's per-image form of Section 2 (each image against its own reconstruction, mean of "
            "squares); the exercise's form matches each f(x) with the batch mean of f(G(x))",
        lambda fr, ff: (fr - ff).norm(dim=1).mean():
            "you matched each image with its own reconstruction; the exercise's form matches each f(x) with the batch mean "
            "of f(G(x)) (f_fake.mean(dim=0))",
        lambda fr, ff: ((fr - ff.mean(dim=0, keepdim=True)) ** 2).sum(dim=1).mean():
            "that is the squared norm; the exercise's form takes the L2 norm itself (take the square root per image, "
            "before the mean over images)",
        lambda fr, ff: ((fr - ff.mean(dim=0, keepdim=True)) ** 2).mean():
            "that is a mean of squares over images and features; the exercise's form takes the L2 norm of each image's "
            "difference, then the mean over images",
        lambda fr, ff: (fr - ff.mean(dim=0, keepdim=True)).norm():
            "that is one norm over the whole batch; take the norm of each image's row (dim=1), then the mean "
            "over images",
        lambda fr, ff: (fr - ff.mean(dim=0, keepdim=True)).norm(dim=1).sum():
            "that is the sum over images; the expectation E_x is their mean",
        lambda fr, ff: (fr - ff.mean(dim=1, keepdim=True)).norm(dim=1).mean():
            "you averaged f(G(x)) over its features (dim=1); the batch mean is over the images (dim=0)",
        lambda fr, ff: (fr - ff.mean(dim=0, keepdim=True)).norm(dim=0).mean():
            "you took the norm over the images (dim=0); each image's norm is over its m features (dim=1)",
        lambda fr, ff: (fr.mean(dim=0, keepdim=True) - ff).norm(dim=1).mean():
            "you averaged f(x) over the batch; the paper averages the reconstructions' features f(G(x)) and "
            "keeps each f(x)",
    }
    for t in range(3):
        f_real, f_fake = _features(torch.Generator().manual_seed(70 + t))
        got, failed = _attempt(name, fn, f_real, f_fake)
        if failed is not None:
            return failed
        if not isinstance(got, torch.Tensor):
            return _fail(name, f"expected a torch tensor (the loss is differentiated), got {type(got).__name__}")
        if got.numel() != 1:
            return _fail(name, f"expected one number for the batch (a loss), got shape {tuple(got.shape)}")
        want = ref(f_real, f_fake)
        if not torch.allclose(got.detach().double().reshape(()), want.detach(), atol=1e-6, rtol=1e-5):
            for wrong_fn, message in wrong.items():
                if torch.allclose(got.detach().double().reshape(()), wrong_fn(f_real, f_fake).detach(),
                                  atol=1e-6, rtol=1e-5):
                    return _fail(name, message)
            return _fail(name, f"got {got.item():.6g}, expected {want.item():.6g}: "
                               "mean over images of || f(x) - mean over the batch of f(G(x)) ||_2")
        if not got.requires_grad:
            return _fail(name, "no gradient reaches f_fake: the generator learns through f(G(x)), so do not "
                               "detach it (or compute it under torch.no_grad())")
        g_real, g_fake = torch.autograd.grad(got.reshape(()), (f_real, f_fake), allow_unused=True)
        real_detached = g_real is None or not g_real.abs().max() > 0
        if not real_detached:   # not detached: allowed, but then its gradient must be the paper's
            (want_real,) = torch.autograd.grad(
                (f_real - f_fake.mean(dim=0, keepdim=True)).norm(dim=1).mean(), f_real)
            if not torch.allclose(g_real, want_real, atol=1e-6, rtol=1e-5):
                return _fail(name, "right value, wrong gradient with respect to f_real")
        (want_fake,) = torch.autograd.grad(ref(f_real, f_fake), f_fake)
        if g_fake is None or not g_fake.abs().max() > 0:
            return _fail(name, "f_fake is detached, so the generator gets no gradient from this loss: it learns "
                               "through f(G(x)), so keep f_fake in the graph")
        if not torch.allclose(g_fake, want_fake, atol=1e-6, rtol=1e-5):
            return _fail(name, "right value, wrong gradient with respect to f_fake")
    note = ("f_real is detached: f(x) is a fixed target for G, and detaching it saves a backward pass through D "
            "for the real images" if real_detached else
            "f_real is not detached, as in the authors' code: G's gradient is the same (f(x) does not depend on "
            "G); detaching it would save a backward pass through D for the real images")
    return CheckResult(name, True, True, "value and gradients agree with E_x || f(x) - E_x f(G(x)) ||_2 on 3 "
                                         f"random batches; {note}")


def _score_sets(g: torch.Generator):
    """Validation and test scores as numpy arrays, as ``det.anomaly_score`` returns them."""
    return ((torch.rand(30, generator=g, dtype=torch.float64) + 1).numpy(),
            (3 * torch.rand(int(torch.randint(3, 20, (1,), generator=g)), generator=g, dtype=torch.float64)).numpy())


def check_validation_minmax(fn) -> CheckResult:
    """Exercise (notebook 05): ``fn(val_scores, scores)`` scales ``scores`` with the minimum and maximum
    of the *validation* scores, so that a single test image can be scored on its own."""
    from . import ganomaly

    name = "min-max from validation"

    def ref(v, s):
        return ganomaly.minmax_normalise(s, v.min().item(), v.max().item())

    result = check(name, fn, ref, _score_sets, forbidden=(ganomaly.minmax_normalise,),
                   hint="(scores - min(val)) / (max(val) - min(val)); test scores may leave [0, 1]")
    return _diagnose(result, fn, _score_sets, {
        lambda v, s: (s - s.min()) / (s.max() - s.min()):
            "you used the test scores' own minimum and maximum: then an image's score depends on the rest "
            "of the batch, and one image alone gives 0 / 0. Use the validation scores",
        lambda v, s: (s - v.min()) / v.max(): "divide by the validation range, max - min",
        lambda v, s: np.clip((s - v.min()) / (v.max() - v.min()), 0, 1):
            "do not clip to [0, 1]: a test image scoring beyond every validation image must stay above 1, or the "
            "most anomalous images all tie",
    })


def check_minmax_flip(fn) -> CheckResult:
    """Exercise (notebook 05, Exercise 2's second step): ``fn(val_scores)`` returns raw test scores (at least
    two) whose *first* image gets another verdict under the authors' normalisation than under the
    validation one. Both flag an image whose normalised score exceeds the same number phi: the validation
    95th percentile t, normalised with the validation minimum and maximum. With the validation range the
    verdict is s > t whatever else is in the test set; with the test set's own minimum and maximum it
    depends on the other test images."""
    name = "a test set where min-max over the test set flips a verdict"
    for t in range(3):
        val, _ = _score_sets(torch.Generator().manual_seed(90 + t))
        got, failed = _attempt(name, fn, val.copy())
        if failed is not None:
            return failed
        try:
            scores = np.asarray(got.detach().cpu() if torch.is_tensor(got) else got, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            return _fail(name, f"expected an array of test scores, got {type(got).__name__}")
        if scores.size < 2:
            return _fail(name, "one score alone: its min-max over the test set is 0 / 0, so the authors' version "
                               "gives it no verdict at all; a flip needs other test images beside the first")
        if not np.all(np.isfinite(scores)):
            return _fail(name, "your test scores contain nan or inf; raw scores are finite numbers")
        if scores.max() == scores.min():
            return _fail(name, "all your test scores are equal: min-max over the test set is then 0 / 0")
        lo, hi = val.min(), val.max()
        phi = (np.percentile(val, 95) - lo) / (hi - lo)
        by_val = (scores[0] - lo) / (hi - lo) > phi
        by_test = (scores[0] - scores.min()) / (scores.max() - scores.min()) > phi
        if by_val == by_test:
            return _fail(name, f"your first image is {'flagged' if by_val else 'not flagged'} under both "
                               f"normalisations (phi = {phi:.3f} on validation set {t + 1}). With the validation "
                               "range its verdict is fixed by its raw score against the validation 95th "
                               "percentile; under min-max over the test set, the other images set the minimum "
                               "and the maximum: choose them so that the first image lands on the other side of phi")
    return CheckResult(name, True, True, "on 3 validation sets, your first test image gets one verdict with the "
                                         "validation range and the other with the test set's own range")


#: seeds of the check's three sets of epochs, chosen so that every mistake below gives another answer than the
#: reference on each of them (picking on A, on B and on the whole test set pick three different epochs)
_OPTIMISM_SEEDS = (503, 507, 512)


def _epoch_scores(seed: int):
    """Test scores of a few epochs (epochs x images) whose true quality differs little, so that which epoch
    looks best depends on the half of the test set looked at; labels; and a stratified half A."""
    from . import ganomaly

    rng = np.random.default_rng(seed)
    n_epochs, n = int(rng.integers(6, 11)), int(rng.integers(160, 240))
    y = rng.random(n) < 0.35
    y[:2] = True, False
    shared = rng.standard_normal(n)   # what every epoch's model sees alike in an image
    signal = 1.0 + 0.05 * rng.standard_normal(n_epochs)
    scores = signal[:, None] * y + 0.5 * shared + 0.8 * rng.standard_normal((n_epochs, n))
    return scores, y, ganomaly.stratified_halves(y, seed=seed)


def _split_variant(scores, y, in_a, *, pick_on="A", read="A", minus="B", base=1, separate=False, lowest=False):
    """The reference (defaults) and the usual mistakes: which half picks, which AUROCs are subtracted."""
    from sklearn.metrics import roc_auc_score

    half = {"A": in_a, "B": ~in_a, "all": np.ones(len(y), bool)}
    auc = {k: np.array([roc_auc_score(y[m], s[m]) for s in scores]) for k, m in half.items()}
    k = int(np.argmin(auc[pick_on]) if lowest else np.argmax(auc[pick_on]))
    if separate:   # the best epoch of each half, each read on its own half
        return k + base, float(auc["A"].max() - auc["B"].max())
    return k + base, float(auc[read][k] - auc[minus][k])


def check_split_optimism(fn) -> CheckResult:
    """Exercise (notebook 05): ``fn(scores_by_epoch, is_anomaly, in_a)`` picks the epoch with the highest
    AUROC on half A of the test set (``in_a``, a boolean mask; ``scores_by_epoch``: one row of test scores
    per epoch) and returns (that epoch, numbered from 1; AUROC_A(picked) - AUROC_B(picked)), B being the
    other half. The usual mistakes are named: picking on the whole test set or on B, counting epochs from
    0, taking the lowest AUROC, the difference the wrong way round or against the whole test set, and the
    best of each half compared (B's best is picked again, on B's noise)."""
    from . import ganomaly

    name = "pick on one half, measure on the other"
    if (refused := _refuse_borrowed(name, fn, (ganomaly.split_optimism, ganomaly.selection_optimism))) is not None:
        return refused
    wrong = [
        (dict(pick_on="all"), "you picked the epoch on the whole test set, half B included: then B took part in "
                              "the choice and its AUROC is no longer free of selection bias. Pick on A alone"),
        (dict(pick_on="B"), "you picked the epoch on half B; pick on A (in_a) and read the choice on B"),
        (dict(base=0), "epochs are numbered from 1 in the notebook (epoch 1 is row 0 of scores_by_epoch)"),
        (dict(lowest=True), "you took the epoch with the lowest AUROC on A; the test-picked epoch has the highest"),
        (dict(read="B", minus="A"), "the difference has the wrong sign: AUROC on A (where the epoch was picked) "
                                    "minus AUROC on B"),
        (dict(minus="all"), "you subtracted the picked epoch's AUROC on the whole test set, which half A is part "
                            "of; the honest reading is on half B alone"),
        (dict(read="all", minus="B"), "you took the picked epoch's AUROC on the whole test set; take it on half A, "
                                      "where it was picked"),
        (dict(separate=True), "you compared the best epoch on A with the best epoch on B: the maximum on B picks "
                              "again, on B's own noise. Read the epoch picked on A on half B"),
    ]
    for seed in _OPTIMISM_SEEDS:
        scores, y, in_a = _epoch_scores(seed)
        want = _split_variant(scores, y, in_a)
        got, failed = _attempt(name, fn, scores.copy(), y.copy(), in_a.copy())
        if failed is not None:
            return failed
        try:
            epoch, optimism = got
            epoch, optimism = int(epoch), float(optimism)
        except (TypeError, ValueError):
            return _fail(name, f"expected a pair (epoch, AUROC_A - AUROC_B), got {got!r:.80}")
        if epoch == want[0] and math.isclose(optimism, want[1], abs_tol=1e-7):
            continue
        for kw, message in wrong:
            bad = _split_variant(scores, y, in_a, **kw)
            if epoch == bad[0] and math.isclose(optimism, bad[1], abs_tol=1e-7):
                return _fail(name, message)
        if epoch != want[0]:
            return _fail(name, f"picked epoch {epoch}, expected {want[0]} (the highest AUROC on half A, numbered "
                               "from 1)")
        return _fail(name, f"right epoch ({epoch}), but the difference is {optimism:.4f}, expected {want[1]:.4f}: "
                           "AUROC_A(picked) - AUROC_B(picked)")
    return CheckResult(name, True, True, "right epoch and difference on 3 random sets of epochs")


# ------------------------------------------------------------------ notebook 06: comparison


def _reference_mean_auroc(rows, method, dataset, *, keep_incomplete=False):
    by_seed: dict = {}
    for r in rows:
        if r["method"] == method and r["dataset"] == dataset:
            by_seed.setdefault(r["seed"], {})[r["class"]] = r["auroc"]
    classes = set().union(*by_seed.values())
    complete = [v for v in by_seed.values() if keep_incomplete or set(v) == classes]
    return float(np.mean([np.mean(list(v.values())) for v in complete]))


def _random_rows(g: torch.Generator):
    rows = []
    for method in ("knn", "ganomaly"):
        for dataset in ("mnist", "fashion_mnist"):
            n_seeds = 4 if method == "ganomaly" else int(torch.randint(2, 4, (1,), generator=g))
            # one or two seeds, any of them, have not finished every class yet
            unfinished = set(torch.randperm(n_seeds, generator=g)[:int(torch.randint(1, 3, (1,), generator=g))].tolist())
            for seed in range(n_seeds):
                n_classes = int(torch.randint(2, 10, (1,), generator=g)) if seed in unfinished else 10
                for c in range(n_classes):
                    rows.append({"method": method, "dataset": dataset, "class": c, "seed": seed,
                                 "auroc": float(torch.rand(1, generator=g))})
    return rows, "ganomaly", "fashion_mnist"


def check_mean_auroc(fn) -> CheckResult:
    """Exercise (notebook 06): ``fn(rows, method, dataset)`` averages AUROC over classes per seed, then over
    seeds, leaving out a seed that has not run every class (as notebook 06's Section 3 does)."""
    from . import comparison

    name = "mean AUROC over classes and seeds"
    result = check(name, fn, _reference_mean_auroc, _random_rows,
                   hint="keep only the rows of that method and data set; average per seed over the classes, "
                        "leaving out a seed that has not run every class; then average over seeds",
                   forbidden=(comparison.summary, comparison.class_mean_stats, comparison.summary_table,
                              comparison.seed_means))
    return _diagnose(result, fn, _random_rows, {
        lambda rows, m, d: float(np.mean([r["auroc"] for r in rows if r["method"] == m and r["dataset"] == d])):
            "that is the mean over all rows: a seed that covers fewer classes then counts less. Average per "
            "seed first, then over seeds",
        lambda rows, m, d: float(np.mean([r["auroc"] for r in rows if r["method"] == m])):
            "keep only the rows of the requested data set too",
        lambda rows, m, d: _reference_mean_auroc(rows, m, d, keep_incomplete=True):
            "seeds missing a class must be left out of the mean: a seed that has not run every class averages over "
            "*other* classes, so its mean is biased towards whichever classes it has. Leave it out until it is "
            "complete, as Section 3 does",
        lambda rows, m, d: float(np.median([np.mean([r["auroc"] for r in rows if r["method"] == m and
                                                     r["dataset"] == d and r["seed"] == s])
                                            for s in {r["seed"] for r in rows}])):
            "the mean over seeds, not the median",
    })


def _reference_class_differences(rows, a, b, dataset, *, shared=True, per_run=False, stat=np.mean):
    by: dict = {}
    for r in rows:
        if r["dataset"] == dataset and r["method"] in (a, b):
            by.setdefault(r["method"], {}).setdefault(r["class"], {})[r["seed"]] = r["auroc"]
    out = []
    for c in sorted(set(by.get(a, {})) & set(by.get(b, {}))):
        sa, sb = by[a][c], by[b][c]
        both = sorted(set(sa) & set(sb))
        if not both:
            continue
        if per_run:
            out.extend(sa[s] - sb[s] for s in both)
        elif shared:
            out.append(stat([sa[s] for s in both]) - stat([sb[s] for s in both]))
        else:
            out.append(stat(list(sa.values())) - stat(list(sb.values())))
    return np.array(out)


def _pair_rows(g: torch.Generator):
    """Grid rows of two methods on two data sets: ten classes of different difficulty, three seeds; on some
    classes GANomaly has not run every seed yet (so a class's seeds differ between the methods), and one or
    two classes it has not run at all."""
    rows = []
    missing = set(torch.randperm(10, generator=g)[:int(torch.randint(1, 3, (1,), generator=g))].tolist())
    for dataset in ("mnist", "fashion_mnist"):
        hard = 0.6 + 0.35 * torch.rand(10, generator=g, dtype=torch.float64)
        for method, effect in (("knn", 0.0), ("ganomaly", -0.02)):
            for c in range(10):
                if method == "ganomaly" and c in missing:
                    continue
                seeds = [0, 1, 2]
                if method == "ganomaly" and bool(torch.rand(1, generator=g) < 0.4):
                    seeds = seeds[:int(torch.randint(1, 3, (1,), generator=g))]
                for s in seeds:
                    rows.append({"method": method, "dataset": dataset, "class": c, "seed": s,
                                 "auroc": float(hard[c] + effect + 0.05 * torch.randn(1, generator=g, dtype=torch.float64))})
    order = torch.randperm(len(rows), generator=g).tolist()
    return [rows[i] for i in order], "ganomaly", "knn", "fashion_mnist"


def check_class_differences(fn) -> CheckResult:
    """Exercise (notebook 06): ``fn(rows, a, b, dataset)`` returns, for each class both methods ran (in class
    order), mean AUROC of ``a`` minus mean AUROC of ``b`` over the seeds *both* ran on that class: the ten
    (or fewer) differences a class-level paired test ranks, as ``comparison.class_paired_comparisons``
    does."""
    from . import comparison

    name = "one paired difference per class"
    result = check(name, fn, _reference_class_differences, _pair_rows,
                   hint="keep the data set's rows of the two methods; per class, take the seeds both methods ran, "
                        "average each method over them, subtract b's mean from a's; classes in increasing order",
                   # also the notebook's wrappers that return these differences (their ``diffs`` or
                   # ``per_class``): Section 9's budget study and Section 6's other-protocol study
                   forbidden=(comparison.class_paired_comparisons, comparison.paired_comparisons,
                              comparison.paired_comparison, comparison.budget_study, comparison.other_protocol))
    per_run = ("that is one difference per run, (class, seed): the seeds of one class share its data and its "
               "difficulty, so they are not independent pairs. Average each class's seeds first: one difference per class")
    if not result.passed and result.attempted:
        rows, a, b, d = _pair_rows(torch.Generator().manual_seed(1234))
        got, _ = _attempt(name, fn, copy.deepcopy(rows), a, b, d)
        try:
            n_got = len(got)
        except TypeError:
            n_got = None
        if n_got == len(_reference_class_differences(rows, a, b, d, per_run=True)):   # in whatever order
            return _fail(name, per_run)
    return _diagnose(result, fn, _pair_rows, {
        lambda rows, a, b, d: _reference_class_differences(rows, b, a, d):
            "the sign is flipped: return a's mean minus b's, so that a positive difference means a is higher",
        lambda rows, a, b, d: _reference_class_differences(rows, a, b, d, shared=False):
            "on a class where one method has not run every seed, average both methods over the seeds *both* ran: "
            "otherwise a seed only one method has (a lucky or unlucky split) enters one side of the difference only",
        lambda rows, a, b, d: _reference_class_differences(rows, a, b, d, stat=np.median):
            "average the seeds (the mean), not their median",
        lambda rows, a, b, d: np.concatenate([_reference_class_differences(rows, a, b, x)
                                              for x in ("mnist", "fashion_mnist")]):
            "keep only the rows of the requested data set: a test pairs classes of one data set",
    })


def _samples(g: torch.Generator, n: int | None = None):
    """A few AUROCs, one per seed: ``n`` values (2 to 7 when not given), and a confidence level."""
    drawn = int(torch.randint(2, 8, (1,), generator=g))
    n = n or drawn
    confidence = (0.95, 0.9, 0.99)[int(torch.randint(0, 3, (1,), generator=g))]
    return (0.7 + 0.05 * torch.randn(n, generator=g, dtype=torch.float64)).numpy(), confidence


def _t_interval(values, confidence=0.95, *, ddof=1, quantile="t", root=True, divide=True):
    from scipy import stats

    v = np.asarray(values, dtype=float)
    n = len(v)
    q = {"t": stats.t.ppf(0.5 + confidence / 2, n - 1), "z": stats.norm.ppf(0.5 + confidence / 2),
         "t_n": stats.t.ppf(0.5 + confidence / 2, n), "one_sided": stats.t.ppf(confidence, n - 1),
         "fixed": stats.t.ppf(0.975, n - 1)}[quantile]
    half = q * v.std(ddof=ddof) / ((np.sqrt(n) if root else n) if divide else 1.0)
    return float(v.mean() - half), float(v.mean() + half)


def check_confidence_interval(fn) -> CheckResult:
    """Exercise (notebook 06): ``fn(values, confidence)`` returns ``(low, high)``, the t-interval for the
    mean of a few values (one AUROC per seed): mean -+ t_{n-1} * s / sqrt(n), s with ddof = 1.

    The values come as a numpy array of 2 to 7 values; the check always tries 2 and 3 values (two and
    three seeds), where the choices of quantile and standard deviation matter most."""
    from scipy import stats as _stats

    from . import comparison

    name = "t-interval over seeds"
    variants = {
        lambda v, c: _t_interval(v, c, ddof=0): "np.std divides by n by default (ddof=0); the sample standard "
                                                "deviation over seeds divides by n - 1 (ddof=1), which matters "
                                                "with two or three seeds",
        lambda v, c: _t_interval(v, c, quantile="z"): "1.96 is the normal distribution's quantile; with a few "
                                                      "seeds the mean follows a t distribution with n - 1 degrees "
                                                      "of freedom (about 4.3 for 3 seeds, 12.7 for 2)",
        lambda v, c: _t_interval(v, c, quantile="t_n"): "the t distribution has n - 1 degrees of freedom, not n",
        lambda v, c: _t_interval(v, c, root=False): "the standard error of the mean is s / sqrt(n), not s / n",
        lambda v, c: _t_interval(v, c, divide=False): "that interval is for one new value; the *mean* of n values "
                                                      "varies less: divide s by sqrt(n)",
        lambda v, c: _t_interval(v, c, quantile="one_sided"): "a two-sided interval puts (1 - confidence) / 2 in each "
                                                              "tail: the quantile at 0.5 + confidence / 2",
        lambda v, c: _t_interval(v, c, quantile="fixed"): "use the confidence you are given (the check tries 0.9, "
                                                          "0.95 and 0.99), not a fixed 0.975 quantile",
    }
    trials = 0
    for make_inputs, n_trials in ((_samples, 3), (lambda g: _samples(g, 2), 2), (lambda g: _samples(g, 3), 2)):
        result = check(name, fn, _t_interval, make_inputs, trials=n_trials, atol=1e-6, rtol=1e-6,
                       hint="scipy.stats.t.ppf(0.5 + confidence / 2, n - 1) * values.std(ddof=1) / sqrt(n)",
                       forbidden=(comparison.t_interval, _stats.t.interval))   # stats.sem is only one part
        if not result.passed:
            return _diagnose(result, fn, make_inputs, variants)
        trials += n_trials
    return CheckResult(name, True, True, f"matches the reference on {trials} random inputs, with 2 and 3 values "
                                         f"(two and three seeds) among them")


# Holm's adjustment


def _p_family(g: torch.Generator, m_low: int = 2, m_high: int = 10):
    """A family of m_low to m_high p-values (no NaN) in shuffled order, built so that each step of Holm's
    adjustment matters: a close pair of small p-values (the second one's product (m - 1) p is below the
    first one's m p, so only the running maximum keeps the adjusted values in order), a large value with
    a multiplier of at least 2 and one near 1 (so the cap at 1 matters), a tie, then random values."""
    m = int(torch.randint(m_low, m_high + 1, (1,), generator=g))
    u = torch.rand(m + 6, generator=g, dtype=torch.float64).tolist()
    small = 0.002 + 0.02 * u[0]
    tie = round(0.01 + 0.05 * u[1], 3)
    pool = [small, small * (1.02 + 0.05 * u[2]), 0.55 + 0.3 * u[3], 0.9 + 0.099 * u[4], tie, tie]
    pool += [round(10 ** (-2.5 * v), 3) for v in u[6:]]   # spread evenly over the orders of magnitude
    p = np.array(pool[:m])
    order = torch.randperm(m, generator=g).numpy()
    if (np.diff(p[order]) >= 0).all():   # never hand over a sorted family: the order must be restored
        order = order[::-1]
    return ([float(v) for v in p[order]],)   # a list of floats, as the notebook says


def _holm(p_values, *, multipliers="down", running_max=True, cap=True, sorted_order=False):
    """Holm's adjustment, and the usual wrong versions of it: multipliers "down" (m - j, Holm), "up"
    (j + 1) or "all" (m for every p-value, Bonferroni); without the running maximum; without the cap at
    1; or in sorted order instead of the input order."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    j = np.arange(m)
    factor = {"down": m - j, "up": j + 1, "all": np.full(m, m)}[multipliers]
    adjusted = factor * p[order]
    if cap:
        adjusted = np.minimum(1.0, adjusted)
    if running_max:
        adjusted = np.maximum.accumulate(adjusted)
    if sorted_order:
        return adjusted
    out = np.empty(m)
    out[order] = adjusted
    return out


def check_holm(fn) -> CheckResult:
    """Exercise (notebook 06): ``fn(p_values)`` returns Holm's adjusted p-values, in the order of the input
    (a list or an array of floats). Holm's step-down procedure: sort the m p-values ascending; the j-th
    smallest (j counted from 0) gets min(1, (m - j) * p_(j)), raised to the largest such value before it
    (a running maximum); each value goes back to its p-value's position.

    The p-values come as a list of 2 to 10 floats, never sorted, without NaN (``comparison.holm`` leaves
    NaN entries out of the count; the exercise has none). A list sorted in place is reported."""
    from . import comparison

    try:
        from statsmodels.stats.multitest import multipletests
    except ImportError:
        multipletests = None

    name = "Holm's adjustment"
    variants = {
        lambda p: _holm(p, multipliers="all"):
            "that is Bonferroni's adjustment (m * p for every p-value). Holm multiplies only the smallest p-value "
            "by m, the next by m - 1, and so on down to 1 for the largest: the same guarantee, less conservative",
        lambda p: _holm(p, multipliers="all", cap=False):
            "that is Bonferroni's adjustment (m * p for every p-value), without the cap at 1. Holm multiplies only "
            "the smallest p-value by m, the next by m - 1, and so on down to 1 for the largest",
        lambda p: _holm(p, running_max=False):
            "your adjusted p-values are not monotone: a larger raw p-value got a smaller adjusted one. Take the "
            "running maximum along the sorted order (np.maximum.accumulate): Holm's procedure steps down and "
            "stops at the first p-value it cannot reject, so no later one can be rejected either",
        lambda p: _holm(p, multipliers="up"):
            "the multipliers run the wrong way: the *smallest* p-value is multiplied by m (it is tested against "
            "alpha / m), the largest by 1, that is (m - j) * p_(j) with j counted from 0, not (j + 1) * p_(j)",
        lambda p: _holm(p, cap=False):
            "some adjusted p-values exceed 1: cap each product at 1, min(1, (m - j) * p_(j)); an adjusted "
            "p-value is still a probability",
        lambda p: _holm(p, sorted_order=True):
            "the values are right but in sorted order: put each adjusted p-value back at the position of its "
            "raw p-value in the input (the input is not sorted)",
    }
    trials = 0
    for make_inputs, n_trials in ((lambda g: _p_family(g, 6, 10), 3), (_p_family, 5)):
        result = check(name, fn, lambda p: np.asarray(comparison.holm(p)), make_inputs, trials=n_trials,
                       atol=1e-9, rtol=1e-9,
                       hint="sort ascending; multiply the j-th smallest (j = 0, 1, ...) by m - j and cap at 1; take "
                            "the running maximum; put each value back at its p-value's position",
                       forbidden=(comparison.holm, multipletests))
        if not result.passed:
            # the wrong versions are named on a large family, where every step of the procedure matters
            return _diagnose(result, fn, lambda g: _p_family(g, 8, 8), variants)
        trials += n_trials
    return CheckResult(name, True, True, f"matches the reference on {trials} families of 2 to 10 p-values, with "
                                         f"ties, values near 1 and unsorted input")
