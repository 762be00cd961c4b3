"""The vanilla GAN: losses against hand-computed values, Algorithm 1, shapes, seeds, errors."""

import math

import pytest
import torch
from torch import nn

from ganad_lib import gan as G_
from ganad_lib.gan import (
    GAN,
    discriminator_loss,
    generator_gradient_norm,
    generator_loss_non_saturating,
    generator_loss_saturating,
    value_function,
)


def logit(p):
    """The logit of a probability (D outputs logits; D(x) = sigmoid(logit))."""
    return torch.tensor([math.log(q / (1 - q)) for q in p], dtype=torch.float64)


def small_gan(seed=0, **kw):
    return GAN.mlp(dim=2, nz=2, hidden=16, seed=seed, **kw)


# ----------------------------------------------------------------------------- losses by hand


def test_value_function_by_hand():
    # D(x) = 0.8 on a real example, D(G(z)) = 0.3 on a fake one: V = log 0.8 + log(1 - 0.3)
    v = value_function(logit([0.8]), logit([0.3]))
    assert v.item() == pytest.approx(math.log(0.8) + math.log(0.7), abs=1e-12)
    # two examples each: expectations are means over the minibatch
    v = value_function(logit([0.8, 0.6]), logit([0.3, 0.1]))
    want = (math.log(0.8) + math.log(0.6)) / 2 + (math.log(0.7) + math.log(0.9)) / 2
    assert v.item() == pytest.approx(want, abs=1e-12)


def test_discriminator_loss_is_minus_v():
    d_real, d_fake = logit([0.8, 0.6]), logit([0.3, 0.1])
    want = -((math.log(0.8) + math.log(0.6)) / 2 + (math.log(0.7) + math.log(0.9)) / 2)
    assert discriminator_loss(d_real, d_fake).item() == pytest.approx(want, abs=1e-12)


def test_generator_losses_by_hand():
    d_fake = logit([0.3, 0.1])
    # saturating (minimax) form: G descends mean log(1 - D(G(z)))
    assert generator_loss_saturating(d_fake).item() == pytest.approx(
        (math.log(0.7) + math.log(0.9)) / 2, abs=1e-12)
    # non-saturating form: G descends -mean log D(G(z))
    assert generator_loss_non_saturating(d_fake).item() == pytest.approx(
        -(math.log(0.3) + math.log(0.1)) / 2, abs=1e-12)


def test_gradients_wrt_logit_by_hand():
    # d/dl log(1 - sigmoid(l)) = -sigmoid(l);  d/dl -log sigmoid(l) = -(1 - sigmoid(l))
    # when D rejects a fake with D(G(z)) = 0.01, the saturating gradient is 0.01, the other 0.99
    for loss, want in ((generator_loss_saturating, -0.01), (generator_loss_non_saturating, -0.99)):
        lg = logit([0.01]).requires_grad_()
        loss(lg).backward()
        assert lg.grad.item() == pytest.approx(want, abs=1e-12)


def test_losses_finite_where_probabilities_overflow():
    # sigmoid(40) == 1 in float32, so log(1 - D(x)) from probabilities would be -inf
    big = torch.tensor([40.0, -40.0])
    for v in (value_function(big, -big), discriminator_loss(big, big), generator_loss_saturating(big),
              generator_loss_non_saturating(-big)):
        assert torch.isfinite(v)
    assert generator_loss_non_saturating(torch.tensor([-40.0])).item() == pytest.approx(40.0, rel=1e-6)
    assert discriminator_loss(torch.tensor([40.0]), torch.tensor([-40.0])).item() == pytest.approx(0, abs=1e-12)


def test_generator_gradient_norm_by_hand():
    # G(z) = w z with w = 0.5, D(x) = a x with a = 2 (logits), z = 1: the fake's logit is 1.
    G = nn.Linear(1, 1, bias=False)
    D = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        G.weight.fill_(0.5)
        D.weight.fill_(2.0)
    z = torch.ones(1, 1)
    s = 1 / (1 + math.exp(-1.0))
    # d/dw log(1 - sigmoid(a w z)) = -sigmoid(1) a z;   d/dw -log sigmoid(a w z) = -(1 - sigmoid(1)) a z
    assert generator_gradient_norm(G, D, z, "saturating") == pytest.approx(2 * s, rel=1e-6)
    assert generator_gradient_norm(G, D, z, "non_saturating") == pytest.approx(2 * (1 - s), rel=1e-6)
    assert G.weight.grad is None and D.weight.grad is None  # nothing touched
    with pytest.raises(ValueError, match="loss must be one of"):
        generator_gradient_norm(G, D, z, "wasserstein")


