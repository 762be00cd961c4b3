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


# ------------------------------------------------------------------ notebook 05's statistics


def test_auroc_rows_matches_sklearn_with_ties():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.random(300) < 0.3
    s = np.round(rng.normal(size=(4, 300)) + y, 1)   # many ties
    assert np.allclose(ganomaly._auroc_rows(s, y), [roc_auc_score(y, r) for r in s])
    with pytest.raises(ValueError, match="anomalies and normal"):
        ganomaly._auroc_rows(s, np.zeros(300, bool))


def test_stratified_halves_keep_the_share_of_anomalies_and_depend_on_the_seed():
    y = np.r_[np.ones(31, bool), np.zeros(70, bool)]
    a = ganomaly.stratified_halves(y, seed=3)
    assert a.sum() == 15 + 35 and y[a].sum() == 15
    assert np.array_equal(a, ganomaly.stratified_halves(y, seed=3))
    assert not np.array_equal(a, ganomaly.stratified_halves(y, seed=4))


def test_split_optimism_picks_on_a_and_reads_on_b():
    # three epochs, four images per half; by hand: on A epoch 2 ranks perfectly, on B half the pairs (ties count 1/2)
    y = np.array([1, 1, 0, 0, 1, 1, 0, 0], bool)
    in_a = np.array([1, 1, 1, 1, 0, 0, 0, 0], bool)
    scores = np.array([[1, 0, 2, 0, 1, 1, 0, 0],     # A 0.5, B 1.0
                       [3, 2, 1, 0, 1, 0, 1, 0],     # A 1.0, B 0.5
                       [0, 0, 0, 0, 1, 1, 0, 0]])    # A 0.5, B 1.0
    assert ganomaly.split_optimism(scores, y, in_a) == (2, pytest.approx(1.0 - 0.5))


def test_selection_optimism_is_positive_for_equal_epochs_and_zero_for_one_clear_best():
    rng = np.random.default_rng(1)
    y = rng.random(400) < 0.4
    same = y + rng.normal(size=(10, 400))   # ten epochs of equal quality: picking rewards noise only
    out = ganomaly.selection_optimism(same, y, 10, n_halvings=50)
    assert out["mean_optimism"] > 0.01 and len(out["picked"]) == 50 and len(set(out["picked"])) > 3
    assert out["se_optimism"] > 0
    clear = np.vstack([y + rng.normal(size=400), 5.0 * y + rng.normal(size=400)])   # epoch 2 always wins
    out = ganomaly.selection_optimism(clear, y, 1, n_halvings=20)
    assert set(out["picked"]) == {2} and out["mean_gain"] > 0.2
    with pytest.raises(ValueError, match="honest_epoch"):
        ganomaly.selection_optimism(clear, y, 3)


def test_range_of_draws_and_seed_spread_against_noise():
    r = ganomaly.range_of_draws(3, n_sim=100_000)
    assert r["mean"] == pytest.approx(3 / np.sqrt(np.pi), abs=0.01) and 3.2 < r["q95"] < 3.4
    assert 0.4 < r["share_above_mean"] < 0.5
    out = ganomaly.seed_spread_against_noise({"a": 0.01, "b": 0.05, "c": 0.2}, {"a": 0.01, "b": 0.01, "c": 0.01}, 3,
                                             n_sim=50_000)
    assert out["beyond_expected"] == ["b", "c"] and out["beyond_bound"] == ["b", "c"]
    assert out["noise"]["a"][0] == 0.01 and out["noise"]["a"][1] == pytest.approx(0.017, abs=0.001)


def test_half_means_skip_the_first_epoch_and_round_like_the_printed_means():
    h = ganomaly.half_means([0.5, 0.90, 0.91, 0.93, 0.94])
    assert (h["first"], h["half"]) == (1, 3)
    assert h["early"] == pytest.approx(0.905) and h["late"] == pytest.approx(0.935) and h["drift"] == 0.03
    assert h["drift_se"] > 0
    short = ganomaly.half_means([0.5, 0.6])
    assert short["first"] == 0 and math.isnan(short["drift_se"])


# ------------------------------------------------------------------ notebook 05's new readings (ganad_lib.narration)


def test_validation_rule_value_only_claims_the_value_not_the_drive():
    from ganad_lib import narration

    weighted = {"L_con": 3.36, "L_adv": 0.0756, "L_enc": 0.0321}
    text = narration.validation_rule(3, [0.3, 0.2, 0.1], weighted, value_only=True)
    assert "dominates the objective's value" in text and "drives training" not in text
    assert "question for the gradients" in text
    other = narration.validation_rule(3, [0.3, 0.2, 0.1], {**weighted, "L_adv": 4.0}, value_only=True)
    assert "largest term of the objective's value is $\\mathcal{L}_{adv}$" in other


