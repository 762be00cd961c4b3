"""Notebook 04 (EGBAD), review round 8: what L_G follows (lit area, pixel correlation), the grid's class-gap test
and the two readings written from them."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score

from ganad_lib import comparison, data, egbad, narration, protocols
from ganad_lib.profiles import get_profile

# ---------------------------------------------------------------- lit area and ReconstructionFit


def test_lit_area_runs_from_black_to_white():
    x = torch.stack([-torch.ones(1, 32, 32), torch.ones(1, 32, 32), torch.zeros(1, 32, 32)])
    assert egbad.lit_area(x) == pytest.approx([0.0, 1024.0, 512.0])


def test_reconstruction_fit_per_image_and_one_for_all():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(5, 1, 8, 8, generator=g) * 2 - 1
    same = egbad.ReconstructionFit.of(x, x)
    assert same.l_g == pytest.approx(np.zeros(5)) and same.corr == pytest.approx(np.ones(5))
    assert same.lit == pytest.approx(egbad.lit_area(x)) and same.n == 5
    mean = x.mean(0, keepdim=True)                       # one "reconstruction" for every input
    fit = egbad.ReconstructionFit.of(x, mean)
    assert fit.l_g == pytest.approx((x - mean).abs().flatten(1).sum(1).numpy(), rel=1e-6)
    want = [np.corrcoef(a, mean.flatten().numpy())[0, 1] for a in x.flatten(1).numpy()]
    assert fit.corr == pytest.approx(want, rel=1e-6)
    assert fit.median_corr == pytest.approx(float(np.median(want)), rel=1e-6)


def test_reconstruction_fit_flat_and_wrong_shapes():
    x = torch.rand(3, 1, 4, 4) * 2 - 1
    fit = egbad.ReconstructionFit.of(x, torch.zeros(3, 1, 4, 4))       # a flat reconstruction: no correlation
    assert np.isnan(fit.corr).all()
    with pytest.raises(ValueError):
        egbad.ReconstructionFit.of(x, torch.zeros(2, 1, 4, 4))
    with pytest.raises(ValueError):
        egbad.ReconstructionFit.of(x, torch.zeros(3, 1, 4, 5))


def test_rho_lit_and_share_below():
    # brighter images with a proportionally larger error: rho = 1; the same errors in reverse order: rho = -1
    x = torch.stack([torch.full((1, 4, 4), v) for v in (-0.8, -0.4, 0.0, 0.4)])
    follows = egbad.ReconstructionFit.of(x, -torch.ones(1, 1, 4, 4))
    assert follows.rho_lit == pytest.approx(1.0)
    against = egbad.ReconstructionFit(l_g=follows.l_g[::-1].copy(), lit=follows.lit, corr=follows.corr)
    assert against.rho_lit == pytest.approx(-1.0)
    assert follows.share_below(follows.l_g[2]) == pytest.approx(0.5)


def test_lit_area_aurocs_match_the_splits():
    g = torch.Generator().manual_seed(1)
    labels = torch.arange(3).repeat_interleave(300)
    level = torch.tensor([40, 120, 220])[labels]                        # class 2 the brightest, class 0 the darkest
    images = (level[:, None, None] + torch.randint(-30, 30, (900, 28, 28), generator=g)).clamp(0, 255).to(torch.uint8)
    ds = SimpleNamespace(images=images, labels=labels, is_train=torch.ones(900, dtype=torch.bool))
    prof = get_profile("smoke")
    got = egbad.lit_area_aurocs(ds, [0, 2], [0, 1], prof)
    assert set(got) == {(0, 0), (2, 0), (0, 1), (2, 1)}
    assert got[2, 0] > 0.95 and got[0, 0] < 0.05                        # bright anomalies high, dark ones low
    s = protocols.make_split("one_class_anomalous", ds, 2, seed=1, profile=prof)
    want = roc_auc_score(s.test_is_anomaly, data.to_tensor(images[s.test], 32).flatten(1).mean(1).numpy())
    assert got[2, 1] == pytest.approx(want)


# ---------------------------------------------------------------- the grid's class-gap test


def _rows(means, seeds=(0, 1, 2), noise=0.01, shift=None):
    rng = np.random.default_rng(0)
    shift = shift or dict.fromkeys(seeds, 0.0)
    return [{"class": c, "seed": s, "auroc": m + shift[s] + noise * rng.standard_normal()}
            for c, m in enumerate(means) for s in seeds]


def test_class_gap_test_finds_a_real_difference_and_not_a_seed_effect():
    real = comparison.class_gap_test(_rows([0.3, 0.5, 0.7, 0.9], seeds=(0, 1, 2, 3, 4)), n_shuffles=2000)
    assert real.p < 0.01 and real.friedman_p < 0.01 and real.gap == pytest.approx(0.6, abs=0.05)
    assert real.n_runs == 20 and real.n_full_seeds == 5 and real.n_shuffles == 2000
    # classes equal, seeds far apart: a seed moves its classes together, so the blocked test sees no class effect
    seedy = comparison.class_gap_test(_rows([0.6] * 4, noise=0.05, shift={0: -0.3, 1: 0.0, 2: 0.3}), n_shuffles=2000)
    assert seedy.p > 0.05 and seedy.friedman_p > 0.05
    assert seedy.p_free > seedy.p                  # shuffling across seeds mixes the seeds' levels into the noise


def test_class_gap_test_edge_cases():
    two = comparison.class_gap_test(_rows([0.4, 0.6]), n_shuffles=200)
    assert two.friedman_p is None                              # Friedman needs three classes
    assert two.p >= 1 / 201                                    # the observed labelling counts as one shuffle
    assert comparison.class_gap_test(_rows([0.4, 0.6]), n_shuffles=200, seed=3).p == \
        comparison.class_gap_test(_rows([0.4, 0.6]), n_shuffles=200, seed=3).p
    with pytest.raises(ValueError):
        comparison.class_gap_test(_rows([0.5]), n_shuffles=10)


def test_class_gap_test_keeps_the_notebooks_numbers_on_the_course_grid():
    path = comparison.results_path("cpu")
    if not path.is_file():
        pytest.skip("results/cpu/runs.csv is not here")
    grid = comparison.select(comparison.load_runs(path), protocol="one_class_anomalous", dataset="fashion_mnist",
                             methods=["egbad"])
    grid = comparison.one_size_per_method(grid).rows
    # notebook 04, Section 6, before the test moved into the library: p = 0.34 (blocked), Friedman p = 0.35
    t = comparison.class_gap_test(grid, n_shuffles=5000, seed=0)
    assert t.p == pytest.approx(0.34, abs=0.005) and t.friedman_p == pytest.approx(0.35, abs=0.005)


# ---------------------------------------------------------------- notebook 04's readings

LABELS = ["Sandal", "Ankle boot", "Ankle boot", "Sneaker", "T-shirt/top", "Sandal", "Shirt", "Sneaker"]
ALL = np.linspace(60, 360, 1929)              # the normal test images' L_G: 341 sits near the top


SCORE = [163.4, 115.5, 331.7, 134.5, 304.7, 270.9, 335.1, 278.7]
LG = [160.3, 113.5, 340.6, 134.2, 316.3, 272.1, 350.6, 287.3]
LD = [191.9, 133.5, 251.4, 137.5, 200.4, 259.9, 195.7, 201.6]


def test_open_score_reading_names_the_exception_and_the_terms():
    text = narration.egbad_open_score_reading(LABELS[:4], SCORE, LG, LD, l_g_all=ALL, rho_normal=0.05)
    assert text.startswith("The four bags (the last four) score 271 to 335.")
    assert "3 score below every bag; the exception is the ankle boot at 332, above 3 of the bags" in text
    assert "the exception is the third tile, whose $L_G$, 341, is above" in text
    assert "a poor reconstruction, not a big image" in text and "pixels to miss" not in text
    assert "median $L_G$ is 2.0 times the normal images', their median $L_D$ only 1.2 times" in text


def test_open_score_reading_branches():
    strong = narration.egbad_open_score_reading(LABELS[:4], SCORE, LG, LD, l_g_all=ALL, rho_normal=0.6)
    assert "poor reconstruction" not in strong
    clean = [100, 110, 120, 130, 300, 310, 320, 330]
    text = narration.egbad_open_score_reading(LABELS[:4], clean, clean, LD, l_g_all=ALL, rho_normal=0.05)
    assert "All four normal images" in text and "separate them perfectly" in text and "exception" not in text
    d_wins = narration.egbad_open_score_reading(LABELS[:4], clean, [1, 2, 3, 4, 2, 3, 4, 5],
                                                [1, 1, 1, 1, 9, 9, 9, 9], l_g_all=ALL, rho_normal=0.05)
    assert "$L_D$ sets the groups apart at least as far as $L_G$" in d_wins
