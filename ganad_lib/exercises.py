"""Automatic checks for the notebooks' exercises.

Each exercise gives the learner a stub that raises ``NotImplementedError``. The notebook
then calls :func:`check`, which runs the learner's function and the reference on the same
random inputs and says, in words, what is wrong. An untouched stub is reported as "not
attempted yet" and never breaks the notebook run.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import torch

__all__ = ["CheckResult", "check", "NOT_ATTEMPTED"]

NOT_ATTEMPTED = "not attempted yet"


@dataclass
class CheckResult:
    name: str
    passed: bool
    attempted: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        mark = "PASS" if self.passed else ("TODO" if not self.attempted else "FAIL")
        return f"[{mark}] {self.name}: {self.message}"


def _compare(got, want, atol, rtol, where="result") -> str | None:
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return f"{where} should be a sequence of {len(want)} values"
        for i, (g, w) in enumerate(zip(got, want)):
            if (msg := _compare(g, w, atol, rtol, f"{where}[{i}]")) is not None:
                return msg
        return None
    want_t = torch.as_tensor(want)
    try:
        got_t = torch.as_tensor(got)
    except Exception:
        return f"{where} should be a tensor or number, got {type(got).__name__}"
    if got_t.shape != want_t.shape:
        return f"{where} has shape {tuple(got_t.shape)}, expected {tuple(want_t.shape)}"
    if not torch.isfinite(got_t.float()).all():
        return f"{where} contains NaN or infinity (take logs of probabilities carefully: use logits)"
    if not torch.allclose(got_t.double(), want_t.double(), atol=atol, rtol=rtol):
        err = (got_t.double() - want_t.double()).abs().max().item()
        return f"{where} differs from the reference by up to {err:.3g}"
    return None


def _changed_inputs(before: tuple, after: tuple) -> str | None:
    """The position of the first tensor input that ``after`` holds with other values or flags."""
    for i, (x, y) in enumerate(zip(before, after)):
        if torch.is_tensor(x) and torch.is_tensor(y):
            if x.shape != y.shape or x.requires_grad != y.requires_grad or not torch.equal(x.detach(), y.detach()):
                return f"#{i + 1}"
    return None


def check(name: str, learner: Callable, reference: Callable, make_inputs: Callable[[torch.Generator], tuple],
          *, trials: int = 3, atol: float = 1e-5, rtol: float = 1e-4, hint: str = "") -> CheckResult:
    """Compare ``learner(*inputs)`` with ``reference(*inputs)`` on ``trials`` random inputs."""
    for t in range(trials):
        g = torch.Generator().manual_seed(1234 + t)
        inputs = make_inputs(g)
        want = reference(*copy.deepcopy(inputs))  # each side gets its own copy of the inputs
        mine = copy.deepcopy(inputs)
        try:
            got = learner(*mine)
        except NotImplementedError:
            return CheckResult(name, False, False, NOT_ATTEMPTED)
        except Exception as err:  # the learner's bug, reported, not raised
            return CheckResult(name, False, True, f"raised {type(err).__name__}: {err}")
        if (changed := _changed_inputs(inputs, mine)) is not None:
            return CheckResult(name, False, True, f"your function changed its input {changed} in place; "
                                                  f"work on a copy (for example x.clone()) instead")
        if (msg := _compare(got, want, atol, rtol)) is not None:
            return CheckResult(name, False, True, msg + (f". Hint: {hint}" if hint else ""))
    return CheckResult(name, True, True, f"matches the reference on {trials} random inputs")


# ------------------------------------------------------------------ notebook 00: evaluation


def _scores_and_labels(g: torch.Generator):
    n = int(torch.randint(20, 60, (1,), generator=g))
    y = torch.rand(n, generator=g) < 0.3
    y[0], y[1] = True, False  # both classes present
    s = torch.randn(n, generator=g) + 1.5 * y.float()
    return s.numpy(), y.numpy()


def _reference_auroc(scores, is_anomaly):
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(is_anomaly, scores))


def check_auroc(fn) -> CheckResult:
    """Exercise: ``fn(scores, is_anomaly)`` returns the AUROC (probability that an anomaly
    outscores a normal image, ties counting one half)."""
    return check("AUROC by counting pairs", fn, _reference_auroc, _scores_and_labels,
                 hint="compare every anomaly's score with every normal score; count ties as 1/2")


def _reference_threshold(val_scores, percentile):
    import numpy as np

    return float(np.percentile(val_scores, percentile))


def check_validation_threshold(fn) -> CheckResult:
    """Exercise: ``fn(val_scores, percentile)`` returns the threshold that flags about
    (100 - percentile) % of normal validation images."""
    def inputs(g):
        return torch.randn(50, generator=g).numpy(), float(torch.randint(80, 99, (1,), generator=g))

    return check("threshold from validation scores", fn, _reference_threshold, inputs,
                 hint="numpy's percentile of the validation scores (never of the test scores)")


# ------------------------------------------------------------------ notebook 06: comparison


def _reference_mean_auroc(rows, method, dataset):
    import numpy as np

    by_seed: dict = {}
    for r in rows:
        if r["method"] == method and r["dataset"] == dataset:
            by_seed.setdefault(r["seed"], []).append(r["auroc"])
    return float(np.mean([np.mean(v) for v in by_seed.values()]))


def _random_rows(g: torch.Generator):
    rows = []
    for method in ("knn", "ganomaly"):
        for dataset in ("mnist", "fashion_mnist"):
            for seed in range(int(torch.randint(1, 4, (1,), generator=g))):
                n_classes = int(torch.randint(2, 11, (1,), generator=g)) if seed == 0 else 10
                for c in range(n_classes):
                    rows.append({"method": method, "dataset": dataset, "class": c, "seed": seed,
                                 "auroc": float(torch.rand(1, generator=g))})
    return rows, "ganomaly", "fashion_mnist"


def check_mean_auroc(fn) -> CheckResult:
    """Exercise: ``fn(rows, method, dataset)`` averages AUROC over classes per seed, then over seeds."""
    return check("mean AUROC over classes and seeds", fn, _reference_mean_auroc, _random_rows,
                 hint="keep only the rows of that method and data set; average per seed first "
                      "(seeds may cover different numbers of classes)")


# ------------------------------------------------------------------ notebook 03: AnoGAN


def _anogan_loss_inputs(g: torch.Generator):
    n = int(torch.randint(2, 7, (1,), generator=g))
    x = torch.rand(n, 1, 8, 8, generator=g) * 2 - 1
    x_gen = torch.rand(n, 1, 8, 8, generator=g) * 2 - 1
    f_x, f_gen = torch.randn(n, 12, generator=g), torch.randn(n, 12, generator=g)
    lambda_ = float(torch.rand(1, generator=g)) * 0.5
    return x, x_gen, f_x, f_gen, lambda_


def _reference_anogan_loss(x, x_gen, f_x, f_gen, lambda_):
    from .anogan import discrimination_loss, residual_loss, total_loss

    return total_loss(residual_loss(x, x_gen), discrimination_loss(f_x, f_gen), lambda_)


def check_anogan_loss(fn) -> CheckResult:
    """Exercise: ``fn(x, x_gen, f_x, f_gen, lambda_)`` returns AnoGAN's loss of every image,
    L = (1 - lambda) sum |x - G(z)| + lambda sum |f(x) - f(G(z))| (shape N)."""
    return check("AnoGAN's loss L(z)", fn, _reference_anogan_loss, _anogan_loss_inputs,
                 hint="one number per image: sum |.| over the pixels of each image (L_R) and over its "
                      "features (L_D), then (1 - lambda) L_R + lambda L_D")


class _FeatureD(torch.nn.Module):
    """Wraps a feature map f so that ``D(x, features=True)[1] == f(x)``, as the library expects."""

    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x, features: bool = False):
        h = self.f(x)
        return (h.sum(1), h) if features else h.sum(1)


def _latent_search_inputs(g: torch.Generator):
    n, nz = int(torch.randint(2, 6, (1,), generator=g)), 4
    G = torch.nn.Sequential(torch.nn.Linear(nz, 16), torch.nn.Tanh(), torch.nn.Unflatten(1, (1, 4, 4)))
    f = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 6), torch.nn.LeakyReLU(0.2))
    with torch.no_grad():
        for p in list(G.parameters()) + list(f.parameters()):
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    x = torch.rand(n, 1, 4, 4, generator=g) * 2 - 1
    z0 = torch.randn(n, nz, generator=g)
    return G, f, x, z0, 10, 0.05, 0.1


def _reference_latent_search(G, f, x, z0, steps, lr, lambda_):
    from .anogan import latent_search

    return latent_search(G, _FeatureD(f), x, z0.detach().clone(), steps=steps, lambda_=lambda_, lr=lr)["z"]


def check_latent_search(fn) -> CheckResult:
    """Exercise: ``fn(G, f, x, z0, steps, lr, lambda_)`` runs the batched latent search (Adam on
    the codes only, per-image losses summed) and returns z_Gamma (N x nz)."""
    return check("batched latent search", fn, _reference_latent_search, _latent_search_inputs, atol=1e-4,
                 rtol=1e-4, hint="start from a copy of z0 that requires grad; Adam([z], lr); each step: "
                                 "L per image, then loss.sum().backward() so that images do not interact")


# ------------------------------------------------------------------ notebook 04: EGBAD


def _egbad_inputs(g: torch.Generator):
    x, x_rec, f_real, f_rec, _ = _anogan_loss_inputs(g)
    return x, x_rec, f_real, f_rec, 0.5 + 0.5 * float(torch.rand(1, generator=g))


def _reference_egbad_score(x, x_rec, f_real, f_rec, alpha):
    from .egbad import egbad_score, feature_matching_loss, reconstruction_loss

    return egbad_score(reconstruction_loss(x, x_rec), feature_matching_loss(f_real, f_rec), alpha)


def check_egbad_score(fn) -> CheckResult:
    """Exercise: ``fn(x, x_rec, f_real, f_rec, alpha)`` returns EGBAD's score of every image,
    A = alpha ||x - G(E(x))||_1 + (1 - alpha) ||f_D(x, E(x)) - f_D(G(E(x)), E(x))||_1."""
    return check("EGBAD's score A(x)", fn, _reference_egbad_score, _egbad_inputs,
                 hint="L1 norms per image (sum of absolute values over pixels, over features); "
                      "alpha weighs the reconstruction term")


def _logit_inputs(g: torch.Generator):
    n = int(torch.randint(4, 12, (1,), generator=g))
    logits = torch.randn(n, generator=g) * 3
    logits[0], logits[1] = -200.0, 120.0  # a very sure "fake" and a very sure "real"
    return (logits,)


def _reference_cross_entropy(logits):
    from .egbad import cross_entropy_loss

    return cross_entropy_loss(logits)


def check_cross_entropy_score(fn) -> CheckResult:
    """Exercise: ``fn(logits)`` returns -log D(G(E(x)), E(x)) from D's logits, finite for any logit."""
    return check("cross-entropy L_D from logits", fn, _reference_cross_entropy, _logit_inputs,
                 hint="-log sigmoid(l) = softplus(-l) = -logsigmoid(l); sigmoid(-200) rounds to 0 and its log "
                      "to -inf")


