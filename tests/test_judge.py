"""The judge's measures, on inputs whose answers are known by hand (issue 12)."""

import hashlib
import json

import numpy as np
import pytest
import torch

from ganad_lib import judge as J
from ganad_lib.judge import (
    Judge,
    JudgeNet,
    class_histogram,
    class_kept_share,
    classes_covered,
    confident_share,
    frechet_distance,
)


def test_histogram_and_confidence_by_hand():
    proba = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.5, 0.1, 0.4], [0.05, 0.05, 0.9]])
    assert class_histogram(proba).tolist() == [0.5, 0.25, 0.25]
    assert confident_share(proba) == 0.5  # 0.9 and 0.9 are >= 0.8; 0.7 and 0.5 are not
    assert confident_share(proba, threshold=0.7) == 0.75
    with pytest.raises(ValueError, match="non-empty"):
        confident_share(np.zeros((0, 3)))


def test_classes_covered_counts_only_the_given_classes_above_the_share():
    hist = np.array([0.5, 0.02, 0.03, 0.45, 0.0])
    assert classes_covered(hist, [0, 1, 2, 3]) == 3  # 0.02 < 3 %, 0.03 counts
    assert classes_covered(hist, [1, 4]) == 0
    assert classes_covered(hist, [0, 3], min_share=0.46) == 1


def test_frechet_distance_known_values():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4000, 3))
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)
    # a shift of the mean by (2, 0, 0) adds 4; equal covariances add nothing
    assert frechet_distance(a, a + np.array([2.0, 0, 0])) == pytest.approx(4.0, abs=1e-6)
    # Gaussians N(0, I) and N(0, 4 I) in 3-D: Tr(I + 4I - 2 * 2I) = 3
    b = rng.normal(size=(200000, 3))
    assert frechet_distance(b[:100000], 2 * b[100000:]) == pytest.approx(3.0, abs=0.1)
    with pytest.raises(ValueError, match="same D"):
        frechet_distance(a, a[:, :2])


def test_class_kept_share():
    assert class_kept_share([1, 2, 3, 4], [1, 2, 0, 4]) == 0.75
    with pytest.raises(ValueError):
        class_kept_share([1, 2], [1])


def _tiny_judge(tmp_path):
    torch.manual_seed(0)
    j = Judge(JudgeNet(), "fashion_mnist", tuple(map(str, range(10))))
    j.save(tmp_path, test_accuracy=0.5)
    return j


def test_save_load_round_trip_and_hash_check(tmp_path):
    j = _tiny_judge(tmp_path)
    x = torch.rand(5, 1, 32, 32) * 2 - 1
    again = Judge.load("fashion_mnist", tmp_path)
    np.testing.assert_allclose(again.predict_proba(x), j.predict_proba(x))
    assert again.manifest["test_accuracy"] == 0.5
    weights = tmp_path / "fashion_mnist.pt"
    weights.write_bytes(weights.read_bytes()[:-100])  # truncated
    with pytest.raises(ValueError, match=r"fashion_mnist\.pt does not match its manifest.*python -m ganad_lib\.judge train"):
        Judge.load("fashion_mnist", tmp_path)
    with pytest.raises(FileNotFoundError, match="python -m ganad_lib.judge train --dataset mnist"):
        Judge.load("mnist", tmp_path)


