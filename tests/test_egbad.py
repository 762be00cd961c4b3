import math

import numpy as np
import pytest
import torch

from ganad_lib.bigan import BiGAN
from ganad_lib.detector import Detector, check_detector
from ganad_lib.egbad import (
    EGBAD,
    cross_entropy_loss,
    egbad_score,
    feature_matching_loss,
    reconstruction_loss,
    settings,
)
from ganad_lib.gan import GAN
from ganad_lib.profiles import get_profile

NZ, WIDTH = 8, 4


@pytest.fixture
def bigan():
    """A tiny BiGAN (untrained, weights seeded) on 1 x 16 x 16 images, with dropout in D."""
    return BiGAN(image_size=16, channels=1, nz=NZ, width=WIDTH, dropout=0.5, seed=0)


def images(n, size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 1, size, size, generator=g) * 2 - 1


def test_losses_equal_hand_computed_values():
    x = torch.tensor([[[[1.0, -1.0], [0.5, 0.0]]], [[[0.0, 0.0], [0.0, 0.0]]]])
    x_rec = torch.tensor([[[[0.0, 0.0], [0.0, 0.0]]], [[[0.25, -0.25], [1.0, -1.0]]]])
    torch.testing.assert_close(reconstruction_loss(x, x_rec), torch.tensor([2.5, 2.5]))
    f_real = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    f_rec = torch.tensor([[0.0, 2.0, 5.0], [-1.0, 1.0, 0.5]])
    torch.testing.assert_close(feature_matching_loss(f_real, f_rec), torch.tensor([3.0, 2.5]))
    # -log sigmoid(l): log 2 at l = 0, about 0 for a confident "real", about -l for a confident "fake"
    ce = cross_entropy_loss(torch.tensor([0.0, 50.0, -200.0]))
    torch.testing.assert_close(ce, torch.tensor([math.log(2.0), 0.0, 200.0]))
    assert torch.isfinite(ce).all()
    # alpha L_G + (1 - alpha) L_D with alpha = 0.9: 0.9 * 2.5 + 0.1 * 3 = 2.55
    torch.testing.assert_close(egbad_score(torch.tensor([2.5]), torch.tensor([3.0])), torch.tensor([2.55]))
    torch.testing.assert_close(egbad_score(torch.tensor([2.0]), torch.tensor([4.0]), alpha=0.25),
                               torch.tensor([3.5]))


def by_hand(bigan, x, alpha, variant):
    E, G, D = bigan.E.eval(), bigan.G.eval(), bigan.D.eval()
    with torch.no_grad():
        z = E(x)
        x_rec = G(z)
        l_g = (x - x_rec).abs().sum(dim=(1, 2, 3))
        if variant == "feature_matching":
            l_d = (D(x, z, features=True)[1] - D(x_rec, z, features=True)[1]).abs().sum(dim=1)
        elif variant == "cross_entropy":
            l_d = -torch.log(torch.sigmoid(D(x_rec, z)))     # the code's: D's verdict on (G(E(x)), E(x))
        else:
            l_d = -torch.log(torch.sigmoid(D(x, z)))         # the paper's: D's verdict on (x, E(x))
    return (alpha * l_g + (1 - alpha) * l_d).double().numpy()