# ----------------------------------------------------------------------------- Algorithm 1


def test_one_discriminator_step_lowers_its_loss_on_a_fixed_batch():
    gan = small_gan(lr=1e-3)
    g = torch.Generator().manual_seed(1)
    x, z = torch.randn(32, 2, generator=g) + 2, torch.randn(32, 2, generator=g)
    G_before = [p.clone() for p in gan.G.parameters()]
    loss_before, _, _ = gan.discriminator_step(x, z)
    with torch.no_grad():
        loss_after = discriminator_loss(gan.D(x), gan.D(gan.G(z)))
    assert loss_after < loss_before
    assert all(torch.equal(a, b) for a, b in zip(G_before, gan.G.parameters()))  # G fixed
    assert all(p.grad is None for p in gan.G.parameters())  # G(z) was detached


def test_generator_step_changes_only_g_and_raises_d_of_fakes():
    gan = small_gan(lr=1e-3)
    z = torch.randn(64, 2, generator=torch.Generator().manual_seed(2))
    D_before = [p.clone() for p in gan.D.parameters()]
    with torch.no_grad():
        before = gan.D(gan.G(z)).mean()
    gan.generator_step(z)
    with torch.no_grad():
        after = gan.D(gan.G(z)).mean()
    assert after > before  # G moved towards what D calls real
    assert all(torch.equal(a, b) for a, b in zip(D_before, gan.D.parameters()))


class Counter:
    def __init__(self, opt):
        self.calls, self._step = 0, opt.step

    def __call__(self, *a, **kw):
        self.calls += 1
        return self._step(*a, **kw)


@pytest.mark.parametrize("k", [1, 3])
def test_algorithm1_k_discriminator_updates_per_generator_update(k):
    gan = small_gan(k=k)
    d_steps, g_steps = Counter(gan.optimizers["D"]), Counter(gan.optimizers["G"])
    gan.optimizers["D"].step, gan.optimizers["G"].step = d_steps, g_steps
    real_batches = []
    gan.D.register_forward_pre_hook(lambda mod, inp: real_batches.append(inp[0].detach().clone()))
    m = 5
    x = torch.arange(2 * m * k, dtype=torch.float32).reshape(-1, 2)[: m * k]
    out = gan.train_step(x)
    assert (d_steps.calls, g_steps.calls) == (k, 1)
    # D saw each of the k minibatches of m real examples once, in order (every other call: fakes)
    seen = real_batches[0: 2 * k: 2]
    assert [tuple(b.shape) for b in seen] == [(m, 2)] * k
    assert all(torch.equal(b, xb) for b, xb in zip(seen, x.split(m)))
    assert set(out) == {"loss_D", "loss_G", "D(x)", "D(G(z))", "acc_D"}
    assert 0 < out["D(x)"] < 1 and 0 < out["D(G(z))"] < 1


def test_fit_takes_k_minibatches_per_step():
    x = torch.randn(120, 2)
    h1 = small_gan(k=1).fit(x, epochs=1, batch_size=10, progress=False)
    h3 = small_gan(k=3).fit(x, epochs=1, batch_size=10, progress=False)
    assert len(h1.steps) == 12 and len(h3.steps) == 4  # 120 / (k * m)


def test_train_step_needs_k_examples():
    with pytest.raises(ValueError, match="at least k examples"):
        small_gan(k=4).train_step(torch.randn(3, 2))


# ----------------------------------------------------------------------------- shapes, seeds