def test_judge_takes_uint8_or_float_and_refuses_bad_scale(tmp_path):
    j = _tiny_judge(tmp_path)
    u8 = torch.randint(0, 256, (4, 28, 28), dtype=torch.uint8)
    from ganad_lib.data import to_tensor

    np.testing.assert_allclose(j.predict_proba(u8), j.predict_proba(to_tensor(u8)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        j.predict_proba((to_tensor(u8) + 1) / 2)
    assert j.features(u8).shape == (4, 128)


def test_reports_on_a_judge_that_knows_the_answer(tmp_path, monkeypatch):
    """A fake judge whose class is the image's mean brightness bucket: every number can be checked."""
    j = _tiny_judge(tmp_path)

    def fake(images, batch_size=512):
        x = j._prepare(images)
        cls = ((x.mean(dim=(1, 2, 3)) + 1) / 2 * 9.999).long()
        logits = torch.full((len(x), 10), -10.0)
        logits[torch.arange(len(x)), cls] = 10.0
        return logits, torch.nn.functional.one_hot(cls, 10).float().repeat(1, 13)[:, :128]

    monkeypatch.setattr(j, "logits_and_features", fake)
    levels = torch.tensor([-0.95, -0.75, -0.55])  # classes 0, 1, 2
    real = levels.repeat(300).reshape(-1, 1, 1, 1).expand(-1, 1, 32, 32).clone()
    collapsed = torch.full((900, 1, 32, 32), -0.95)  # only class 0
    rep = J.generator_report(j, collapsed, real, real.flip(0), [0, 1, 2])
    assert rep["classes_covered"] == 1 and rep["confident"] == 1.0 and rep["min_normal_share"] == 0.0
    assert rep["frechet"] > rep["frechet_real"] + 0.1
    good = J.generator_report(j, real.clone(), real, real.flip(0), [0, 1, 2])
    assert good["classes_covered"] == 3 and good["frechet"] == pytest.approx(good["frechet_real"], abs=1e-6)
    rec = J.reconstruction_report(j, real, collapsed)
    assert rec["class_kept"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("dataset", ["fashion_mnist", "mnist"])
def test_shipped_judges_match_their_manifests(dataset):
    weights, manifest = Judge.paths(dataset)
    assert weights.is_file() and manifest.is_file(), "the judges are shipped with the package (make judges)"
    m = json.loads(manifest.read_text())
    assert hashlib.sha256(weights.read_bytes()).hexdigest() == m["sha256"]
    j = Judge.load(dataset)
    assert j.classes and len(j.classes) == 10
    if dataset == "fashion_mnist":
        assert m["test_accuracy"] >= 0.90 and m["train_images"] == 60000
    # the measured accuracy repeats on the data the course has (a judge that does not fit its data fails)
    from ganad_lib.data import load_dataset

    ds = load_dataset(dataset)
    test = ~ds.is_train
    x, y = ds.images[test][:2000], ds.labels[test][:2000].numpy()
    assert j.accuracy(x, y) >= m["test_accuracy"] - 0.03


def test_share_ratio_interval_by_hand_and_by_simulation():
    """The interval of notebook 01's verdict: by hand, and covering the true ratio about 95 % of the time."""
    ratio, lo, hi = J.share_ratio_interval(0.72, 2000, 0.86, 2000)
    se = np.sqrt(0.28 / (2000 * 0.72) + 0.14 / (2000 * 0.86))
    assert ratio == pytest.approx(0.72 / 0.86)
    assert (lo, hi) == pytest.approx((ratio * np.exp(-1.96 * se), ratio * np.exp(1.96 * se)))
    assert lo < ratio < hi and hi - lo == pytest.approx(0.055, abs=0.002)
    # more images, a narrower interval
    _, lo4, hi4 = J.share_ratio_interval(0.72, 8000, 0.86, 8000)
    assert hi4 - lo4 == pytest.approx((hi - lo) / 2, rel=0.02)
    rng = np.random.default_rng(0)
    p_a, p_b, n = 0.7, 0.85, 500
    hits = 0
    for _ in range(2000):
        r = J.share_ratio_interval(rng.binomial(n, p_a) / n, n, rng.binomial(n, p_b) / n, n)
        hits += r[1] <= p_a / p_b <= r[2]
    assert 0.93 < hits / 2000 < 0.97, hits
    with pytest.raises(ValueError, match="shares"):
        J.share_ratio_interval(0.0, 100, 0.5, 100)



def test_floor_draws_split_at_random_and_measure_the_floor_s_noise():
    rng = np.random.default_rng(1)
    feats = rng.normal(size=(1000, 4))
    draws = J.floor_draws(feats, 300, draws=5, seed=3)
    assert len(draws) == 5 and len(set(draws)) == 5           # five different random splits
    assert draws == J.floor_draws(feats, 300, draws=5, seed=3)  # seeded
    order = np.random.default_rng(3).permutation(600)           # the first draw, by hand: only the first 2 n rows
    assert draws[0] == pytest.approx(frechet_distance(feats[order[:300]], feats[order[300:]]))
    assert draws == J.floor_draws(np.vstack([feats[:600], 5 + feats[600:]]), 300, draws=5, seed=3)   # rows past 2 n unused
    # same distribution: all small; a shifted second half would not be a floor
    assert max(draws) < 0.2
    # fewer images per set, a higher floor (estimation noise)
    assert np.median(J.floor_draws(feats, 50, draws=5)) > 2 * np.median(draws)
    with pytest.raises(ValueError, match="2 n"):
        J.floor_draws(feats, 600)


def test_way_to_real_counts_factors_from_the_untrained_generator_to_the_floor():
    assert J.way_to_real(1000.0, 1000.0, 10.0) == pytest.approx(0.0)
    assert J.way_to_real(10.0, 1000.0, 10.0) == pytest.approx(1.0)
    assert J.way_to_real(100.0, 1000.0, 10.0) == pytest.approx(0.5)     # the geometric mean: 10 x either way
    assert J.way_to_real(500.0, 1000.0, 10.0) == pytest.approx(np.log(2) / np.log(100))
    # the same in d as in d²
    assert J.way_to_real(np.sqrt(40.0), np.sqrt(1000.0), np.sqrt(4.0)) == pytest.approx(J.way_to_real(40.0, 1000.0, 4.0))
    assert J.way_to_real(2000.0, 1000.0, 10.0) < 0 and J.way_to_real(5.0, 1000.0, 10.0) > 1   # worse / below the floor
    with pytest.raises(ValueError, match="floor < untrained"):
        J.way_to_real(5.0, 10.0, 20.0)
