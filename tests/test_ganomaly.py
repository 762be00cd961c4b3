import math

import numpy as np
import pytest
import torch

from ganad_lib import ganomaly
from ganad_lib.detector import Detector, check_detector
from ganad_lib.ganomaly import (
    GANomaly,
    GANomalyNets,
    GANomalyTrainer,
    adversarial_loss,
    contextual_loss,
    discriminator_loss,
    encoder_loss,
    generator_loss,
    latent_score,
    minmax_normalise,
)

TINY = {"nz": 4, "width": 4, "batch_size": 16, "progress": False, "device": "cpu"}


# ------------------------------------------------------------------ losses by hand


def test_adversarial_loss_is_mean_squared_feature_difference():
    f_real = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    f_fake = torch.tensor([[0.0, 2.0], [3.0, 6.0]])
    # differences 1, 0, 0, -2 -> squares 1, 0, 0, 4 -> mean 5/4
    assert adversarial_loss(f_real, f_fake).item() == pytest.approx(1.25)


def test_contextual_loss_is_mean_absolute_pixel_difference():
    x = torch.tensor([1.0, -1.0, 0.5, 0.0]).reshape(1, 1, 2, 2)
    x_hat = torch.tensor([0.5, 0.0, 0.5, -0.25]).reshape(1, 1, 2, 2)
    # |0.5| + |-1| + 0 + |0.25| = 1.75 over 4 pixels
    assert contextual_loss(x, x_hat).item() == pytest.approx(1.75 / 4)