def test_judge_reading_plain_gap_says_lower_or_higher():
    from ganad_lib import narration

    kept = {"untrained": 0.0, "your run": 0.84, "full split": 0.885}
    kw = dict(blur_share=1.0, input_share=0.0, class_name="Bag", plain_gap=True)
    lower = narration.judge_reading(kept, 0.0, -0.019, 0.029, 0.011, **kw)
    assert ("The full-split model's bag AUROC is 0.019 lower than your run's: within your run's late-epoch movement "
            "(0.029) but beyond the three cpu seeds' span (0.011).") in lower
    assert "higher than your run's" in narration.judge_reading(kept, 0.0, 0.02, 0.029, 0.011, **kw)
    assert "agree to three decimals" in narration.judge_reading(kept, 0.0, 0.0002, 0.029, 0.011, **kw)


def test_class_chart_takes_a_measured_hypothesis():
    from ganad_lib import narration
    from ganad_lib.comparison import Interval

    names = ["T-shirt", "Shirt", "Bag"]
    text = narration.class_chart(names, [2, 0, 1], {0: 0.7, 1: 0.43, 2: 0.94}, [1], [], 3,
                                 {1: Interval(0.43, 0.28, 0.58, 3)}, {1: (0.116, 0.031, 0.062)}, hypothesis="MEASURED. ")
    assert text.endswith("MEASURED. ") and "encoded more consistently" not in text


def test_what_drives_tells_agreement_from_shrinking():
    from ganad_lib import narration

    shares = {"L_con": 0.9, "L_adv": 0.104, "L_enc": -0.004}
    agree = narration.what_drives([0.4, 0.6, 1.07], [0.85, 0.1, 0.04], shares, shares, 2)
    assert "did not shrink (they grew)" in agree and "learnt to encode" in agree and "from 2.12 to 0.037" in agree
    assert "$w_{enc}\\mathcal{L}_{enc}$ 0%" in agree and "-0%" not in agree
    assert "dominates the gradient on $G_E$ and $G_D$, from the first step" in agree
    assert "$E$ is moved by $\\mathcal{L}_{enc}$ alone" in agree
    assert "first-order indication, not exactly what moves the weights: Adam rescales" in agree
    assert "network weights kept at epoch 2" in agree and "a negative share" not in agree   # -0.4 % shows as 0 %
    negative = narration.what_drives([0.4, 0.6, 1.07], [0.85, 0.1, 0.04], {**shares, "L_adv": -0.01}, shares, 2)
    assert "a negative share means that term's gradient points partly against the sum" in negative
    shrink = narration.what_drives([1.0, 0.5, 0.1], [0.8, 0.3, 0.07], shares, shares, 2)
    assert "shrank about as much" in shrink
    both = narration.what_drives([1.0, 0.5, 0.3], [0.8, 0.3, 0.01], shares, {"L_con": 0.2, "L_adv": 0.7, "L_enc": 0.1}, 2)
    assert "Both happened" in both and "$\\mathcal{L}_{adv}$'s for the kept weights" in both


def test_score_baselines_reads_the_prediction():
    from ganad_lib import narration

    names = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"]
    medians = {0: 0.0299, 1: 0.0331, 2: 0.0321, 3: 0.0376, 4: 0.0353, 5: 0.0547, 6: 0.0292, 7: 0.0364, 9: 0.0392}
    grid = {0: 0.62, 1: 0.87, 2: 0.53, 3: 0.69, 4: 0.50, 5: 0.87, 6: 0.43, 7: 0.75, 9: 0.83}
    text = narration.score_baselines(names, medians, grid, 0.63, 0.07, [6])
    assert "lowest for Shirt 0.029, T-shirt 0.030, Pullover 0.032 and highest for" in text   # one precision
    assert "Shirt ranks 1 of 9 (1 = lowest)" in text and "Spearman rank correlation 0.63 (p = 0.07)" in text
    # a p-value that is not small is not significant: weak for a correlation of some size, not "support"
    assert "(p = 0.07), weak and not significant with 9 classes." in text and "support" not in text
    assert "inconclusive" not in text
    # Trouser: level rank 4 of 9, yet the 8th of 9 by grid AUROC (ties broken by the order given)
    assert "Trouser runs against the prediction: rank 4 of 9 by level and 8 of 9 by grid AUROC (1 = lowest)." in text
    assert text.endswith("so even a clear correlation would be indirect evidence.)")
    assert "(The grid's models are smaller" in narration.score_baselines(names, medians, {}, 0.63, 0.07, [6])
    assert "so the prediction holds" in narration.score_baselines(names, medians, {}, 0.8, 0.01, [6])
    assert "no evidence either way" in narration.score_baselines(names, medians, {}, -0.2, 0.6, [])
    assert "against the prediction: lower levels go with *higher*" in narration.score_baselines(
        names, medians, {}, -0.8, 0.01, [])


