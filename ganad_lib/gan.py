"""The vanilla GAN of Goodfellow et al. (2014), as the seminar states it.

Value function (the seed's equation)::

    min_G max_D V(D, G) = E_{x ~ p_data}[log D(x)] + E_{z ~ p_z}[log(1 - D(G(z)))]

D outputs a *logit* l; D(x) = sigmoid(l). All losses are computed from logits with
``logsigmoid`` so that they stay finite when D is confident (log(sigmoid(l)) = logsigmoid(l),
log(1 - sigmoid(l)) = logsigmoid(-l)).

Training follows the seed's Algorithm 1: for each iteration, k discriminator updates (each on a
fresh minibatch of m noise samples and m data examples), then one generator update.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .nets import Decoder, Discriminator, MLPDiscriminator, MLPGenerator, init_weights
from .training import History, train

__all__ = ["value_function", "discriminator_loss", "generator_loss_saturating",
           "generator_loss_non_saturating", "GENERATOR_LOSSES", "sample_z", "GAN",
           "generator_gradient_norm"]


def value_function(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))], from D's logits on real and fake data."""
    return F.logsigmoid(d_real).mean() + F.logsigmoid(-d_fake).mean()


def discriminator_loss(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """-V(D, G): D *ascends* V, so it *descends* -V = -(1/m) sum [log D(x_i) + log(1 - D(G(z_i)))]."""
    return -value_function(d_real, d_fake)


def generator_loss_saturating(d_fake: torch.Tensor) -> torch.Tensor:
    """The minimax form of Algorithm 1: G descends (1/m) sum log(1 - D(G(z_i))).

    Its gradient vanishes when D confidently rejects the fakes (early in training).
    """
    return F.logsigmoid(-d_fake).mean()


def generator_loss_non_saturating(d_fake: torch.Tensor) -> torch.Tensor:
    """The form used in practice: G descends -(1/m) sum log D(G(z_i)) (strong gradient early on)."""
    return -F.logsigmoid(d_fake).mean()


GENERATOR_LOSSES = {"saturating": generator_loss_saturating,
                    "non_saturating": generator_loss_non_saturating}


def sample_z(m: int, nz: int, device=None, generator: torch.Generator | None = None) -> torch.Tensor:
    """m samples from the noise prior p_z = N(0, I)."""
    return torch.randn(m, nz, device=device, generator=generator)


@torch.no_grad()
def _verdicts(d_real: torch.Tensor, d_fake: torch.Tensor, real: str, fake: str) -> dict[str, float]:
    """Mean D on real and fake examples, and D's accuracy (real called real: D > 1/2; fake: D < 1/2)."""
    acc = ((d_real > 0).float().mean() + (d_fake < 0).float().mean()) / 2
    return {real: torch.sigmoid(d_real).mean().item(), fake: torch.sigmoid(d_fake).mean().item(),
            "acc_D": acc.item()}


def _positive_int(value, name: str, hint: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}{hint}")
    return value


def _generated_shape(G: nn.Module, nz: int, device) -> tuple[int, ...]:
    """The shape of one G(z), found on two zero codes in eval mode (no random numbers drawn)."""
    was_training = G.training
    G.eval()
    try:
        with torch.no_grad():
            return tuple(G(torch.zeros(2, nz, device=device)).shape[1:])
    finally:
        G.train(was_training)


def _check_data_shape(x: torch.Tensor, G: nn.Module, nz: int, what: str = "GAN") -> None:
    """Raise a clear error when the training data does not have the shape G generates."""
    if not torch.is_tensor(x) or not x.is_floating_point():
        raise TypeError(f"{what}.fit expects a float tensor (images in [-1, 1]: use "
                        f"ganad_lib.data.to_tensor), got {type(x).__name__}"
                        + (f" of {x.dtype}" if torch.is_tensor(x) else ""))
    if x.dim() == 4:  # images (toy data, N x D, has its own scale)
        from .data import check_float_images

        check_float_images(x, f"{what}.fit")
    want = _generated_shape(G, nz, next(G.parameters()).device)
    if tuple(x.shape[1:]) != want:
        raise ValueError(
            f"{what}.fit got examples of shape {tuple(x.shape[1:])}, but G generates {want}. "
            f"Build the model for this data (image_size and channels), or convert the images "
            f"with ganad_lib.data.to_tensor(images, size=..., channels=...).")


class GAN:
    """Generator G and discriminator D trained with Algorithm 1.

    ``GAN.dcgan(...)`` builds the DCGAN networks of :mod:`ganad_lib.nets` for images,
    ``GAN.mlp(...)`` small perceptrons for 2-D toy data. ``fit`` trains with the course's
    training loop; ``sample(n)`` draws images; ``features(x)`` returns D's intermediate
    features f(x), which AnoGAN matches.

    ``k`` is Algorithm 1's number of discriminator steps per generator step; ``loss`` the
    generator's loss (``"non_saturating"`` or the minimax ``"saturating"``); ``lr_D`` D's own
    learning rate (default ``lr``; notebook 01 slows D down with it to show mode collapse).

    ``ema`` (a decay such as 0.999, default off) also keeps ``G_ema``, an exponential moving
    average of G's weights, updated after every generator step (Yazıcı et al., 2019, "The
    Unusual Effectiveness of Averaging in GAN Training", ICLR): G itself keeps chasing a moving
    D, its average oscillates less. Training is unchanged; ``sample`` then draws from ``G_ema``.
    It is torch's own ``AveragedModel`` with ``get_ema_multi_avg_fn`` (BatchNorm's running
    statistics averaged too).
    """

    def __init__(self, G: nn.Module, D: nn.Module, nz: int, *, lr: float = 2e-4,
                 betas: tuple[float, float] = (0.5, 0.999), k: int = 1,
                 loss: str = "non_saturating", seed: int = 0, lr_D: float | None = None,
                 ema: float | None = None):
        if loss not in GENERATOR_LOSSES:
            raise ValueError(f"loss must be one of {sorted(GENERATOR_LOSSES)}, got {loss!r}")
        _positive_int(k, "k (discriminator steps per generator step)", "; Algorithm 1 uses k = 1")
        _positive_int(nz, "nz (the size of the latent code z)")
        lr_D = lr if lr_D is None else lr_D
        for name, value in (("lr", lr), ("lr_D", lr_D)):
            if not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f"{name} (learning rate) must be a positive number, got {value!r}")
        if not (isinstance(G, nn.Module) and isinstance(D, nn.Module)):
            raise TypeError("G and D must be torch.nn.Module instances (see ganad_lib.nets)")
        self.G, self.D, self.nz, self.k, self.loss, self.seed = G, D, nz, k, loss, seed
        self.generator_loss = GENERATOR_LOSSES[loss]
        self.modules = {"G": G, "D": D}
        self.optimizers = {"G": torch.optim.Adam(G.parameters(), lr=lr, betas=betas),
                           "D": torch.optim.Adam(D.parameters(), lr=lr_D, betas=betas)}
        self.history: History | None = None
        self.G_ema = None
        if ema is not None:
            if isinstance(ema, bool) or not isinstance(ema, float) or not 0 < ema < 1:
                raise ValueError(f"ema is the moving average's decay, a float in (0, 1) such as 0.999 "
                                 f"(or None for no average), got {ema!r}")
            from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

            self.G_ema = AveragedModel(G, multi_avg_fn=get_ema_multi_avg_fn(ema), use_buffers=True)
            self.G_ema.requires_grad_(False)
            self.modules["G_ema"] = self.G_ema
        #: what else defines a training run (the checkpoint check compares it; lr and betas come
        #: from the optimisers, sizes from the networks)
        self.run_config = {"loss": loss, "k": k, "nz": nz, **({"ema": ema} if ema is not None else {})}

    @classmethod
    def dcgan(cls, image_size: int = 32, channels: int = 1, nz: int = 100, width: int = 64,
              seed: int = 0, device=None, **kw) -> GAN:
        torch.manual_seed(seed)
        G, D = Decoder(image_size, channels, nz, width), Discriminator(image_size, channels, width)
        G.apply(init_weights)
        D.apply(init_weights)
        return cls(G.to(device), D.to(device), nz, seed=seed, **kw)

    @classmethod
    def mlp(cls, dim: int = 2, nz: int = 2, hidden: int = 128, seed: int = 0, device=None, **kw) -> GAN:
        torch.manual_seed(seed)
        return cls(MLPGenerator(nz, dim, hidden).to(device), MLPDiscriminator(dim, hidden).to(device),
                   nz, seed=seed, **kw)

    @property
    def device(self) -> torch.device:
        return next(self.G.parameters()).device

    def discriminator_step(self, x: torch.Tensor, z: torch.Tensor):
        """One update of D by ascending its stochastic gradient (the inner loop of Algorithm 1):
        (1/m) sum_i [log D(x_i) + log(1 - D(G(z_i)))] on data ``x`` and codes ``z``; G is fixed.

        Returns ``(loss_D, d_real, d_fake)``: -V before the update and D's logits.
        """
        d_real, d_fake = self.D(x), self.D(self.G(z).detach())  # detach: G gets no gradient here
        loss_D = discriminator_loss(d_real, d_fake)  # ascend V  <=>  descend -V
        self.optimizers["D"].zero_grad(set_to_none=True)
        loss_D.backward()
        self.optimizers["D"].step()
        return loss_D, d_real, d_fake

    def generator_step(self, z: torch.Tensor) -> torch.Tensor:
        """One update of G on codes ``z``: descend the generator loss (``self.loss``). Returns it."""
        loss_G = self.generator_loss(self.D(self.G(z)))
        self.optimizers["G"].zero_grad(set_to_none=True)
        loss_G.backward()
        self.optimizers["G"].step()
        return loss_G

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        """One iteration of Algorithm 1 on ``x``, which holds k minibatches of m examples:
        k discriminator steps (each on its own minibatch and fresh noise), then one generator step."""
        m = len(x) // self.k
        if m < 1:
            raise ValueError(f"train_step needs k = {self.k} minibatches of at least one example, "
                             f"got {len(x)} examples; pass at least k examples")
        for xb in x[: m * self.k].split(m):
            loss_D, d_real, d_fake = self.discriminator_step(xb, sample_z(m, self.nz, x.device))
        loss_G = self.generator_step(sample_z(m, self.nz, x.device))
        if self.G_ema is not None:
            self.G_ema.update_parameters(self.G)
        return {"loss_D": loss_D.item(), "loss_G": loss_G.item(), **_verdicts(d_real, d_fake, "D(x)", "D(G(z))")}

    def fit(self, x: torch.Tensor, *, epochs: int, batch_size: int = 64, **train_kw) -> History:
        """Train on float data (images in [-1, 1]); ``batch_size`` is m. Returns the loss history.

        Each training step takes k * m examples: k minibatches for D's k updates (Algorithm 1).
        """
        _check_data_shape(x, self.G, self.nz, "GAN")
        _positive_int(batch_size, "batch_size (m)")
        history = train(self, x, epochs=epochs, batch_size=batch_size * self.k, seed=self.seed,
                        desc=train_kw.pop("desc", "GAN"), device=self.device, **train_kw)
        self.history = history
        return history

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n samples G(z), z ~ p_z, with G in eval mode (returned on the CPU); from the moving
        average ``G_ema`` when the GAN keeps one."""
        G = self.G if self.G_ema is None else self.G_ema
        G.eval()
        z = sample_z(n, self.nz, "cpu", generator).to(self.device)
        return G(z).cpu()

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """D's intermediate features f(x) (D in its current mode; call ``D.eval()`` to score)."""
        return self.D(x, features=True)[1]

    def state_dict(self) -> dict:
        state = {"G": self.G.state_dict(), "D": self.D.state_dict()}
        if self.G_ema is not None:
            state["G_ema"] = self.G_ema.state_dict()
        return state

    def load_state_dict(self, state: dict) -> None:
        if (self.G_ema is not None) != ("G_ema" in state):
            raise ValueError("this state was saved by a GAN " + ("without" if self.G_ema is not None else "with")
                             + " a moving average of G (ema); build the GAN with the same ema setting")
        self.G.load_state_dict(state["G"])
        self.D.load_state_dict(state["D"])
        if self.G_ema is not None:
            self.G_ema.load_state_dict(state["G_ema"])


