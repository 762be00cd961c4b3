"""The exercise checks of notebooks 00 (evaluation) and 06 (comparison): the reference passes (see
tests/test_solutions.py), the wrong answers learners give fail with a message that names the mistake."""

import math

import numpy as np
import pytest
from exercise_helpers import failed_with, stub
from scipy import stats
from sklearn.metrics import roc_auc_score

from ganad_lib import comparison, exercises


def pairs(scores, is_anomaly, tie=0.5):
    a, n = scores[is_anomaly], scores[~is_anomaly]
    diff = a[:, None] - n[None, :]
    return ((diff > 0).sum() + tie * (diff == 0).sum()) / diff.size


# ----------------------------------------------------------------------------- notebook 00


def test_auroc_check_fails_the_usual_mistakes():
    assert exercises.check_auroc(pairs).passed
    r = exercises.check_auroc(stub)
    assert not r.passed and not r.attempted and r.message == exercises.NOT_ATTEMPTED
    failed_with(exercises.check_auroc(lambda s, y: pairs(s, y, tie=0.0)), "ties", "losses")
    failed_with(exercises.check_auroc(lambda s, y: pairs(s, y, tie=1.0)), "ties", "wins")
    failed_with(exercises.check_auroc(lambda s, y: pairs(s, ~y)), "1 - AUROC")
    failed_with(exercises.check_auroc(lambda s, y: pairs(-s, y)), "1 - AUROC")
    failed_with(exercises.check_auroc(lambda s, y: s[y].mean() - s[~y]), "shape")
    failed_with(exercises.check_auroc(lambda s, y: pairs(s, y) * y.sum()), "probability in [0, 1]")


def test_auroc_check_refuses_the_library():
    failed_with(exercises.check_auroc(lambda s, y: roc_auc_score(y, s)), "roc_auc_score", "yourself")
    failed_with(exercises.check_auroc(
        lambda s, y: stats.mannwhitneyu(s[y], s[~y]).statistic / (y.sum() * (~y).sum())), "mannwhitneyu")

    def via_a_helper(s, y):  # hidden one level down
        return helper(s, y)

    failed_with(exercises.check_auroc(via_a_helper), "roc_auc_score")


def helper(s, y):
    return roc_auc_score(y, s)


def conformal(v, p):
    """The learner's right answer: the ceil((n + 1)(1 - alpha))-th smallest score."""
    k = math.ceil((len(v) + 1) * p / 100 - 1e-9)
    return np.inf if k > len(v) else np.sort(v)[k - 1]


def test_threshold_check_wants_the_guarantee_and_fails_every_plain_percentile():
    assert exercises.check_validation_threshold(conformal).passed
    assert not exercises.check_validation_threshold(stub).attempted
    # numpy's interpolating and rounding percentiles, an index into the sorted scores, n in place of n + 1:
    # each breaks the guarantee or is more conservative than needed on one of the check's samples
    for method in ("linear", "lower", "higher", "nearest", "inverted_cdf", "closest_observation"):
        r = exercises.check_validation_threshold(lambda v, p, m=method: np.percentile(v, p, method=m))
        assert not r.passed and ("guarantee is broken" in r.message or "lower than needed" in r.message), (method, r)
    failed_with(exercises.check_validation_threshold(lambda v, p: np.sort(v)[int(len(v) * p / 100)]), "")
    failed_with(exercises.check_validation_threshold(lambda v, p: np.sort(v)[math.ceil(len(v) * p / 100) - 1]),
                "guarantee is broken")
    # the message says by how many scores: at the 95th percentile np.percentile lands two scores too low for
    # n = 150 (9/151 against 7/151), n in place of n + 1 one
    failed_with(exercises.check_validation_threshold(lambda v, p: np.percentile(v, p)), "2 validation scores too low")
    failed_with(exercises.check_validation_threshold(lambda v, p: np.sort(v)[math.ceil(len(v) * p / 100) - 1]),
                "1 validation score too low")
    failed_with(exercises.check_validation_threshold(lambda v, p: np.percentile(v, 100 - p)), "near the bottom")
    failed_with(exercises.check_validation_threshold(lambda v, p: v.max()), "lower than needed")
    failed_with(exercises.check_validation_threshold(lambda v, p: v.mean() + 2 * v.std() * 3), "lower than needed")
    failed_with(exercises.check_validation_threshold(lambda v, p: v.undefined), "AttributeError")
    from ganad_lib import metrics

    failed_with(exercises.check_validation_threshold(metrics.threshold_from_validation), "yourself")


