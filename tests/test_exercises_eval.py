import numpy as np

from ganad_lib import exercises


def solution_auroc(scores, is_anomaly):
    a, n = scores[is_anomaly], scores[~is_anomaly]
    diff = a[:, None] - n[None, :]
    return ((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size


def stub(*args):
    raise NotImplementedError


def test_auroc_check():
    assert exercises.check_auroc(solution_auroc).passed
    r = exercises.check_auroc(stub)
    assert not r.passed and not r.attempted and r.message == exercises.NOT_ATTEMPTED
    # a classic mistake: forgetting that ties count one half -> still right without ties;
    # a real mistake: normal images as the positive class
    wrong = exercises.check_auroc(lambda s, y: solution_auroc(s, ~y))
    assert not wrong.passed and wrong.attempted and "differs" in wrong.message
    broken = exercises.check_auroc(lambda s, y: s[y].mean() - s[~y])
    assert not broken.passed and "shape" in broken.message


def test_threshold_check():
    assert exercises.check_validation_threshold(lambda v, p: np.percentile(v, p)).passed
    assert not exercises.check_validation_threshold(stub).attempted
    r = exercises.check_validation_threshold(lambda v, p: np.percentile(v, 100 - p))
    assert not r.passed and "Hint" in r.message
    err = exercises.check_validation_threshold(lambda v, p: v.undefined)
    assert not err.passed and "AttributeError" in err.message


def test_mean_auroc_check():
    def solution(rows, method, dataset):
        by_seed = {}
        for r in rows:
            if r["method"] == method and r["dataset"] == dataset:
                by_seed.setdefault(r["seed"], []).append(r["auroc"])
        return float(np.mean([np.mean(v) for v in by_seed.values()]))

    def flat_mean(rows, method, dataset):  # ignores the per-seed averaging
        return float(np.mean([r["auroc"] for r in rows if r["method"] == method and r["dataset"] == dataset]))

    assert exercises.check_mean_auroc(solution).passed
    assert not exercises.check_mean_auroc(flat_mean).passed
    assert not exercises.check_mean_auroc(stub).attempted


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
