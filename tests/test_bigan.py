"""BiGAN: the loss by hand, E learns only through D, D's step, shapes, seeds, eval mode, errors."""

import math

import pytest
import torch

from ganad_lib.bigan import BiGAN, discriminator_loss, generator_encoder_loss, value_function


def logit(p):
    return torch.tensor([math.log(q / (1 - q)) for q in p], dtype=torch.float64)


def tiny(size=28, channels=1, seed=0, **kw):
    return BiGAN(size, channels, nz=8, width=4, seed=seed, **kw)


def images(n, size=28, channels=1, seed=0):
    return torch.rand(n, channels, size, size, generator=torch.Generator().manual_seed(seed)) * 2 - 1


# ----------------------------------------------------------------------------- the loss by hand


def test_value_function_by_hand():
    # D(x, E(x)) = 0.8 on a real pair, D(G(z), z) = 0.3 on a generated pair
    assert value_function(logit([0.8]), logit([0.3])).item() == pytest.approx(
        math.log(0.8) + math.log(0.7), abs=1e-12)
    v = value_function(logit([0.8, 0.5]), logit([0.3, 0.2]))
    want = (math.log(0.8) + math.log(0.5)) / 2 + (math.log(0.7) + math.log(0.8)) / 2
    assert v.item() == pytest.approx(want, abs=1e-12)
    assert discriminator_loss(logit([0.8, 0.5]), logit([0.3, 0.2])).item() == pytest.approx(-want, abs=1e-12)


def test_generator_encoder_losses_by_hand():
    real, fake = logit([0.8]), logit([0.3])
    # minimax: G and E descend V itself
    assert generator_encoder_loss(real, fake, saturating=True).item() == pytest.approx(
        math.log(0.8) + math.log(0.7), abs=1e-12)
    # non-saturating: labels swapped, -log(1 - D(x, E(x))) - log D(G(z), z)
    assert generator_encoder_loss(real, fake).item() == pytest.approx(
        -math.log(0.2) - math.log(0.3), abs=1e-12)


def test_losses_finite_for_confident_d():
    big = torch.tensor([50.0, -50.0])
    for v in (value_function(big, big), discriminator_loss(big, -big), generator_encoder_loss(big, big),
              generator_encoder_loss(big, big, saturating=True)):
        assert torch.isfinite(v)


# ----------------------------------------------------------------------------- who learns from what


def test_encoder_learns_only_through_d():
    """With D blind to the code (its z branch zeroed and frozen), E gets exactly zero gradient:
    no reconstruction loss or other path reaches E. G still learns."""
    model = tiny(dropout=0.0)
    for p in model.D.z_trunk[0].parameters():
        p.requires_grad_(False).zero_()
    E0 = [p.clone() for p in model.E.parameters()]
    G0 = [p.clone() for p in model.G.parameters()]
    model.train_step(images(8))
    assert all(p.grad is not None and torch.count_nonzero(p.grad) == 0 for p in model.E.parameters())
    assert all(torch.equal(a, b) for a, b in zip(E0, model.E.parameters()))
    assert any(not torch.equal(a, b) for a, b in zip(G0, model.G.parameters()))


def test_encoder_learns_when_d_sees_the_code():
    model = tiny(dropout=0.0)
    E0 = [p.clone() for p in model.E.parameters()]
    model.train_step(images(8))
    assert any(not torch.equal(a, b) for a, b in zip(E0, model.E.parameters()))


def test_encoder_gradient_is_that_of_the_real_pair_term_alone():
    model = tiny(dropout=0.0)
    x, z = images(6), torch.randn(6, 8, generator=torch.Generator().manual_seed(1))

    def e_grads(loss_fn):
        model.E.zero_grad(set_to_none=True)
        loss_fn().backward()
        return [p.grad.clone() for p in model.E.parameters()]

    full = e_grads(lambda: generator_encoder_loss(model.D(x, model.E(x)), model.D(model.G(z), z)))
    real_only = e_grads(lambda: -torch.nn.functional.logsigmoid(-model.D(x, model.E(x))).mean())
    for a, b in zip(full, real_only):
        torch.testing.assert_close(a, b)


