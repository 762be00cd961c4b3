"""Notebook 01's figures moved into ganad_lib.plotting in review round 3: the Section 4 snapshots and the
Section 5 unbalanced runs draw what they are given, state their scale and measure how flat each D is."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from ganad_lib import data, plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class Flat(nn.Module):
    """D(x) = sigmoid(c): the same verdict everywhere."""

    def __init__(self, c=0.0):
        super().__init__()
        self.c = nn.Parameter(torch.tensor(float(c)))

    def forward(self, x):
        return self.c.expand(len(x))


class Ramp(nn.Module):
    """D(x) = sigmoid(5 x_0): 'real' to the right."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([5.0, 0.0]))

    def forward(self, x):
        return x @ self.w


class Toy:
    def __init__(self, D, pts):
        self.D, self.pts = D, pts


def test_toy_snapshots_name_the_scale_the_counts_and_the_missed_mode():
    centers = data.ring_centers()
    real = data.ring_of_gaussians(400, std=0.05, seed=0)
    on_six = centers[:6].repeat(20, 1)
    frames = [(0, Ramp(), torch.zeros(50, 2)), (400, Ramp(), on_six)]
    cover = {"counts": np.array([20] * 6 + [0, 0]), "covered": np.array([True] * 6 + [False, False])}
    fig = plotting.plot_toy_snapshots(frames, real, centers, cover, lim=3.0)
    title = fig._suptitle.get_text()
    assert "[-3, 3]²" in title and "of 120" in title and "missed mode 6" in title
    last = fig.axes[1]
    assert sorted(t.get_text() for t in last.texts) == sorted(["20"] * 6 + ["0", "0"])
    assert last.get_xlim() == (-3.0, 3.0) and len(last.child_axes) == 1      # the inset zoom
    full = {"counts": np.array([20] * 8), "covered": np.array([True] * 8)}
    fig = plotting.plot_toy_snapshots(frames, real, centers, full)
    assert "missed" not in fig._suptitle.get_text() and not fig.axes[1].child_axes


def test_unbalanced_runs_scale_each_row_and_measure_a_flat_d():
    centers = data.ring_centers()
    real = data.ring_of_gaussians(400, std=0.05, seed=0)
    top = [("balanced", Toy(Ramp(), real[:100])), ("slow", Toy(Flat(), torch.tensor([[4.0, 0.0], [0.0, 0.0]])))]
    middle = [("strong", Toy(Ramp(), centers[:3].repeat(10, 1)))]
    coverage = {"balanced": [8, 8], "slow": [0, 1], "strong": [3, 6]}
    fig, d_range = plotting.plot_unbalanced_runs(top, middle, coverage, real, centers, lambda g: g.pts, 0.05,
                                                 seeds=[0, 1])
    assert d_range["slow"] == pytest.approx(0.0, abs=1e-6) and d_range["balanced"] > 0.9
    titles = [sf._suptitle.get_text() for sf in fig.subfigs if sf._suptitle is not None]
    assert any("the slow runs on [-4.4, 4.4]²" in t and "balanced run on [-3.0, 3.0]²" in t for t in titles)
    assert any("this row on [-3.0, 3.0]²" in t for t in titles)
    strong_ax = next(a for a in fig.axes if a.get_title() == "strong")
    assert sorted(t.get_text() for t in strong_ax.texts) == ["10", "10", "10"]      # zero counts are not written
    bar_ax = next(a for a in fig.axes if a.get_title() == "modes covered by each run")
    assert [t.get_text() for t in bar_ax.get_xticklabels()] == ["seed 0", "seed 1"]