@pytest.mark.parametrize("size", [28, 32])
@pytest.mark.parametrize("channels", [1, 3])
def test_dcgan_shapes(size, channels):
    gan = GAN.dcgan(size, channels, nz=8, width=4)
    x = gan.sample(5)
    assert x.shape == (5, channels, size, size) and x.device.type == "cpu"
    assert x.min() >= -1 and x.max() <= 1  # tanh output, the range of the data
    assert gan.D(x).shape == (5,)
    f = gan.features(x)
    assert f.dim() == 2 and f.shape[0] == 5
    gan.fit(torch.rand(12, channels, size, size) * 2 - 1, epochs=1, batch_size=4, progress=False)


def test_sample_repeats_with_a_generator():
    gan = GAN.dcgan(28, 1, nz=8, width=4)
    a = gan.sample(4, generator=torch.Generator().manual_seed(3))
    b = gan.sample(4, generator=torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


def fitted_state(seed):
    torch.manual_seed(123)  # the global state must not matter: fit seeds itself
    gan = GAN.dcgan(28, 1, nz=8, width=4, seed=seed)
    x = torch.rand(24, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    torch.manual_seed(456)
    gan.fit(x, epochs=2, batch_size=8, progress=False)
    return gan.state_dict()


def test_same_seed_same_weights_after_fit():
    a, b, c = fitted_state(0), fitted_state(0), fitted_state(1)
    for net in ("G", "D"):
        for k in a[net]:
            assert torch.equal(a[net][k], b[net][k]), k
    assert any(not torch.equal(a["G"][k], c["G"][k]) for k in a["G"] if a["G"][k].is_floating_point())


def test_state_dict_round_trip():
    src = GAN.dcgan(28, 1, nz=8, width=4, seed=0)
    dst = GAN.dcgan(28, 1, nz=8, width=4, seed=1)
    dst.load_state_dict(src.state_dict())
    g = torch.Generator().manual_seed(0)
    assert torch.equal(src.sample(3, generator=g), dst.sample(3, generator=g.manual_seed(0)))


# ----------------------------------------------------------------------------- moving average of G


def _g_params(module):
    return [p.detach().clone() for p in module.parameters()]


def test_ema_is_the_moving_average_of_g_by_hand():
    decay = 0.75
    gan = small_gan(ema=decay)
    x = torch.randn(16, 2, generator=torch.Generator().manual_seed(0))
    gan.train_step(x)
    assert all(torch.equal(a, b) for a, b in zip(_g_params(gan.G), _g_params(gan.G_ema.module))), \
        "the first update copies G"
    ema = _g_params(gan.G_ema.module)
    for _ in range(3):
        gan.train_step(x)
        ema = [decay * e + (1 - decay) * p for e, p in zip(ema, _g_params(gan.G))]
        for want, got in zip(ema, _g_params(gan.G_ema.module)):
            torch.testing.assert_close(got, want)
    assert any(not torch.equal(a, b) for a, b in zip(_g_params(gan.G), _g_params(gan.G_ema.module)))


def test_ema_leaves_training_unchanged_and_sample_draws_from_the_average():
    x = torch.rand(24, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    plain = GAN.dcgan(28, 1, nz=8, width=4, seed=0)
    avg = GAN.dcgan(28, 1, nz=8, width=4, seed=0, ema=0.9)
    for gan in (plain, avg):
        gan.fit(x, epochs=2, batch_size=8, progress=False)
    for k, v in plain.G.state_dict().items():
        assert torch.equal(v, avg.G.state_dict()[k]), k
    g = torch.Generator()
    s_avg = avg.sample(3, generator=g.manual_seed(0))
    avg.G_ema.eval()
    with torch.no_grad():
        want = avg.G_ema(torch.randn(3, 8, generator=g.manual_seed(0)))
    assert torch.equal(s_avg, want)
    assert not torch.allclose(s_avg, plain.sample(3, generator=g.manual_seed(0)))


def test_ema_resumes_from_a_checkpoint_and_round_trips(tmp_path):
    x = torch.rand(24, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    whole = GAN.dcgan(28, 1, nz=8, width=4, seed=0, ema=0.9)
    whole.fit(x, epochs=2, batch_size=8, progress=False)
    part = GAN.dcgan(28, 1, nz=8, width=4, seed=0, ema=0.9)
    part.fit(x, epochs=1, batch_size=8, progress=False, checkpoint_dir=tmp_path)
    resumed = GAN.dcgan(28, 1, nz=8, width=4, seed=0, ema=0.9)
    resumed.fit(x, epochs=2, batch_size=8, progress=False, checkpoint_dir=tmp_path)
    for k, v in whole.G_ema.state_dict().items():
        assert torch.equal(v, resumed.G_ema.state_dict()[k]), k
    copy = GAN.dcgan(28, 1, nz=8, width=4, seed=1, ema=0.9)
    copy.load_state_dict(whole.state_dict())
    g = torch.Generator()
    assert torch.equal(copy.sample(2, generator=g.manual_seed(0)), whole.sample(2, generator=g.manual_seed(0)))
    with pytest.raises(ValueError, match="moving average"):
        GAN.dcgan(28, 1, nz=8, width=4).load_state_dict(whole.state_dict())


@pytest.mark.parametrize("bad", [0.0, 1.0, 1, True, "0.999", -0.5])
def test_ema_rejects_a_decay_outside_zero_one(bad):
    with pytest.raises(ValueError, match="decay"):
        small_gan(ema=bad)


def test_step_reports_d_accuracy_by_hand():
    """acc_D: the share of the last D minibatch D gets right (real: logit > 0, fake: logit < 0)."""
    class Fixed(nn.Module):  # the logit is the first coordinate: real [+2, -1, +3, +1], fakes 0
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.zeros(1))

        def forward(self, x, features=False):
            return x[:, 0] + 0 * self.w

    gan = GAN(nn.Linear(2, 2, bias=False), Fixed(), nz=2)
    with torch.no_grad():
        gan.G.weight.zero_()
    x = torch.tensor([[2.0, 0], [-1.0, 0], [3.0, 0], [1.0, 0]])
    out = gan.train_step(x)  # G(z) = 0 -> fake logits 0: not < 0, so D is wrong on every fake
    assert out["acc_D"] == pytest.approx((3 / 4 + 0) / 2)
    assert out["D(G(z))"] == pytest.approx(0.5)
    want = sum(1 / (1 + math.exp(-v)) for v in (2.0, -1.0, 3.0, 1.0)) / 4
    assert out["D(x)"] == pytest.approx(want, rel=1e-6)


# ----------------------------------------------------------------------------- clear errors


def test_clear_errors_on_bad_arguments():
    G, D = nn.Linear(2, 2), nn.Linear(2, 1)
    with pytest.raises(ValueError, match="loss must be one of"):
        GAN(G, D, nz=2, loss="hinge")
    for k in (0, 1.5, True):
        with pytest.raises(ValueError, match="k .*positive integer"):
            GAN(G, D, nz=2, k=k)
    with pytest.raises(ValueError, match="nz"):
        GAN(G, D, nz=0)
    with pytest.raises(ValueError, match="lr"):
        GAN(G, D, nz=2, lr=-1.0)
    with pytest.raises(ValueError, match="lr_D"):
        GAN(G, D, nz=2, lr_D=0)
    with pytest.raises(TypeError, match="nn.Module"):
        GAN(lambda z: z, D, nz=2)
    with pytest.raises(ValueError, match="does not reduce to 4x4"):
        GAN.dcgan(20, 1, nz=8, width=4)


def test_fit_rejects_data_of_the_wrong_shape_or_type():
    gan = GAN.dcgan(32, 1, nz=8, width=4)
    with pytest.raises(ValueError, match=r"shape \(1, 28, 28\).*G generates \(1, 32, 32\).*to_tensor"):
        gan.fit(torch.zeros(8, 1, 28, 28), epochs=1, batch_size=4, progress=False)
    with pytest.raises(TypeError, match="float tensor"):
        gan.fit(torch.zeros(8, 1, 32, 32, dtype=torch.uint8), epochs=1, batch_size=4, progress=False)
    with pytest.raises(ValueError, match="batch_size"):
        gan.fit(torch.zeros(8, 1, 32, 32), epochs=1, batch_size=0, progress=False)
    with pytest.raises(ValueError, match="shape"):
        small_gan().fit(torch.zeros(8, 3), epochs=1, batch_size=4, progress=False)


def test_module_exports():
    for name in G_.__all__:
        assert hasattr(G_, name)