def test_flag_probability_by_hand():
    """Among n + 1 exchangeable scores the new one's rank is uniform: with 4 validation scores and the
    threshold at the 3rd smallest, it lies above in 2 of the 5 equally likely positions."""
    val = np.array([3.0, 1.0, 4.0, 2.0])
    assert exercises.flag_probability(val, 3.0) == 2 / 5
    assert exercises.flag_probability(val, 3.5) == 2 / 5
    assert exercises.flag_probability(val, 0.0) == 1.0 and exercises.flag_probability(val, np.inf) == 1 / 5


def test_flag_all_f1_check():
    assert exercises.check_flag_all_f1(lambda n, a: 2 * (a / (n + a)) / (1 + a / (n + a))).passed
    assert not exercises.check_flag_all_f1(stub).attempted
    failed_with(exercises.check_flag_all_f1(lambda n, a: a / (n + a)), "precision alone")
    failed_with(exercises.check_flag_all_f1(lambda n, a: 1.0), "precision is not")
    failed_with(exercises.check_flag_all_f1(lambda n, a: (a / (n + a) + 1) / 2), "harmonic")
    failed_with(exercises.check_flag_all_f1(lambda n, a: 2 * (n / (n + a)) / (1 + n / (n + a))), "positives")
    failed_with(exercises.check_flag_all_f1(lambda n, a: 0.5), "Hint")

    def with_sklearn(n, a):
        from sklearn.metrics import f1_score

        return f1_score(np.r_[np.zeros(n), np.ones(a)], np.ones(n + a))

    failed_with(exercises.check_flag_all_f1(with_sklearn), "f1_score")


# ----------------------------------------------------------------------------- notebook 06


def mean_auroc(rows, method, dataset, keep_incomplete=False):
    by_seed = {}
    for r in rows:
        if r["method"] == method and r["dataset"] == dataset:
            by_seed.setdefault(r["seed"], {})[r["class"]] = r["auroc"]
    classes = set().union(*by_seed.values())
    done = [v for v in by_seed.values() if keep_incomplete or set(v) == classes]
    return float(np.mean([np.mean(list(v.values())) for v in done]))


def test_mean_auroc_check():
    assert exercises.check_mean_auroc(mean_auroc).passed
    failed_with(exercises.check_mean_auroc(lambda rows, m, d: float(np.mean(
        [r["auroc"] for r in rows if r["method"] == m and r["dataset"] == d]))), "per seed first")
    failed_with(exercises.check_mean_auroc(lambda rows, m, d: float(np.mean(
        [r["auroc"] for r in rows if r["method"] == m]))), "data set")
    failed_with(exercises.check_mean_auroc(lambda *a: mean_auroc(*a, keep_incomplete=True)),
                "seeds missing a class must be left out of the mean", "biased")
    # a function that merely skips seed 0 (where the unfinished seed once always was) is caught too
    assert not exercises.check_mean_auroc(lambda rows, m, d: mean_auroc(
        [r for r in rows if r["seed"] != 0], m, d, keep_incomplete=True)).passed
    assert not exercises.check_mean_auroc(stub).attempted


def class_differences(rows, a, b, dataset, *, shared=True, per_run=False, stat=np.mean):
    """The reference written out again in plain Python (a learner's correct answer)."""
    by = {}
    for r in rows:
        if r["dataset"] == dataset and r["method"] in (a, b):
            by.setdefault((r["method"], r["class"]), {})[r["seed"]] = r["auroc"]
    out = []
    for c in range(10):
        if (a, c) not in by or (b, c) not in by:
            continue
        sa, sb = by[(a, c)], by[(b, c)]
        both = [s for s in sa if s in sb]
        if per_run:
            out += [sa[s] - sb[s] for s in both]
        elif shared:
            out.append(stat([sa[s] for s in both]) - stat([sb[s] for s in both]))
        else:
            out.append(stat(list(sa.values())) - stat(list(sb.values())))
    return out