def generator_gradient_norm(G: nn.Module, D: nn.Module, z: torch.Tensor,
                            loss: str = "non_saturating") -> float:
    """The norm of the gradient of a generator loss w.r.t. G's parameters, at codes ``z``.

    ``loss`` is ``"saturating"`` (descend log(1 - D(G(z)))) or ``"non_saturating"`` (descend
    -log D(G(z))). G and D are used in their current mode. No weight is updated and no
    ``.grad`` is touched (``torch.autograd.grad``); in train mode the forward pass would update
    BatchNorm's running statistics, so every buffer of G and D is copied before and restored
    after: the networks leave this function exactly as they came in. The notebook shows with it
    why practice uses the non-saturating loss: when D rejects the fakes confidently, the
    saturating gradient vanishes.
    """
    if loss not in GENERATOR_LOSSES:
        raise ValueError(f"loss must be one of {sorted(GENERATOR_LOSSES)}, got {loss!r}")
    params = [p for p in G.parameters() if p.requires_grad]
    buffers = [(b, b.detach().clone()) for net in (G, D) for b in net.buffers()]
    try:
        value = GENERATOR_LOSSES[loss](D(G(z)))
        grads = torch.autograd.grad(value, params)
    finally:
        with torch.no_grad():
            for b, saved in buffers:  # BatchNorm running mean/var and its batch counter
                b.copy_(saved)
    return float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads)))