@pytest.mark.parametrize("variant", ["feature_matching", "cross_entropy", "cross_entropy_input"])
def test_score_equals_the_seed_equation(bigan, variant):
    x = images(6)
    det = EGBAD.from_bigan(bigan, discrimination=variant)
    np.testing.assert_allclose(det.anomaly_score(x), by_hand(bigan, x, 0.9, variant), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(det.anomaly_score(x, alpha=0.3), by_hand(bigan, x, 0.3, variant),
                               rtol=1e-5, atol=1e-5)


def test_alpha_ends_and_losses(bigan):
    x = images(5)
    det = EGBAD.from_bigan(bigan)
    parts = det.losses(x)
    assert set(parts) == {"L_G", "feature_matching", "cross_entropy", "cross_entropy_input"}
    np.testing.assert_allclose(det.anomaly_score(x, alpha=1.0), parts["L_G"])
    for form in ("cross_entropy", "cross_entropy_input"):
        np.testing.assert_allclose(det.anomaly_score(x, alpha=0.0, discrimination=form), parts[form])
    # the two cross-entropies judge different pairs, so they differ
    assert not np.allclose(parts["cross_entropy"], parts["cross_entropy_input"])
    np.testing.assert_allclose(det.anomaly_score(x), 0.9 * parts["L_G"] + 0.1 * parts["feature_matching"],
                               rtol=1e-5)
    torch.testing.assert_close(det.reconstruct(x), bigan.reconstruct(x))


def test_scoring_is_deterministic_in_eval_mode(bigan):
    """Dropout (p = 0.5 here) is off and batch norm uses running statistics when scoring."""
    bigan.D.train()
    det = EGBAD.from_bigan(bigan)
    x = images(16)
    a, b = det.anomaly_score(x), det.anomaly_score(x)
    np.testing.assert_array_equal(a, b)
    alone = np.concatenate([det.anomaly_score(x[i:i + 1]) for i in range(len(x))])
    np.testing.assert_allclose(alone, a, rtol=1e-5, atol=1e-5)
    # the same images in train mode: dropout makes the score change from call to call
    bigan.D.train()
    with torch.no_grad():
        z = bigan.E.eval()(x)
        f1 = bigan.D(x, z, features=True)[1]
        f2 = bigan.D(x, z, features=True)[1]
    assert not torch.equal(f1, f2)


@pytest.mark.parametrize("variant", ["feature_matching", "cross_entropy"])
def test_egbad_fulfils_the_detector_contract(variant, rng_images, tmp_path):
    train, val, test = rng_images
    make = lambda: EGBAD(nz=NZ, width=WIDTH, epochs=1, batch_size=16, discrimination=variant,  # noqa: E731
                         progress=False, device="cpu")
    check_detector(make, train, val, test, tmp_path)


def test_from_bigan_reads_the_sizes_and_round_trips(bigan, tmp_path):
    det = EGBAD.from_bigan(bigan, alpha=0.8)
    c = det.config
    assert (c["nz"], c["width"], c["image_size"], c["dropout"], c["alpha"]) == (NZ, WIDTH, 16, 0.5, 0.8)
    x = images(4)
    again = Detector.load(det.save(tmp_path / "egbad.pt"))
    assert isinstance(again, EGBAD) and again.config["alpha"] == 0.8
    np.testing.assert_allclose(again.anomaly_score(x), det.anomaly_score(x), rtol=1e-6)


def test_fit_trains_the_bigan(tmp_path):
    x = images(32)
    det = EGBAD(nz=NZ, width=WIDTH, epochs=2, batch_size=16, image_size=16, progress=False, device="cpu")
    before = BiGAN(16, 1, NZ, WIDTH, seed=0).state_dict()
    det.fit(x, images(8, seed=1))
    after = det.bigan.state_dict()
    assert any(not torch.equal(before["E"][k], after["E"][k]) for k in before["E"])
    assert len(det.history.epochs) == 2 and det.threshold_ is not None


def test_settings_follow_the_profile():
    for name in ("smoke", "cpu", "full"):
        p, s = get_profile(name), settings(name)
        assert (s["nz"], s["width"], s["epochs"], s["alpha"]) == (p.nz, p.width, p.epochs, 0.9)
        assert EGBAD.from_profile(p, seed=1).config["seed"] == 1


def test_clear_errors(bigan):
    with pytest.raises(ValueError, match="alpha"):
        EGBAD(alpha=1.2)
    with pytest.raises(ValueError, match="discrimination"):
        EGBAD(discrimination="hinge")
    with pytest.raises(TypeError, match="BiGAN"):
        EGBAD.from_bigan(GAN.dcgan(16, 1, NZ, WIDTH))
    det = EGBAD.from_bigan(bigan)
    with pytest.raises(ValueError, match="alpha"):
        det.anomaly_score(images(2), alpha=-0.1)
    with pytest.raises(ValueError, match="discrimination"):
        det.anomaly_score(images(2), discrimination="l2")
    with pytest.raises(ValueError, match="1x16x16"):
        det.anomaly_score(images(2, size=32))
