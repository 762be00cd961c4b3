import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from ganad_lib.anogan import AnoGAN
from ganad_lib.gan import GAN
from ganad_lib.widgets import plot_search_frame, search_explorer, search_frame

STEPS = 4


@pytest.fixture(scope="module")
def searched():
    det = AnoGAN.from_gan(GAN.dcgan(image_size=16, channels=1, nz=8, width=4, seed=0), steps=STEPS,
                          search_lr=0.1)
    x = torch.rand(3, 1, 16, 16, generator=torch.Generator().manual_seed(0)) * 2 - 1
    return det, det.search(x, trajectory=True)


def test_last_frame_is_the_search_result(searched):
    det, r = searched
    f = search_frame(r, STEPS, index=1)  # no generator needed: the search kept G(z_Gamma)
    torch.testing.assert_close(f["x_gen"], r.x_gen[1])
    torch.testing.assert_close(f["residual"], r.residual[1])
    assert f["score_t"] == pytest.approx(r.score[1], rel=1e-6)
    assert len(f["loss"]) == STEPS + 1
    np.testing.assert_allclose(f["loss"], (1 - r.lambda_) * f["loss_R"] + r.lambda_ * f["loss_D"], rtol=1e-5)


def test_earlier_frames_regenerate_from_z_t(searched):
    det, r = searched
    f0 = search_frame(r, 0, index=2, generate=det.generate)
    torch.testing.assert_close(f0["x_gen"], det.generate(r.trajectory["z_t"][0, 2][None])[0])
    torch.testing.assert_close(f0["residual"], (r.x[2] - f0["x_gen"]).abs())
    assert len(f0["loss"]) == 1 and f0["score_t"] == pytest.approx(float(r.trajectory["loss_t"][0, 2]))
    # pure: the same call gives the same frame and leaves the search untouched
    again = search_frame(r, 0, index=2, generate=det.generate)
    torch.testing.assert_close(again["x_gen"], f0["x_gen"])
    assert r.trajectory["loss_t"].shape == (STEPS + 1, 3)


def test_clear_errors(searched):
    det, r = searched
    with pytest.raises(ValueError, match=r"0\.\.4"):
        search_frame(r, STEPS + 1)
    with pytest.raises(ValueError, match="index"):
        search_frame(r, 0, index=3, generate=det.generate)
    with pytest.raises(ValueError, match="generate="):
        search_frame(r, 1)
    with pytest.raises(ValueError, match="trajectory=True"):
        search_frame(det.search(r.x[:1]), 0)


def test_explorer_slider_updates_result_headless(searched):
    det, r = searched
    ex = search_explorer(r, det.generate, index=1)
    slider = ex.kwargs_widgets[0]
    assert (slider.min, slider.max, slider.value) == (0, STEPS, STEPS)
    assert ex.result["t"] == STEPS
    slider.value = 1
    assert ex.result["t"] == 1 and len(ex.result["loss"]) == 2
    torch.testing.assert_close(ex.result["x_gen"], search_frame(r, 1, 1, det.generate)["x_gen"])
    assert plt.get_fignums() == []  # drawn figures were closed


def test_plot_draws_images_and_loss(searched):
    det, r = searched
    f = search_frame(r, 2, index=0, generate=det.generate)
    axes = plot_search_frame(f, full_loss=r.trajectory["loss_t"][:, 0].numpy())
    assert len(axes) == 4 and "t = 2" in axes[1].get_title()
    lines = axes[3].get_lines()
    assert len(lines[1].get_xdata()) == 3  # the curve up to t = 2
    plt.close(axes[0].figure)