def test_class_differences_check():
    from ganad_lib import comparison

    assert exercises.check_class_differences(class_differences).passed
    assert exercises.check_class_differences(lambda *x: np.array(class_differences(*x))).passed
    failed_with(exercises.check_class_differences(lambda *x: class_differences(*x, per_run=True)),
                "one difference per run", "not independent")
    failed_with(exercises.check_class_differences(lambda rows, a, b, d: class_differences(rows, b, a, d)),
                "sign is flipped")
    failed_with(exercises.check_class_differences(lambda *x: class_differences(*x, shared=False)),
                "seeds *both* ran")
    failed_with(exercises.check_class_differences(lambda *x: class_differences(*x, stat=np.median)), "median")
    failed_with(exercises.check_class_differences(
        lambda rows, a, b, d: class_differences(rows, a, b, "mnist") + class_differences(rows, a, b, "fashion_mnist")),
        "requested data set")

    def borrowed(rows, a, b, d):
        return list(comparison.class_paired_comparisons(rows, datasets=(d,), pairs=((a, b),), adjust=None)[0].diffs)

    failed_with(exercises.check_class_differences(borrowed), "class_paired_comparisons")
    assert not exercises.check_class_differences(stub).attempted


def interval(values, confidence, ddof=1, q=None, root=True):
    v = np.asarray(values, dtype=float)
    n = len(v)
    q = stats.t.ppf(0.5 + confidence / 2, n - 1) if q is None else q(n, confidence)
    half = q * v.std(ddof=ddof) / (np.sqrt(n) if root else n)
    return v.mean() - half, v.mean() + half


def test_confidence_interval_check_fails_the_usual_mistakes():
    assert exercises.check_confidence_interval(interval).passed
    assert not exercises.check_confidence_interval(stub).attempted
    failed_with(exercises.check_confidence_interval(lambda v, c: interval(v, c, ddof=0)), "ddof=1")
    failed_with(exercises.check_confidence_interval(
        lambda v, c: interval(v, c, q=lambda n, c: 1.96)), "1.96", "n - 1")
    failed_with(exercises.check_confidence_interval(
        lambda v, c: interval(v, c, q=lambda n, c: stats.t.ppf(0.5 + c / 2, n))), "n - 1 degrees")
    failed_with(exercises.check_confidence_interval(lambda v, c: interval(v, c, root=False)), "sqrt(n)")
    def no_standard_error(v, c):   # s instead of s / sqrt(n)
        half = stats.t.ppf(0.5 + c / 2, len(v) - 1) * np.std(v, ddof=1)
        return np.mean(v) - half, np.mean(v) + half

    failed_with(exercises.check_confidence_interval(no_standard_error), "one new value")
    failed_with(exercises.check_confidence_interval(lambda v, c: interval(v, c, q=lambda n, c: stats.t.ppf(c, n - 1))),
                "each tail")
    failed_with(exercises.check_confidence_interval(lambda v, c: interval(v, c, q=lambda n, c: stats.t.ppf(0.975, n - 1))),
                "fixed")


def test_confidence_interval_check_accepts_an_array_and_scipys_standard_error():
    """The same interval returned as an array of two numbers, or built on scipy.stats.sem (one part of the
    answer, not the answer), passes; scipy's ready-made t.interval is refused."""
    assert exercises.check_confidence_interval(lambda v, c: np.array(interval(v, c))).passed

    def with_sem(v, c):
        half = stats.t.ppf(0.5 + c / 2, len(v) - 1) * stats.sem(v)
        return np.mean(v) - half, np.mean(v) + half

    assert exercises.check_confidence_interval(with_sem).passed
    failed_with(exercises.check_confidence_interval(
        lambda v, c: stats.t.interval(c, len(v) - 1, loc=np.mean(v), scale=stats.sem(v))), "already computes")
    # an array of the wrong length is still refused
    failed_with(exercises.check_confidence_interval(lambda v, c: np.array([*interval(v, c), 0.0])), "sequence of 2")