# ------------------------------------------------------------------ notebooks 01 and 02: GAN, BiGAN


def _matches(got, want, atol=1e-5, rtol=1e-4) -> bool:
    try:
        return _compare(got, want, atol, rtol) is None
    except Exception:
        return False


def _diagnose(result: CheckResult, learner: Callable, make_inputs: Callable, variants: dict) -> CheckResult:
    """When a check fails, test the learner's answer against known mistakes and name the one made."""
    if result.passed or not result.attempted:
        return result
    inputs = make_inputs(torch.Generator().manual_seed(1234))
    try:
        got = learner(*inputs)
    except Exception:
        return result
    for wrong, message in variants.items():
        if _matches(got, wrong(*inputs)):
            return CheckResult(result.name, False, True, message)
    return result


def _logits(g: torch.Generator, scale: float = 2.0):
    m = int(torch.randint(4, 20, (1,), generator=g))
    return (1.0 + scale * torch.randn(m, generator=g), -1.0 + scale * torch.randn(m, generator=g))


def _stability(name: str, result: CheckResult, learner: Callable, reference: Callable, inputs: tuple,
               what: str) -> CheckResult:
    """After a pass on moderate logits, one input where D is confident (|logit| = 20 to 30)."""
    if not result.passed:
        return result
    try:
        got = learner(*inputs)
    except Exception as err:
        return CheckResult(name, False, True, f"raised {type(err).__name__} on confident logits: {err}")
    if _compare(got, reference(*inputs), 1e-5, 1e-4) is None:
        return CheckResult(name, True, True, result.message + ", and stays exact when D is confident")
    return CheckResult(name, False, True,
                       f"right for moderate logits, but wrong or infinite when D is confident ({what}). "
                       f"Probabilities round to 0 or 1 in float32: compute log D = logsigmoid(l) and "
                       f"log(1 - D) = logsigmoid(-l) from the logit l (torch.nn.functional.logsigmoid)")