def test_one_discriminator_step_lowers_its_loss_on_a_fixed_batch():
    model = tiny(dropout=0.0, lr=1e-3)
    x, z = images(16), torch.randn(16, 8, generator=torch.Generator().manual_seed(2))
    EG = list(model.E.parameters()) + list(model.G.parameters())
    EG0 = [p.clone() for p in EG]
    loss_before, d_real, d_fake = model.discriminator_step(x, z)
    assert d_real.shape == d_fake.shape == (16,)
    # the same pairs, built with the unchanged E and G (batch-norm statistics of this batch)
    with torch.no_grad():
        loss_after = discriminator_loss(model.D(x, model.E(x)), model.D(model.G(z), z))
    assert loss_after < loss_before
    assert all(torch.equal(a, b) for a, b in zip(EG0, EG))  # E and G held fixed
    assert all(p.grad is None for p in EG)


# ----------------------------------------------------------------------------- shapes and modes


@pytest.mark.parametrize("size", [28, 32])
@pytest.mark.parametrize("channels", [1, 3])
def test_shapes(size, channels):
    model = tiny(size, channels)
    x = images(5, size, channels)
    z = model.encode(x)
    assert z.shape == (5, 8)
    assert model.generate(z).shape == (5, channels, size, size)
    assert model.reconstruct(x).shape == (5, channels, size, size)
    f = model.features(x, z)
    assert f.dim() == 2 and f.shape[0] == 5
    h = model.fit(images(12, size, channels), epochs=1, batch_size=4, progress=False)
    assert set(h.steps[0]) >= {"loss_D", "loss_GE", "D(x,E(x))", "D(G(z),z)"}


def test_eval_mode_results_do_not_depend_on_the_batch():
    model = tiny()
    model.fit(images(16), epochs=1, batch_size=4, progress=False)  # batch-norm statistics move
    x = images(6, seed=3)
    alone = torch.cat([model.encode(x[i:i + 1]) for i in range(6)])
    torch.testing.assert_close(model.encode(x), alone)
    torch.testing.assert_close(model.reconstruct(x), model.generate(model.encode(x)))


def fitted_state(seed):
    torch.manual_seed(99)
    model = tiny(seed=seed)
    torch.manual_seed(7)
    model.fit(images(16), epochs=2, batch_size=8, progress=False)
    return model.state_dict()


def test_same_seed_same_weights_after_fit():
    a, b, c = fitted_state(0), fitted_state(0), fitted_state(1)
    for net in ("E", "G", "D"):
        for k in a[net]:
            assert torch.equal(a[net][k], b[net][k]), (net, k)
    assert any(not torch.equal(a["E"][k], c["E"][k]) for k in a["E"] if a["E"][k].is_floating_point())


def test_state_dict_round_trip():
    src, dst = tiny(seed=0), tiny(seed=1)
    dst.load_state_dict(src.state_dict())
    x = images(3)
    torch.testing.assert_close(src.reconstruct(x), dst.reconstruct(x), rtol=0, atol=0)


# ----------------------------------------------------------------------------- clear errors


def test_clear_errors_on_bad_arguments():
    for bad in ({"nz": 0}, {"nz": 2.5}, {"width": 0}, {"channels": 0}):
        with pytest.raises(ValueError, match="positive integer"):
            BiGAN(28, **{"nz": 8, "width": 4, **bad})
    with pytest.raises(ValueError, match="dropout"):
        tiny(dropout=1.0)
    with pytest.raises(ValueError, match="lr"):
        tiny(lr=0)
    with pytest.raises(ValueError, match="does not reduce to 4x4"):
        BiGAN(20, 1, nz=8, width=4)


def test_clear_errors_on_bad_inputs():
    model = tiny(32)
    with pytest.raises(ValueError, match=r"N x 1 x 32 x 32.*to_tensor"):
        model.encode(images(2, 28))
    with pytest.raises(ValueError, match="channels"):
        model.reconstruct(torch.zeros(2, 3, 32, 32, dtype=torch.uint8))
    # uint8 images (0..255) are converted with to_tensor, as the detectors do
    u8 = torch.randint(0, 256, (2, 28, 28), dtype=torch.uint8)
    from ganad_lib.data import to_tensor

    torch.testing.assert_close(model.reconstruct(u8), model.reconstruct(to_tensor(u8, 32, 1)))
    with pytest.raises(ValueError, match=r"N x 8 \(nz\)"):
        model.generate(torch.zeros(2, 7))
    with pytest.raises(ValueError, match="G generates"):
        model.fit(images(8, 28), epochs=1, batch_size=4, progress=False)
