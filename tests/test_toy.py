"""2-D toy data of notebook 01: the ring of Gaussians and the mode-coverage measure."""

import math

import numpy as np
import pytest
import torch

from ganad_lib.data import ring_centers, ring_of_gaussians
from ganad_lib.metrics import mode_coverage


def test_ring_centers_by_hand():
    c = ring_centers(4, radius=2.0)
    torch.testing.assert_close(c, torch.tensor([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]]),
                               atol=1e-6, rtol=0)
    c8 = ring_centers()
    assert c8.shape == (8, 2)
    torch.testing.assert_close(c8.norm(dim=1), torch.full((8,), 2.0))
    torch.testing.assert_close(c8[1], torch.tensor([math.sqrt(2), math.sqrt(2)]))


def test_ring_sample_is_seeded_and_has_the_right_statistics():
    x = ring_of_gaussians(8000, modes=8, radius=2.0, std=0.05, seed=3)
    assert x.shape == (8000, 2) and x.dtype == torch.float32
    assert torch.equal(x, ring_of_gaussians(8000, std=0.05, seed=3))
    assert not torch.equal(x, ring_of_gaussians(8000, std=0.05, seed=4))
    c = ring_centers(8, 2.0)
    nearest = torch.cdist(x, c).argmin(1)
    counts = torch.bincount(nearest, minlength=8)
    assert counts.min() > 800 and counts.max() < 1200  # about 1000 per mode
    resid = x - c[nearest]
    assert resid.std().item() == pytest.approx(0.05, rel=0.05)
    assert resid.mean(0).abs().max() < 0.01


def test_ring_clear_errors():
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="n .*positive integer"):
            ring_of_gaussians(bad)
    with pytest.raises(ValueError, match="std"):
        ring_of_gaussians(10, std=0)
    with pytest.raises(ValueError, match="modes"):
        ring_of_gaussians(10, modes=0)
    with pytest.raises(ValueError, match="radius"):
        ring_centers(8, radius=-1)


def test_mode_coverage_by_hand():
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    std = 1.0
    # 8 samples: 5 near mode 0, 2 near mode 1, 1 far from every mode (distance > 3 std)
    samples = np.array([[0.1, 0], [0, 0.2], [-0.5, 0], [1.0, 1.0], [2.9, 0.0], [10, 0.5], [9, 0], [5, 5]])
    r = mode_coverage(samples, centers, std)
    assert r["counts"].tolist() == [5, 2, 0, 0]
    assert r["high_quality"] == pytest.approx(7 / 8)
    # fair share = 8 / 4 = 2 samples; a mode is covered with at least 0.25 * 2 = 0.5 of them
    assert r["covered"].tolist() == [True, True, False, False] and r["modes_covered"] == 2
    assert r["n_modes"] == 4
    # a stricter share: at least the full fair share (2): mode 1 still just covered
    assert mode_coverage(samples, centers, std, min_share=1.0)["modes_covered"] == 2
    # a radius of 1 std keeps only the 4 closest to mode 0 and both near mode 1 (1 std exactly counts)
    r1 = mode_coverage(samples, centers, std, n_std=1.0)
    assert r1["counts"].tolist() == [3, 2, 0, 0] and r1["high_quality"] == pytest.approx(5 / 8)


def test_mode_coverage_sees_collapse():
    x = ring_of_gaussians(4000, std=0.05, seed=0)
    c = ring_centers()
    assert mode_coverage(x, c, 0.05)["modes_covered"] == 8
    collapsed = c[2] + 0.05 * torch.randn(4000, 2, generator=torch.Generator().manual_seed(1))
    r = mode_coverage(collapsed, c, 0.05)
    assert r["modes_covered"] == 1 and r["covered"][2]
    # a few stray samples on other modes do not count as covering them
    mixed = torch.cat([collapsed, c[[0, 1, 3]]])
    assert mode_coverage(mixed, c, 0.05)["modes_covered"] == 1


def test_mode_coverage_clear_errors():
    c = ring_centers()
    with pytest.raises(ValueError, match="share d"):
        mode_coverage(np.zeros((5, 3)), c, 0.1)
    with pytest.raises(ValueError, match="NaN"):
        mode_coverage(np.full((5, 2), np.nan), c, 0.1)
    with pytest.raises(ValueError, match="at least one sample"):
        mode_coverage(np.zeros((0, 2)), c, 0.1)
    with pytest.raises(ValueError, match="std"):
        mode_coverage(np.zeros((5, 2)), c, 0.0)
    with pytest.raises(ValueError, match="min_share"):
        mode_coverage(np.zeros((5, 2)), c, 0.1, min_share=0)