def check_discriminator_loss(fn) -> CheckResult:
    """Exercise (notebook 01): ``fn(d_real, d_fake)`` takes D's *logits* on a minibatch of real
    examples and of fakes G(z) and returns D's loss, -V = -(mean log D(x) + mean log(1 - D(G(z))))."""
    from .gan import discriminator_loss, value_function

    name = "discriminator loss -V from logits"
    result = check(name, fn, discriminator_loss, _logits,
                   hint="D(x) = sigmoid(logit); D ascends V, so its loss is -V (a mean over the minibatch)")
    result = _diagnose(result, fn, _logits, {
        value_function: "you returned V itself; D *ascends* V, so the loss it descends is -V",
        lambda r, f: -value_function(f, r): "real and fake are swapped: D(x) should be high on real data",
        lambda r, f: -(torch.nn.functional.logsigmoid(r).sum() + torch.nn.functional.logsigmoid(-f).sum()):
            "use means over the minibatch (the expectations of V), not sums",
        lambda r, f: -(torch.nn.functional.logsigmoid(r).mean() + torch.nn.functional.logsigmoid(f).mean()):
            "the fake term is log(1 - D(G(z))) = logsigmoid(-logit), not log D(G(z))",
    })
    confident = (torch.tensor([2.0, -30.0, 1.0]), torch.tensor([-1.0, 20.0, 0.5]))
    return _stability(name, result, fn, discriminator_loss, confident,
                      "a real logit of -30 and a fake logit of 20")


