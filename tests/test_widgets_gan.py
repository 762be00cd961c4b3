"""The latent explorer of notebooks 01-02: a pure function, and sliders that drive it headless."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from ganad_lib.gan import GAN  # noqa: E402
from ganad_lib.widgets import latent_directions, latent_explorer, latent_image, plot_latent_image  # noqa: E402


class Reshape(nn.Module):
    """A 'generator' whose image is its code: G(z) = z as a 1 x 2 x 2 image (plus a BN layer,
    to see the mode handling)."""

    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm1d(4, affine=False, track_running_stats=True)

    def forward(self, z):
        return self.bn(z).reshape(-1, 1, 2, 2)


def test_directions_are_orthonormal_and_seeded():
    d = latent_directions(10, 3, seed=1)
    assert d.shape == (3, 10)
    torch.testing.assert_close(d @ d.T, torch.eye(3), atol=1e-6, rtol=0)
    assert torch.equal(d, latent_directions(10, 3, seed=1))
    assert not torch.equal(d, latent_directions(10, 3, seed=2))
    with pytest.raises(ValueError, match="1..nz = 4"):
        latent_directions(4, 5)
    with pytest.raises(ValueError, match="nz"):
        latent_directions(0)


def test_latent_image_by_hand_and_pure():
    G = Reshape()  # in eval mode its batch norm is the identity (running mean 0, variance 1)
    z0 = torch.tensor([1.0, 0.0, 0.0, -1.0])
    dirs = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
    G.train()
    f = latent_image(G, z0, dirs, [2.0, -0.5])
    want = torch.tensor([3.0, 0.0, -0.5, -1.0])
    torch.testing.assert_close(f["z"], want)
    torch.testing.assert_close(f["image"], want.reshape(1, 2, 2), atol=1e-4, rtol=0)
    assert f["coeffs"] == (2.0, -0.5)
    assert G.training  # mode restored
    assert torch.equal(G.bn.running_mean, torch.zeros(4))  # eval mode: statistics untouched
    g = latent_image(G, z0, dirs, [2.0, -0.5])
    assert torch.equal(f["image"], g["image"])
    assert torch.equal(z0, torch.tensor([1.0, 0.0, 0.0, -1.0]))  # inputs untouched
    # any callable works as G
    h = latent_image(lambda z: z.reshape(-1, 1, 2, 2) * 2, z0, dirs, [0.0, 0.0])
    torch.testing.assert_close(h["image"], 2 * z0.reshape(1, 2, 2))


def test_latent_image_clear_errors():
    G, z0 = Reshape(), torch.zeros(4)
    with pytest.raises(ValueError, match="n x nz with nz = 4"):
        latent_image(G, z0, torch.zeros(2, 3), [0, 0])
    with pytest.raises(ValueError, match="3 coefficients for 2 directions"):
        latent_image(G, z0, torch.zeros(2, 4), [0, 0, 0])
    with pytest.raises(ValueError, match="finite"):
        latent_image(G, z0, torch.zeros(2, 4), [0, float("nan")])


def test_explorer_sliders_drive_the_result_headless():
    gan = GAN.dcgan(28, 1, nz=8, width=4)
    z0 = torch.randn(8, generator=torch.Generator().manual_seed(0))
    ex = latent_explorer(gan.G, z0, n_directions=3, draw=False)
    sliders = ex.kwargs_widgets
    assert [s.description for s in sliders] == ["d1", "d2", "d3"]
    assert all(s.value == 0 and s.min == -3 and s.max == 3 for s in sliders)
    torch.testing.assert_close(ex.result["z"], z0)
    sliders[1].value = 1.5
    dirs = latent_directions(8, 3, seed=0)
    want = latent_image(gan.G, z0, dirs, [0.0, 1.5, 0.0])
    assert ex.result["coeffs"] == (0.0, 1.5, 0.0)
    torch.testing.assert_close(ex.result["z"], z0 + 1.5 * dirs[1])
    torch.testing.assert_close(ex.result["image"], want["image"])
    assert ex.result["image"].shape == (1, 28, 28)


def test_explorer_draws_and_accepts_own_directions():
    G = Reshape()
    ex = latent_explorer(G, torch.zeros(4), torch.eye(4)[:2], span=1.0, draw=True)
    assert len(ex.kwargs_widgets) == 2 and ex.kwargs_widgets[0].max == 1.0
    ex.kwargs_widgets[0].value = 1.0
    torch.testing.assert_close(ex.result["z"], torch.tensor([1.0, 0, 0, 0]))
    ax = plot_latent_image(ex.result)
    assert "d1 = +1.0" in ax.get_title()
    with pytest.raises(ValueError, match="n x nz"):
        latent_explorer(G, torch.zeros(4), torch.eye(3))
