"""Notebook 03 (seventh review): the paired bootstrap of AUROCs moved from the notebook into ganad_lib.metrics."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from ganad_lib import metrics

Y = np.array([False, True, False, True])


def test_auroc_rows_hand_computed():
    # anomalies 0.4 and 0.8 against normal images 0.1 and 0.35: all 4 pairs the right way
    assert metrics.auroc_rows(Y, [0.1, 0.4, 0.35, 0.8]) == pytest.approx([1.0])
    # a tie (0.4 against 0.4) counts one half: (1 + 0.5 + 1 + 1) / 4
    assert metrics.auroc_rows(Y, [0.1, 0.4, 0.4, 0.8]) == pytest.approx([0.875])
    # the ranking reversed: no pair the right way
    assert metrics.auroc_rows(Y, [0.9, 0.2, 0.7, 0.1]) == pytest.approx([0.0])
    # one anomaly above one of the two normal images, the other above both: 3 of 4
    assert metrics.auroc_rows(Y, [0.1, 0.3, 0.5, 0.8]) == pytest.approx([0.75])


def test_auroc_rows_row_by_row_matches_sklearn():
    rng = np.random.default_rng(3)
    y = rng.random((5, 30)) < 0.4
    s = rng.integers(0, 6, (5, 30)).astype(float)          # many ties
    want = [roc_auc_score(y[r], s[r]) for r in range(5)]
    assert metrics.auroc_rows(y, s) == pytest.approx(want)


def test_auroc_rows_refuses_a_row_of_one_kind_and_bad_shapes():
    with pytest.raises(ValueError, match="both"):
        metrics.auroc_rows(np.array([[True, True, False], [True, True, True]]), np.ones((2, 3)))
    with pytest.raises(ValueError, match="same shape"):
        metrics.auroc_rows(Y, [0.1, 0.2, 0.3])


def test_paired_diff_hand_computed_ends():
    perfect, reversed_ = [0.1, 0.4, 0.35, 0.8], [0.9, 0.2, 0.7, 0.1]
    # every resample with both kinds ranks perfectly with the first and backwards with the second: 1 - 0
    d = metrics.paired_auroc_diff(Y, perfect, reversed_, level=0.99, n_boot=500)
    assert d == pytest.approx((1.0, 1.0, 1.0, 1.0, 1.0, 4))
    # the same scores twice: the difference is 0 in every draw (paired)
    same = metrics.paired_auroc_diff(Y, perfect, perfect, level=0.99, n_boot=500)
    assert same == pytest.approx((0.0, 0.0, 0.0, 0.0, 0.0, 4))


def test_paired_diff_point_estimate_and_interval_order():
    rng = np.random.default_rng(0)
    y = rng.random(200) < 0.4
    s1 = y + rng.normal(0, 0.8, 200)
    s2 = y + rng.normal(0, 1.2, 200)
    d = metrics.paired_auroc_diff(y, s1, s2, level=1 - 0.05 / 5, n_boot=2000, seed=1)
    assert d[0] == pytest.approx(roc_auc_score(y, s1) - roc_auc_score(y, s2))
    assert d[3] <= d[1] <= d[2] <= d[4]                     # the widened interval holds the 95 % one
    assert d[5] == 200
    assert d == metrics.paired_auroc_diff(y, s1, s2, level=1 - 0.05 / 5, n_boot=2000, seed=1)   # repeats
    assert d != metrics.paired_auroc_diff(y, s1, s2, level=1 - 0.05 / 5, n_boot=2000, seed=2)


def test_paired_diff_is_paired_not_two_independent_resamples():
    # s2 = s1 plus a small shift for the anomalies only: an unpaired bootstrap would give a wide interval, the
    # paired one stays on the positive side, since both are read on the same images in each draw
    rng = np.random.default_rng(5)
    y = rng.random(300) < 0.5
    s1 = y + rng.normal(0, 1, 300)
    s2 = s1 - 0.3 * y
    d = metrics.paired_auroc_diff(y, s1, s2, level=0.99, n_boot=2000)
    assert d[0] > 0 and d[1] > 0 and d[2] - d[1] < 0.05


def test_paired_diff_refuses_bad_input():
    with pytest.raises(ValueError, match="labels"):
        metrics.paired_auroc_diff(Y, [0.1, 0.2, 0.3, 0.4], [0.1, 0.2], level=0.99)
    with pytest.raises(ValueError, match="both"):
        metrics.paired_auroc_diff(np.zeros(4, bool), [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4], level=0.99)
    with pytest.raises(ValueError, match="level"):
        metrics.paired_auroc_diff(Y, [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4], level=95)