def test_encoder_loss_is_mean_squared_latent_difference():
    z = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    z_hat = torch.tensor([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    # squares 0, 4, 9, 1, 1, 1 -> 16 / 6
    assert encoder_loss(z, z_hat).item() == pytest.approx(16 / 6)


def test_generator_loss_weights_default_1_50_1():
    a, c, e = torch.tensor(0.5), torch.tensor(0.1), torch.tensor(2.0)
    assert generator_loss(a, c, e).item() == pytest.approx(0.5 + 50 * 0.1 + 2.0)
    assert generator_loss(a, c, e, w_adv=2, w_con=1, w_enc=3).item() == pytest.approx(1.0 + 0.1 + 6.0)


def test_discriminator_loss_is_bce_from_logits():
    d_real = torch.tensor([0.0, math.log(3.0)])  # D(x) = 0.5 and 0.75
    d_fake = torch.tensor([0.0, math.log(1 / 3)])  # D(G(x)) = 0.5 and 0.25
    real = -(math.log(0.5) + math.log(0.75)) / 2
    fake = -(math.log(0.5) + math.log(0.75)) / 2
    assert discriminator_loss(d_real, d_fake).item() == pytest.approx(0.5 * (real + fake))
    # logits keep it finite where probabilities would give log(0)
    sure = discriminator_loss(torch.tensor([-200.0]), torch.tensor([200.0]))
    assert math.isfinite(sure.item()) and sure.item() == pytest.approx(200.0)
    assert discriminator_loss(torch.tensor([200.0]), torch.tensor([-200.0])).item() == pytest.approx(0.0)


def test_latent_score_is_one_mean_square_per_image():
    z = torch.tensor([[1.0, 2.0], [0.0, 0.0], [3.0, 3.0]])
    z_hat = torch.tensor([[1.0, 0.0], [1.0, 1.0], [3.0, 3.0]])
    torch.testing.assert_close(latent_score(z, z_hat), torch.tensor([2.0, 1.0, 0.0]))
    # each image's score uses that image alone
    torch.testing.assert_close(latent_score(z[1:2], z_hat[1:2]), torch.tensor([1.0]))


def test_minmax_normalise_uses_given_range():
    s = torch.tensor([1.0, 2.0, 3.0, 5.0])
    torch.testing.assert_close(minmax_normalise(s, 1.0, 3.0), torch.tensor([0.0, 0.5, 1.0, 2.0]))
    torch.testing.assert_close(minmax_normalise(s, 2.0, 2.0), s - 2.0)  # no 0 / 0


# ------------------------------------------------------------------ training step


def _trainer(reinit_d=True):
    torch.manual_seed(0)
    nets = GANomalyNets(image_size=16, channels=1, nz=4, width=4)
    return nets, GANomalyTrainer(nets, reinit_d=reinit_d)


def test_train_step_returns_the_losses_of_its_forward_pass():
    nets, tr = _trainer()
    x = torch.rand(8, 1, 16, 16) * 2 - 1
    before = {k: v.clone() for k, v in nets.state_dict().items()}
    torch.manual_seed(1)
    out = tr.train_step(x)
    assert set(out) == {"loss_G", "L_adv", "L_con", "L_enc", "loss_D"}
    assert out["loss_G"] == pytest.approx(out["L_adv"] + 50 * out["L_con"] + out["L_enc"], rel=1e-5)
    # recompute L_con and L_enc from the weights before the step (train mode, same batch)
    nets.load_state_dict(before)
    nets.train()
    z, x_hat, z_hat = nets(x)
    assert out["L_con"] == pytest.approx(contextual_loss(x, x_hat).item(), rel=1e-5)
    assert out["L_enc"] == pytest.approx(encoder_loss(z, z_hat).item(), rel=1e-5)
    tr.train_step(x)
    changed = {k for k, v in nets.state_dict().items() if not torch.equal(v, before[k])}
    assert any(k.startswith("G_E.") for k in changed) and any(k.startswith("E.") for k in changed)
    assert any(k.startswith("D.") for k in changed) and any(k.startswith("G_D.") for k in changed)


def test_discriminator_reinitialised_when_its_loss_collapses(monkeypatch):
    x = torch.rand(8, 1, 16, 16) * 2 - 1
    monkeypatch.setattr(ganomaly, "D_COLLAPSE", 1e9)  # every step counts as a collapse
    nets, tr = _trainer(reinit_d=True)
    tr.train_step(x)
    assert tr.d_reinits == 1
    # after re-initialisation D's batch-norm scales are fresh draws around 1 and biases are 0
    bn = nets.D.trunk[3]
    assert torch.equal(bn.bias.detach(), torch.zeros_like(bn.bias))
    nets, tr = _trainer(reinit_d=False)
    tr.train_step(x)
    assert tr.d_reinits == 0


# ------------------------------------------------------------------ the detector


@pytest.mark.parametrize("normalise", [False, True], ids=["raw", "minmax"])
def test_ganomaly_fulfils_the_detector_contract(normalise, rng_images, tmp_path):
    train, val, test = rng_images
    check_detector(lambda: GANomaly(epochs=1, normalise=normalise, **TINY), train, val, test, tmp_path)


def test_minmax_range_comes_from_validation_only(rng_images):
    train, val, test = rng_images
    det = GANomaly(epochs=1, normalise=True, **TINY).fit(train, val)
    s_val = det.anomaly_score(val)
    assert s_val.min() == pytest.approx(0.0, abs=1e-6) and s_val.max() == pytest.approx(1.0, abs=1e-6)
    lo, hi = det.score_range_
    det.score_range_ = None
    raw = det.anomaly_score(test)
    det.score_range_ = (lo, hi)
    np.testing.assert_allclose(det.anomaly_score(test), (raw - lo) / (hi - lo), rtol=1e-5, atol=1e-6)
    assert np.isfinite(det.anomaly_score(test[:1])).all()  # a single image can be scored
    with pytest.raises(ValueError, match="validation images"):
        GANomaly(epochs=1, normalise=True, **TINY).fit(train)


def test_epoch_chosen_by_lowest_validation_l_con(rng_images):
    train, val, _ = rng_images
    det = GANomaly(epochs=3, **TINY).fit(train, val)
    curve = det.history.series("val_L_con", per="epoch")
    assert len(curve) == 3
    assert det.best_epoch_ == int(np.argmin(curve)) + 1
    l_con, _ = det.validation_losses(det.prepare(val))
    assert l_con == pytest.approx(curve.min(), rel=1e-5)  # the kept weights are that epoch's
    last = GANomaly(epochs=3, select="last", **TINY).fit(train, val)
    assert last.best_epoch_ == 3
    l_last, _ = last.validation_losses(last.prepare(val))
    assert l_last == pytest.approx(curve[-1], rel=1e-5)


def test_monitor_is_recorded_but_changes_nothing(rng_images):
    train, val, test = rng_images
    plain = GANomaly(epochs=2, **TINY).fit(train, val)
    watched = GANomaly(epochs=2, **TINY)
    watched.monitor = lambda det, epoch: {"mean_test_score": float(det.anomaly_score(test).mean())}
    watched.fit(train, val)
    assert len(watched.history.series("mean_test_score", per="epoch")) == 2
    np.testing.assert_array_equal(watched.anomaly_score(test), plain.anomaly_score(test))


def test_refuses_other_image_size_and_channel_count(rng_images, tmp_path):
    train, val, _ = rng_images
    det = GANomaly(epochs=1, image_size=28, **TINY).fit(train, val)
    assert det.expected_shape == (1, 28, 28)
    with pytest.raises(ValueError, match=r"1x28x28 .* got 1x32x32"):
        det.anomaly_score(torch.zeros(2, 1, 32, 32))
    rgb = GANomaly(epochs=1, channels=3, **TINY).fit(train, val)
    with pytest.raises(ValueError, match=r"3x32x32 .* got 1x32x32.*channels=3"):
        rgb.anomaly_score(torch.zeros(2, 1, 32, 32))
    again = Detector.load(rgb.save(tmp_path / "rgb.pt"))
    with pytest.raises(ValueError, match=r"3x32x32 .* got 1x32x32"):
        again.anomaly_score(torch.zeros(2, 1, 32, 32))
    assert again.anomaly_score(train[:2]).shape == (2,)  # uint8 images are converted to 3 channels


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="select"):
        GANomaly(select="test_auroc")
    with pytest.raises(ValueError, match="epochs"):
        GANomaly(epochs=0)


@pytest.mark.parametrize("name", ["smoke", "cpu", "full"])
def test_settings_per_profile(name):
    from ganad_lib import get_profile

    s = ganomaly.settings(name)
    p = get_profile(name)
    assert s["image_size"] == p.image_size and s["batch_size"] >= 1 and s["epochs"] >= 1
    GANomaly(**s)  # every profile's settings are accepted
    assert ganomaly.settings(p) == s
    with pytest.raises(ValueError, match="Unknown profile"):
        ganomaly.settings("laptop")


def test_sizes_changed_in_the_profile_win_over_method_settings():
    from ganad_lib import get_profile

    p = get_profile("cpu")
    assert ganomaly.settings(p)["epochs"] == ganomaly.SETTINGS["cpu"]["epochs"] != p.epochs
    assert ganomaly.settings(p.with_(epochs=2))["epochs"] == 2
    grid = p.for_grid()
    assert ganomaly.settings(grid)["epochs"] == grid.epochs and ganomaly.settings(grid)["width"] == grid.width
    assert GANomaly.from_profile(p.with_(epochs=2), seed=3).config["epochs"] == 2