def test_confidence_interval_check_tries_two_and_three_seeds():
    r = exercises.check_confidence_interval(interval)
    assert r.passed and "2 and 3 values" in r.message, r
    seen = []

    def recording(v, c):
        seen.append(len(v))
        return interval(v, c)

    assert exercises.check_confidence_interval(recording).passed
    assert {2, 3} <= set(seen), seen

    def wrong_for_two_seeds(v, c):   # right from three values on, a normal quantile for two
        return interval(v, c, q=lambda n, c: stats.norm.ppf(0.5 + c / 2)) if len(v) == 2 else interval(v, c)

    failed_with(exercises.check_confidence_interval(wrong_for_two_seeds), "1.96", "12.7 for 2")

    def always_two_degrees_of_freedom(v, c):   # the quantile of three seeds, whatever n is
        return interval(v, c, q=lambda n, c: stats.t.ppf(0.5 + c / 2, 2))

    assert not exercises.check_confidence_interval(always_two_degrees_of_freedom).passed


@pytest.mark.parametrize("library", [lambda v, c: tuple(comparison.t_interval(v, c))[:2],
                                     lambda v, c: stats.t.interval(c, len(v) - 1, np.mean(v), stats.sem(v))])
def test_confidence_interval_check_refuses_ready_made_intervals(library):
    failed_with(exercises.check_confidence_interval(library), "yourself")


def test_check_reports_a_function_that_changes_its_input_in_place():
    import torch

    def reference(x):
        return x * 2

    def in_place(x):
        return x.mul_(2)

    r = exercises.check("double", in_place, reference, lambda g: (torch.randn(5, generator=g),))
    assert not r.passed and "changed its input #1 in place" in r.message
    ok = exercises.check("double", lambda x: x.clone() * 2, reference, lambda g: (torch.randn(5, generator=g),))
    assert ok.passed


def holm(p_values, multipliers="down", running_max=True, cap=True, sorted_order=False):
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    order = np.argsort(p)
    factor = {"down": m - np.arange(m), "up": np.arange(m) + 1, "all": np.full(m, m)}[multipliers]
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


def holm_in_plain_python(p_values):   # lists only, as a learner without numpy might write it
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    out, running = [0.0] * m, 0.0
    for j, i in enumerate(order):
        running = max(running, min(1.0, (m - j) * p_values[i]))
        out[i] = running
    return out


def test_holm_check_passes_holm_in_any_form():
    r = exercises.check_holm(holm)
    assert r.passed and "8 families" in r.message, r
    assert exercises.check_holm(holm_in_plain_python).passed
    assert exercises.check_holm(lambda p: list(holm(p))).passed
    r = exercises.check_holm(stub)
    assert not r.passed and not r.attempted and r.message == exercises.NOT_ATTEMPTED


def test_holm_check_inputs_make_every_step_matter():
    import torch

    for seed in range(1234, 1260):
        for m_low, m_high in ((2, 10), (6, 10), (8, 8)):
            (p,) = exercises._p_family(torch.Generator().manual_seed(seed), m_low, m_high)
            assert isinstance(p, list) and all(type(v) is float for v in p)   # as the notebook says
            p = np.array(p)
            assert 2 <= len(p) <= 10 and np.isfinite(p).all() and ((p > 0) & (p <= 1)).all()
            assert not (np.diff(p) >= 0).all()   # never sorted
            np.testing.assert_allclose(holm(p), comparison.holm(p))
            if len(p) >= 6:   # a tie, the cap and the running maximum all change the result
                assert len(set(p.tolist())) < len(p)
                assert not np.allclose(holm(p, cap=False), holm(p))
                assert not np.allclose(holm(p, running_max=False), holm(p))


def test_holm_check_fails_the_usual_mistakes():
    failed_with(exercises.check_holm(lambda p: holm(p, multipliers="all")), "Bonferroni")
    failed_with(exercises.check_holm(lambda p: holm(p, multipliers="all", cap=False)), "Bonferroni", "cap")
    failed_with(exercises.check_holm(lambda p: holm(p, running_max=False)), "not monotone", "running maximum")
    failed_with(exercises.check_holm(lambda p: holm(p, multipliers="up")), "wrong way", "(m - j)")
    failed_with(exercises.check_holm(lambda p: holm(p, cap=False)), "exceed 1", "cap")
    failed_with(exercises.check_holm(lambda p: holm(p, sorted_order=True)), "sorted order", "position")
    failed_with(exercises.check_holm(lambda p: holm(p)[::-1]), "Hint")
    failed_with(exercises.check_holm(lambda p: p.undefined), "AttributeError")
    failed_with(exercises.check_holm(lambda p: holm(p)[1:]), "shape")


