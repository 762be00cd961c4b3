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
           "generator_loss_non_saturating", "GENERATOR_LOSSES", "sample_z", "GAN"]


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


class GAN:
    """Generator G and discriminator D trained with Algorithm 1.

    ``GAN.dcgan(...)`` builds the DCGAN networks of :mod:`ganad_lib.nets` for images,
    ``GAN.mlp(...)`` small perceptrons for 2-D toy data. ``fit`` trains with the course's
    training loop; ``sample(n)`` draws images; ``features(x)`` returns D's intermediate
    features f(x), which AnoGAN matches.
    """

    def __init__(self, G: nn.Module, D: nn.Module, nz: int, *, lr: float = 2e-4,
                 betas: tuple[float, float] = (0.5, 0.999), k: int = 1,
                 loss: str = "non_saturating", seed: int = 0):
        if loss not in GENERATOR_LOSSES:
            raise ValueError(f"loss must be one of {sorted(GENERATOR_LOSSES)}, got {loss!r}")
        if k < 1:
            raise ValueError(f"k (discriminator steps per generator step) must be >= 1, got {k}")
        self.G, self.D, self.nz, self.k, self.loss, self.seed = G, D, nz, k, loss, seed
        self.generator_loss = GENERATOR_LOSSES[loss]
        self.modules = {"G": G, "D": D}
        self.optimizers = {"G": torch.optim.Adam(G.parameters(), lr=lr, betas=betas),
                           "D": torch.optim.Adam(D.parameters(), lr=lr, betas=betas)}
        self.history: History | None = None

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

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        """One iteration of Algorithm 1 on ``x``, which holds k minibatches of m examples."""
        m = len(x) // self.k
        for xb in x[: m * self.k].split(m):
            z = sample_z(m, self.nz, x.device)
            d_real, d_fake = self.D(xb), self.D(self.G(z).detach())
            loss_D = discriminator_loss(d_real, d_fake)  # ascend V  <=>  descend -V
            self.optimizers["D"].zero_grad(set_to_none=True)
            loss_D.backward()
            self.optimizers["D"].step()
        z = sample_z(m, self.nz, x.device)
        d_fake_for_G = self.D(self.G(z))
        loss_G = self.generator_loss(d_fake_for_G)
        self.optimizers["G"].zero_grad(set_to_none=True)
        loss_G.backward()
        self.optimizers["G"].step()
        with torch.no_grad():
            p_real, p_fake = torch.sigmoid(d_real).mean(), torch.sigmoid(d_fake).mean()
        return {"loss_D": loss_D.item(), "loss_G": loss_G.item(),
                "D(x)": p_real.item(), "D(G(z))": p_fake.item()}

    def fit(self, x: torch.Tensor, *, epochs: int, batch_size: int = 64, **train_kw) -> History:
        """Train on float data (images in [-1, 1]); ``batch_size`` is m. Returns the loss history."""
        history = train(self, x, epochs=epochs, batch_size=batch_size * self.k, seed=self.seed,
                        desc=train_kw.pop("desc", "GAN"), device=self.device, **train_kw)
        self.history = history
        return history

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n samples G(z), z ~ p_z, with G in eval mode (returned on the CPU)."""
        self.G.eval()
        z = sample_z(n, self.nz, "cpu", generator).to(self.device)
        return self.G(z).cpu()

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """D's intermediate features f(x) (D in its current mode; call ``D.eval()`` to score)."""
        return self.D(x, features=True)[1]

    def state_dict(self) -> dict:
        return {"G": self.G.state_dict(), "D": self.D.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.G.load_state_dict(state["G"])
        self.D.load_state_dict(state["D"])