def _inner_loop_setup(g: torch.Generator, k: int):
    from .nets import MLPDiscriminator, MLPGenerator

    with torch.random.fork_rng(devices=[]):  # the learner's global random state is left alone
        torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=g)))
        G, D = MLPGenerator(2, 2, 16, depth=2), MLPDiscriminator(2, 16, depth=2)
    m = 8
    x_batches = [torch.randn(m, 2, generator=g) + 2.0 for _ in range(k)]
    z_batches = [torch.randn(m, 2, generator=g) for _ in range(k)]
    return G, D, x_batches, z_batches


def _reference_inner_loop(D, G, opt_D, x_batches, z_batches, *, sign=1.0, zero_grad=True, steps=None):
    from .gan import value_function

    for i, (x, z) in enumerate(zip(x_batches, z_batches)):
        if steps is not None and i >= steps:
            break
        loss = -sign * value_function(D(x), D(G(z).detach()))
        if zero_grad:
            opt_D.zero_grad()
        loss.backward()
        opt_D.step()


def _inner_loop_trial(fn, k: int, seed: int) -> str | None:
    """Run the learner's inner loop once; None when D's weights match the reference, else why not."""
    import copy

    G, D, xs, zs = _inner_loop_setup(torch.Generator().manual_seed(seed), k)
    G_ref, D_ref = copy.deepcopy(G), copy.deepcopy(D)
    G_before = [p.detach().clone() for p in G.parameters()]
    fn(D, G, torch.optim.SGD(D.parameters(), lr=0.1), [x.clone() for x in xs], [z.clone() for z in zs])
    if any(not torch.equal(a, b) for a, b in zip(G_before, G.parameters())):
        return "G's weights changed: the inner loop updates D only"
    if any(p.grad is not None and p.grad.abs().sum() > 0 for p in G.parameters()):
        return ("G received gradients during D's steps: detach G(z) (G is fixed while D learns, "
                "and this saves work)")
    got = [p.detach() for p in D.parameters()]

    def reference(**variant):
        Dv = copy.deepcopy(D_ref)
        _reference_inner_loop(Dv, G_ref, torch.optim.SGD(Dv.parameters(), lr=0.1), xs, zs, **variant)
        return [p.detach() for p in Dv.parameters()]

    def same(ws):
        return all(torch.allclose(a, b, atol=1e-5, rtol=1e-4) for a, b in zip(got, ws))

    want = reference()
    if same(want):
        return None
    if same([p.detach() for p in D_ref.parameters()]):
        return "D's weights did not change: call opt_D.step() after backward()"
    for variant, message in (
        ({"sign": -1.0}, "D went the wrong way: it must *ascend* V, i.e. descend -V"),
        ({"zero_grad": False}, "gradients piled up across the k steps: call opt_D.zero_grad() "
                               "before each backward()"),
        ({"steps": 1}, f"D was updated once, but Algorithm 1 takes k = {k} steps, one per minibatch pair"),
    ):
        if same(reference(**variant)):
            return message
    err = max((a - b).abs().max().item() for a, b in zip(got, want))
    return (f"after k = {k} steps D's weights differ from the reference by up to {err:.3g}. Each "
            f"step: loss = -V on (x, G(z)), zero_grad, backward, step")