def test_holm_check_names_an_input_sorted_in_place():
    def sorts_the_input(p):
        p.sort()
        return holm(p)

    failed_with(exercises.check_holm(sorts_the_input), "in place", "x.copy()")


def test_holm_check_refuses_the_library():
    failed_with(exercises.check_holm(comparison.holm), "holm", "yourself")
    failed_with(exercises.check_holm(lambda p: comparison.holm(list(p))), "holm", "yourself")


def test_holm_check_refuses_the_library_under_the_exercises_own_name():
    # in the notebook the learner's function is called ``holm`` too
    namespace = {}
    exec("from ganad_lib import comparison\n"
         "def holm(p_values):\n"
         "    return comparison.holm(p_values)\n", namespace)
    failed_with(exercises.check_holm(namespace["holm"]), "holm", "yourself")
    exec("def holm(p_values):\n"
         "    from ganad_lib.comparison import holm\n"
         "    return holm(p_values)\n", namespace)
    failed_with(exercises.check_holm(namespace["holm"]), "holm", "yourself")
    exec("def holm(p_values):\n"
         "    import ganad_lib.comparison\n"
         "    return ganad_lib.comparison.holm(p_values)\n", namespace)
    failed_with(exercises.check_holm(namespace["holm"]), "holm", "yourself")


def test_false_alarm_se_check_fails_the_usual_mistakes():
    def se(n_val, n_test, p):
        return float(np.sqrt(p * (1 - p) / n_val + p * (1 - p) / n_test))

    assert exercises.check_false_alarm_se(se).passed
    # a slightly more exact variance of the quantile, p (1 - p) / (n_val + 1), is fine too
    assert exercises.check_false_alarm_se(
        lambda nv, nt, p: float(np.sqrt(p * (1 - p) / (nv + 1) + p * (1 - p) / nt))).passed
    assert not exercises.check_false_alarm_se(stub).attempted
    failed_with(exercises.check_false_alarm_se(lambda nv, nt, p: np.sqrt(p * (1 - p) / nt)), "threshold itself")
    failed_with(exercises.check_false_alarm_se(lambda nv, nt, p: np.sqrt(p * (1 - p) / nv)), "adds a binomial error")
    failed_with(exercises.check_false_alarm_se(
        lambda nv, nt, p: np.sqrt(p * (1 - p) / nv) + np.sqrt(p * (1 - p) / nt)), "variances")
    failed_with(exercises.check_false_alarm_se(lambda nv, nt, p: np.sqrt(p / nv + p / nt)), "p (1 - p)")
    failed_with(exercises.check_false_alarm_se(lambda nv, nt, p: 100 * se(nv, nt, p)), "percentage points")
    failed_with(exercises.check_false_alarm_se(lambda nv, nt, p: se(nv, nt, p) ** 2), "square root")
    failed_with(exercises.check_false_alarm_se(lambda nv, nt, p: 0.01), "Hint")
    # the library helper that notebook 00's results check uses is refused
    from ganad_lib import metrics
    failed_with(exercises.check_false_alarm_se(metrics.false_alarm_se), "yourself")
    failed_with(exercises.check_false_alarm_se(lambda nv, nt, p: metrics.false_alarm_se(nv, nt, p)), "yourself")


def test_false_alarm_rate_check_fails_the_usual_mistakes():
    def rate(val, test, q):
        return float((test > conformal(val, q)).mean())

    assert exercises.check_false_alarm_rate(rate).passed
    assert not exercises.check_false_alarm_rate(stub).attempted
    # np.percentile's threshold, or ranks counted among n scores: one or two validation scores too low
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: (t > np.percentile(v, q)).mean()), "np.percentile")
    failed_with(exercises.check_false_alarm_rate(
        lambda v, t, q: (t > np.sort(v)[math.ceil(len(v) * q / 100) - 1]).mean()), "n + 1")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: (t >= conformal(v, q)).mean()), "*equal*")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: (v > conformal(v, q)).mean()), "*validation*")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: (t <= conformal(v, q)).mean()), "*not* flagged")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: rate(v, t, 100 - q)), "near the bottom")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: (t > conformal(v, q)).sum()), "not a count")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: 100 * rate(v, t, q)), "not a percentage")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: 0.05), "Hint")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: v.undefined), "AttributeError")
    failed_with(exercises.check_false_alarm_rate(lambda v, t, q: (t, v)), "one number")
