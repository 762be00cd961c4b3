"""Notebook 05's two figures moved into ganad_lib.plotting in review round 7: the training figure (kept epoch
visible when it is the last one) and the reconstruction blocks (every number under the right image)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from ganad_lib import plotting  # noqa: E402
from ganad_lib.training import History  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def history(n_epochs=5, steps_per_epoch=30):
    rng = np.random.default_rng(0)
    steps = [{"epoch": e, "step": (e - 1) * steps_per_epoch + s, "L_con": 0.3 / e + 0.01 * rng.random(),
              "L_enc": 0.05 / e, "L_adv": 0.2 + 0.05 * rng.random(), "loss_D": 0.01 + 0.5 * (rng.random() > 0.97)}
             for e in range(1, n_epochs + 1) for s in range(steps_per_epoch)]
    epochs = [{"epoch": e, "val_L_con": 0.25 / e} for e in range(1, n_epochs + 1)]
    return History(steps, epochs)


def test_training_figure_has_three_panels_and_shows_a_last_kept_epoch_inside_the_frame():
    fig, axes = plotting.plot_ganomaly_training(history(), best_epoch=5)
    assert len(axes) == 3
    assert axes[2].get_xlim() == (0.5, 5.5)   # the kept epoch, 5, is not on the frame's edge
    kept = [ln for ln in axes[2].get_lines() if ln.get_linestyle() == "--"]
    assert len(kept) == 1 and kept[0].get_xdata()[0] == 5
    assert axes[0].get_yscale() == "log" and len(axes[0].get_lines()) == 3
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == [
        "$\\mathcal{L}_{con}$", "$\\mathcal{L}_{enc}$", "$\\mathcal{L}_{adv}$"]
    assert axes[1].get_legend() is None and "discriminator" in axes[1].get_title()
    np.testing.assert_allclose(axes[2].get_lines()[0].get_ydata(), [0.25 / e for e in range(1, 6)])


def test_reconstruction_blocks_write_each_number_under_its_own_reconstruction():
    n = 3
    x = torch.linspace(-1, 1, 2 * n * 16).reshape(2 * n, 1, 4, 4)
    x_hat = -x
    scores, errors = np.arange(2 * n) / 100 + 0.001, np.arange(2 * n) / 10 + 0.5
    fig, axes = plotting.reconstruction_blocks(x, x_hat, scores, errors, n, title="t")
    assert axes.shape == (4, n)
    assert axes[1, 2].get_xlabel() == "$A$ 0.021\n$\\mathcal{L}_{con}$ 0.70"   # image 2: the first block
    assert axes[3, 0].get_xlabel() == "$A$ 0.031\n$\\mathcal{L}_{con}$ 0.80"   # image 3: the second block
    assert axes[0, 0].get_xlabel() == "" and axes[2, 1].get_xlabel() == ""       # inputs carry no numbers
    # the bottom-left input is image n, shown on [0, 1]; its reconstruction is the negated image
    np.testing.assert_allclose(axes[2, 0].get_images()[0].get_array(), (x[n, 0].numpy() + 1) / 2)
    np.testing.assert_allclose(axes[3, 0].get_images()[0].get_array(), (x_hat[n, 0].numpy() + 1) / 2)
    assert [axes[r, 0].get_ylabel() for r in range(4)] == ["normal $x$", "$G(x)$", "bag $x$", "$G(x)$"]
    assert fig._suptitle.get_text() == "t"


def test_reconstruction_blocks_refuse_mismatched_inputs():
    x = torch.zeros(4, 1, 4, 4)
    with pytest.raises(ValueError, match="2 × n_show = 4"):
        plotting.reconstruction_blocks(x, x, np.zeros(3), np.zeros(4), 2)


def test_training_figure_ticks_whole_epochs_only():
    fig, axes = plotting.plot_ganomaly_training(history(n_epochs=3), best_epoch=3)
    fig.canvas.draw()
    ticks = [t for t in axes[2].get_xticks() if 0.5 <= t <= 3.5]
    assert ticks and all(float(t).is_integer() for t in ticks)
