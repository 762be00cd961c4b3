import numpy as np
import pytest

from ganad_lib.metrics import evaluate, false_alarm_se, fpr_at_tpr, threshold_from_validation


def test_hand_computed_case():
    # anomalies score 0.9, 0.6, 0.3; normals 0.8, 0.2, 0.1 (higher = more anomalous)
    scores = np.array([0.9, 0.6, 0.3, 0.8, 0.2, 0.1])
    y = np.array([1, 1, 1, 0, 0, 0], bool)
    # pairs (anomaly > normal): 0.9 beats 3, 0.6 beats 2, 0.3 beats 2 -> 7 of 9
    val = np.linspace(0.0, 0.5, 101)  # 95th percentile = 0.475
    r = evaluate(scores, y, val)
    assert r["auroc"] == pytest.approx(7 / 9)
    # ranking 0.9(+) 0.8(-) 0.6(+) 0.3(+) ...: AP = (1/1 + 2/3 + 3/4) / 3
    assert r["auprc"] == pytest.approx((1 + 2 / 3 + 3 / 4) / 3)
    assert r["threshold"] == pytest.approx(0.475)
    # flagged: 0.9, 0.6, 0.8 -> TP 2, FP 1, FN 1
    assert r["precision"] == pytest.approx(2 / 3) and r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 / 3)
    # TPR reaches 1.0 (>= 0.95) only at threshold 0.3, where 1 of 3 normals is above: FPR 1/3
    assert r["fpr_at_95_tpr"] == pytest.approx(1 / 3)


def test_perfect_and_inverted_detector():
    y = np.r_[np.zeros(50, bool), np.ones(50, bool)]
    s = np.r_[np.arange(50), np.arange(50) + 100.0]
    assert evaluate(s, y, s[:50])["auroc"] == 1.0
    assert evaluate(-s, y, -s[:50])["auroc"] == 0.0
    assert fpr_at_tpr(y, s) == 0.0


def test_threshold_uses_validation_only():
    s, y = np.array([0.1, 0.2, 0.9, 1.0]), np.array([0, 0, 1, 1])
    a = evaluate(s, y, val_scores=np.array([0.0, 0.05]))
    b = evaluate(s, y, val_scores=np.array([0.0, 5.0]))
    assert a["auroc"] == b["auroc"] and a["threshold"] != b["threshold"]
    assert threshold_from_validation([1, 2, 3, 4, 5], 50) == 3.0


def test_bad_input():
    with pytest.raises(ValueError, match="both normal images and anomalies"):
        evaluate([0.1, 0.2], [1, 1], [0.0])
    with pytest.raises(ValueError, match="NaN"):
        evaluate([np.nan, 0.2], [0, 1], [0.0])
    with pytest.raises(ValueError, match="3 test scores but 2 labels"):
        evaluate([0.1, 0.2, 0.3], [0, 1], [0.0])
    with pytest.raises(ValueError, match="empty"):
        evaluate([0.1, 0.2], [0, 1], [])


def test_fpr_at_tpr_with_tied_scores():
    # 20 score levels, each shared by one anomaly and one normal image: TPR reaches 0.95 at the
    # 19th level, where 19 of 20 normal images are above the threshold too -> FPR 0.95 exactly
    scores = np.repeat(np.arange(20, 0, -1), 2).astype(float)
    labels = np.tile([1, 0], 20).astype(bool)
    assert fpr_at_tpr(labels, scores, 0.95) == pytest.approx(0.95)


def test_false_alarm_se():
    # two binomial errors (threshold from 600 validation images, rate on 1900 test images): variances add
    assert false_alarm_se(600, 1900, 0.05) == pytest.approx(np.sqrt(0.0475 / 600 + 0.0475 / 1900))
    assert false_alarm_se(10**9, 100, 0.05) == pytest.approx(np.sqrt(0.0475 / 100), rel=1e-6)
    with pytest.raises(ValueError):
        false_alarm_se(0, 100, 0.05)