def check_algorithm1_inner_loop(fn) -> CheckResult:
    """Exercise (notebook 01): ``fn(D, G, opt_D, x_batches, z_batches)`` runs the inner loop of
    Algorithm 1: for each of the k pairs (x, z) of minibatches, one update of D by ascending
    V = mean log D(x) + mean log(1 - D(G(z))) (D returns logits); G stays fixed.

    The check runs it on small networks with k = 1 and k = 3 and compares D's weights with the
    reference, then tells which usual mistake explains a difference.
    """
    name = "inner loop of Algorithm 1 (k discriminator steps)"
    for trial, k in enumerate((1, 3, 3)):
        try:
            message = _inner_loop_trial(fn, k, 4321 + trial)
        except NotImplementedError:
            return CheckResult(name, False, False, NOT_ATTEMPTED)
        except Exception as err:  # the learner's bug, reported, not raised
            return CheckResult(name, False, True, f"raised {type(err).__name__}: {err}")
        if message is not None:
            return CheckResult(name, False, True, message)
    return CheckResult(name, True, True, "D's weights match the reference after k = 1 and k = 3 steps")


def _bigan_inputs(g: torch.Generator):
    from .nets import Decoder, Encoder, JointDiscriminator

    nz, m = 4, int(torch.randint(3, 9, (1,), generator=g))
    with torch.random.fork_rng(devices=[]):  # the learner's global random state is left alone
        torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=g)))
        E, G = Encoder(8, 1, nz, 4).eval(), Decoder(8, 1, nz, 4).eval()
        D = JointDiscriminator(8, 1, nz, 4, hidden=16, dropout=0.0).eval()
    x = torch.rand(m, 1, 8, 8, generator=g) * 2 - 1
    z = torch.randn(m, nz, generator=g)
    return D, E, G, x, z


def _reference_bigan_loss(D, E, G, x, z):
    from .bigan import discriminator_loss

    return discriminator_loss(D(x, E(x)), D(G(z), z))


def check_bigan_loss(fn) -> CheckResult:
    """Exercise (notebook 02): ``fn(D, E, G, x, z)`` builds BiGAN's two pairs and returns D's loss
    -V(D, E, G) = -(mean log D(x, E(x)) + mean log(1 - D(G(z), z))); D returns logits."""
    from .bigan import discriminator_loss

    name = "BiGAN discriminator loss on (x, E(x)) and (G(z), z)"

    def ref(D, E, G, x, z):
        with torch.no_grad():
            return _reference_bigan_loss(D, E, G, x, z)

    def learner(*a):
        with torch.no_grad():
            return fn(*a)

    result = check(name, learner, ref, _bigan_inputs,
                   hint="real pair: an image with its code E(x); generated pair: G(z) with the z it came from")
    with torch.no_grad():
        return _diagnose(result, learner, _bigan_inputs, {
            lambda D, E, G, x, z: -_reference_bigan_loss(D, E, G, x, z):
                "you returned V itself; D ascends V, so its loss is -V",
            lambda D, E, G, x, z: discriminator_loss(D(G(z), z), D(x, E(x))):
                "real and generated pairs are swapped: (x, E(x)) is the pair D should call real",
            lambda D, E, G, x, z: discriminator_loss(D(x, z), D(G(z), E(x))):
                "the codes are mixed up: x goes with E(x), its own code, and G(z) with z",
            lambda D, E, G, x, z: discriminator_loss(D(x, E(x)), D(G(E(x)), E(x))):
                "the generated pair uses G(z) for a code z from the prior, not G(E(x))",
        })


def check_bigan_generator_encoder_loss(fn) -> CheckResult:
    """Exercise (notebook 02): ``fn(d_real_pair, d_fake_pair)`` takes D's logits on (x, E(x)) and
    (G(z), z) and returns the non-saturating loss of G and E: the labels swapped,
    -mean log(1 - D(x, E(x))) - mean log D(G(z), z)."""
    from .bigan import generator_encoder_loss, value_function

    name = "BiGAN generator/encoder loss (non-saturating)"
    result = check(name, fn, generator_encoder_loss, _logits,
                   hint="G and E want D to call (G(z), z) real and (x, E(x)) fake: swap the labels")
    result = _diagnose(result, fn, _logits, {
        value_function: "that is V, the saturating (minimax) form; use the non-saturating one with swapped labels",
        lambda r, f: -value_function(r, f): "that is D's own loss -V; G and E need the labels swapped",
        lambda r, f: -torch.nn.functional.logsigmoid(f).mean():
            "E learns only through the real pair: include -mean log(1 - D(x, E(x)))",
    })
    confident = (torch.tensor([30.0, 1.0]), torch.tensor([-20.0, 0.5]))
    return _stability(name, result, fn, generator_encoder_loss, confident,
                      "a real-pair logit of 30 and a generated-pair logit of -20")
