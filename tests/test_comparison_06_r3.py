"""The failed-seed helpers notebook 06 used to define in plain view, now in ``ganad_lib.comparison``."""

import pytest

from ganad_lib import comparison


def rows_of(method, per_seed, dataset="mnist", protocol="one_class_anomalous", commit="abc1234"):
    """Rows of one method: per_seed[seed] = [AUROC per class] (a short list: a seed that missed classes)."""
    return [{"method": method, "dataset": dataset, "protocol": protocol, "class": c, "seed": s, "auroc": v,
             "git_commit": f"{commit}{s}"} for s, vals in enumerate(per_seed) for c, v in enumerate(vals)]


def test_seed_means_average_classes_per_seed_and_leave_out_incomplete_seeds():
    rows = rows_of("egbad", [[0.6, 0.8, 0.7], [0.5, 0.5, 0.8], [0.9, 0.9]])   # seed 2 missed class 2
    rows += rows_of("knn", [[0.9, 0.9, 0.9]], dataset="fashion_mnist")       # another data set: ignored
    got = comparison.seed_means(rows, "mnist")
    assert set(got) == {"egbad"} and set(got["egbad"]) == {0, 1}
    assert got["egbad"][0] == pytest.approx(0.7) and got["egbad"][1] == pytest.approx(0.6)


def test_failed_seeds_needs_every_other_seed_more_than_gap_above():
    rows = rows_of("egbad", [[0.30, 0.40], [0.60, 0.62], [0.58, 0.60]])       # seed 0: 0.35 against 0.61 and 0.59
    rows += rows_of("gan", [[0.50, 0.50], [0.55, 0.55], [0.70, 0.70]])        # 0.50: only 0.05 below 0.55
    rows += rows_of("pca", [[0.30, 0.30], [0.60, 0.60]])                      # only one other seed: no verdict
    got = comparison.failed_seeds(rows, "mnist")
    assert [(m, s) for m, s, _, _ in got] == [("egbad", 0)]
    m, s, mean, others = got[0]
    assert mean == pytest.approx(0.35) and others == pytest.approx([0.61, 0.59])
    # a larger gap: 0.35 is not 0.3 below 0.59
    assert comparison.failed_seeds(rows, "mnist", gap=0.3) == []


def test_seed_evidence_collects_the_reruns_labels_and_steady_baselines():
    rows = rows_of("egbad", [[0.30, 0.40], [0.60, 0.62], [0.58, 0.60]])
    failed = comparison.failed_seeds(rows, "mnist")
    reruns = [  # a re-run row of the failed seed itself, one of EGBAD under its commit label, one of another protocol
        {"method": "egbad", "dataset": "mnist", "protocol": "one_class_anomalous", "seed": "0", "git_commit_then": "x"},
        {"method": "egbad", "dataset": "fashion_mnist", "protocol": "one_class_anomalous", "seed": "1",
         "git_commit_then": "abc12340"},
        {"method": "egbad", "dataset": "mnist", "protocol": "one_class_normal", "seed": "0", "git_commit_then": "y"}]
    cm = {"pca": comparison.Interval(0.6, 0.59, 0.61, 3), "knn": comparison.Interval(0.7, 0.69, 0.71, 3),
          "egbad": comparison.Interval(0.5, 0.1, 0.9, 3)}
    ev = comparison.seed_evidence(rows, "mnist", failed, cm, reruns)
    assert ev["protocol"] == "one_class_anomalous"
    assert ev["rerun"][("egbad", 0)] == [reruns[0]]
    assert ev["labels"][("egbad", 0)] == ["abc12340"] and ev["labels_rerun"][("egbad", 0)] == ["abc12340"]
    assert set(ev["steady"]) == {"pca", "knn"}
