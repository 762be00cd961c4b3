import numpy as np
import pytest

from ganad_lib.protocols import make_split, one_class_anomalous, one_class_normal

LABELS = np.repeat(np.arange(10), 100)  # 1000 images, 100 per class
IS_TRAIN = np.tile(np.r_[np.ones(80, bool), np.zeros(20, bool)], 10)


def _disjoint(s):
    parts = [set(s.train), set(s.val), set(s.test)]
    assert not parts[0] & parts[1] and not parts[0] & parts[2] and not parts[1] & parts[2]


@pytest.mark.parametrize("c", [0, 8])
def test_one_class_anomalous(c):
    s = one_class_anomalous(LABELS, c, seed=1)
    _disjoint(s)
    assert (LABELS[s.train] != c).all() and (LABELS[s.val] != c).all(), "no anomaly in train or val"
    assert set(np.flatnonzero(LABELS == c)) <= set(s.test), "every anomaly reaches the test set"
    np.testing.assert_array_equal(s.test_is_anomaly, LABELS[s.test] == c)
    n_normal = 900
    assert len(s.train) + len(s.val) == 720 and len(s.test) == n_normal - 720 + 100
    assert len(s.val) == 72


def test_one_class_anomalous_pools_both_official_splits():
    s = one_class_anomalous(LABELS, 3, seed=0)
    assert IS_TRAIN[s.train].any() and (~IS_TRAIN[s.train]).any()


def test_same_seed_same_split_other_seed_other_split():
    a, b = one_class_anomalous(LABELS, 2, seed=5), one_class_anomalous(LABELS, 2, seed=5)
    for k in ("train", "val", "test", "test_is_anomaly"):
        np.testing.assert_array_equal(getattr(a, k), getattr(b, k))
    c = one_class_anomalous(LABELS, 2, seed=6)
    assert not np.array_equal(a.train, c.train)


def test_one_class_normal():
    s = one_class_normal(LABELS, IS_TRAIN, 4, seed=0)
    _disjoint(s)
    assert (LABELS[s.train] == 4).all() and (LABELS[s.val] == 4).all()
    assert IS_TRAIN[s.train].all() and IS_TRAIN[s.val].all()
    assert sorted(s.test) == sorted(np.flatnonzero(~IS_TRAIN)), "the whole official test split"
    np.testing.assert_array_equal(s.test_is_anomaly, LABELS[s.test] != 4)
    assert s.test_is_anomaly.mean() == pytest.approx(0.9)


def test_subsampling_keeps_anomaly_share_and_limits():
    s = one_class_anomalous(LABELS, 1, seed=0, max_train=50, max_val=10, max_test=60)
    assert len(s.train) == 50 and len(s.val) == 10 and len(s.test) == 60
    full = one_class_anomalous(LABELS, 1, seed=0)
    assert s.test_is_anomaly.mean() == pytest.approx(full.test_is_anomaly.mean(), abs=0.02)
    assert (LABELS[s.train] != 1).all() and (LABELS[s.val] != 1).all()
    assert set(s.test) <= set(full.test)


def test_bad_input_errors():
    with pytest.raises(ValueError, match="does not occur"):
        one_class_anomalous(LABELS, 11, seed=0)
    with pytest.raises(ValueError, match="train_fraction"):
        one_class_anomalous(LABELS, 1, seed=0, train_fraction=1.5)
    with pytest.raises(ValueError, match="is_train has shape"):
        one_class_normal(LABELS, IS_TRAIN[:10], 1, seed=0)
    with pytest.raises(ValueError, match="no official test split"):
        one_class_normal(LABELS, np.ones_like(IS_TRAIN), 1, seed=0)


def test_make_split_uses_profile_sizes():
    from types import SimpleNamespace

    import torch

    from ganad_lib.profiles import get_profile

    ds = SimpleNamespace(labels=torch.from_numpy(LABELS), is_train=torch.from_numpy(IS_TRAIN))
    p = get_profile("smoke").with_(max_train=30, max_val=5, max_test=40)
    s = make_split("one_class_anomalous", ds, 0, seed=0, profile=p)
    assert (len(s.train), len(s.val), len(s.test)) == (30, 5, 40)
    with pytest.raises(ValueError, match="Unknown protocol"):
        make_split("leave_two_out", ds, 0, seed=0)
