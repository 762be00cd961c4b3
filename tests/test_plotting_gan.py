"""Figures of notebooks 01-02: they draw what they are given and fail clearly on bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from ganad_lib import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class HalfPlane(nn.Module):
    """D(x) = sigmoid(10 * x_0): 'real' right of the y axis. Dropout shows the mode handling."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([10.0, 0.0]))
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.drop(x) @ self.w


def test_decision_surface_draws_d_in_eval_mode_and_restores_it():
    D = HalfPlane().train()
    real, fake = torch.randn(50, 2), torch.randn(30, 2)
    ax = plotting.plot_decision_surface(D, real, fake, lim=2.0, resolution=21, colorbar=True)
    assert D.training
    assert ax.get_xlim() == (-2.0, 2.0)
    # two scatter layers with all the points, over a filled contour
    offsets = [c.get_offsets() for c in ax.collections if hasattr(c, "get_offsets") and len(c.get_offsets())]
    assert sorted(len(o) for o in offsets)[-2:] == [30, 50]
    with pytest.raises(ValueError, match="2-D points"):
        plotting.plot_decision_surface(D, torch.randn(5, 3), fake)


def test_generator_loss_and_gradient_figures():
    a, b = plotting.plot_generator_losses()
    assert len(a.get_lines()) == 2 and len(b.get_lines()) == 2
    sat = b.get_lines()[0].get_ydata()
    assert sat[0] < 0.01 and sat[-1] > 0.99  # |d/dl log(1 - sigmoid(l))| = D(G(z))
    ax = plotting.plot_gradient_norms({"saturating": [1, 0.1], "non_saturating": [1, 2], "D(G(z))": [0.5, 0.1]})
    assert ax.get_yscale() == "log" and len(ax.get_lines()) == 2


def test_show_image_rows_layout_and_errors():
    rows = {"a": torch.zeros(4, 1, 8, 8), "b": torch.ones(3, 1, 8, 8)}  # a short row is padded
    ax = plotting.show_image_rows(rows, pad=2)
    img = ax.get_images()[0].get_array()
    assert img.shape[:2] == (2 * 10 + 2, 4 * 10 + 2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    with pytest.raises(ValueError, match="rows is empty"):
        plotting.show_image_rows({})


def test_plot_embedding_colours_by_class():
    pts = np.random.default_rng(0).normal(size=(30, 2))
    labels = np.repeat([0, 2, 5], 10)
    ax = plotting.plot_embedding(pts, labels, class_names=[str(i) for i in range(10)])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0", "2", "5"]
    with pytest.raises(ValueError, match="N x 2"):
        plotting.plot_embedding(pts, labels[:5])
