"""AnoGAN (Schlegl et al., 2017), as the seminar states it, with a batched latent search.

A GAN trained on normal images gives a generator G: z -> x, but no way back. AnoGAN finds, for a
query image x, the code z whose image G(z) is closest to x, by gradient descent on z with G and
D frozen. Two losses measure "close" (the seed's equations)::

    L_R(z_gamma) = sum |x - G(z_gamma)|                         residual loss
    L_D(z_gamma) = sum |f(x) - f(G(z_gamma))|                   discrimination loss
    L(z_gamma)   = (1 - lambda) L_R(z_gamma) + lambda L_D(z_gamma)

with f the intermediate features of the discriminator D. After Gamma steps the loss itself is
the anomaly score, A(x) = L(z_Gamma): a normal image is explained by some G(z), an anomaly is
not.

The search is the expensive part (Gamma forward and backward passes per image), and the
classic implementations loop over the images one at a time. Here every image of a batch has its
own row of one latent tensor, all rows are optimised together, and the per-image losses are
*summed* for the backward pass: the gradient of sum_j L_j with respect to z_i is dL_i/dz_i, Adam
updates every element on its own, and G and D run in ``eval()`` mode (batch norm uses its
running statistics), so no image influences another. The initial code of an image is drawn from
a generator seeded with a hash of the image's bytes and the detector's seed, so an image gets the
same z_0, hence the same score, alone or in any batch.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .detector import Detector
from .gan import GAN
from .nets import Decoder, Discriminator
from .profiles import Profile, get_profile

__all__ = ["residual_loss", "discrimination_loss", "total_loss", "initial_z", "frozen",
           "latent_search", "LatentSearch", "AnoGAN", "SETTINGS", "settings"]


# ----------------------------------------------------------------------------- losses


def residual_loss(x: torch.Tensor, x_gen: torch.Tensor) -> torch.Tensor:
    """Residual loss of each image (the seed's equation):

        L_R(z_gamma) = sum |x - G(z_gamma)|

    the sum over channels and pixels of the absolute difference; returns shape (N,).
    """
    return (x - x_gen).abs().flatten(1).sum(dim=1)


def discrimination_loss(f_x: torch.Tensor, f_gen: torch.Tensor) -> torch.Tensor:
    """Discrimination loss of each image (the seed's equation):

        L_D(z_gamma) = sum |f(x) - f(G(z_gamma))|

    with f the intermediate features of D (``D(x, features=True)[1]``); the sum over feature
    dimensions of the absolute difference; returns shape (N,).
    """
    return (f_x - f_gen).abs().flatten(1).sum(dim=1)


def total_loss(l_r: torch.Tensor, l_d: torch.Tensor, lambda_: float = 0.1) -> torch.Tensor:
    """The loss of the latent search and, after the last step, the anomaly score (the seed's
    equations):

        L(z_gamma) = (1 - lambda) L_R(z_gamma) + lambda L_D(z_gamma)
        A(x) = L(z_Gamma)

    ``lambda_ = 0.1`` as in AnoGAN (quoted by the EGBAD code).
    """
    return (1.0 - lambda_) * l_r + lambda_ * l_d


# ----------------------------------------------------------------------------- the search


def _image_seed(image: torch.Tensor, seed: int) -> int:
    data = image.contiguous().numpy().tobytes()
    h = hashlib.blake2b(data, digest_size=8, key=int(seed).to_bytes(8, "little", signed=False))
    return int.from_bytes(h.digest(), "little") & (2**63 - 1)


def initial_z(x: torch.Tensor, nz: int, seed: int = 0) -> torch.Tensor:
    """z_0 of every image, drawn from p_z = N(0, I) with a generator seeded by a hash of that
    image's bytes and ``seed``: the same image gets the same z_0 whatever batch it is in.

    Returns an N x nz tensor on ``x``'s device.
    """
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    x_cpu = x.detach().to("cpu", torch.float32)  # one copy off the device, then hash per image
    rows = [torch.randn(nz, generator=torch.Generator().manual_seed(_image_seed(xi, seed)))
            for xi in x_cpu]
    z = torch.stack(rows) if rows else torch.zeros(0, nz)
    return z.to(x.device)


@contextmanager
def frozen(*modules: nn.Module):
    """Put ``modules`` in eval mode with ``requires_grad=False`` on every parameter; restore
    both on exit. Inside, a backward pass reaches the inputs only, and batch norm uses its
    running statistics (so an image's result does not depend on its batch)."""
    saved = [(m, m.training, [(p, p.requires_grad) for p in m.parameters()]) for m in modules]
    try:
        for m in modules:
            m.eval()
            for p in m.parameters():
                p.requires_grad_(False)
        yield
    finally:
        for m, training, flags in saved:
            m.train(training)
            for p, flag in flags:
                p.requires_grad_(flag)


def _features(D: nn.Module, x: torch.Tensor) -> torch.Tensor:
    return D(x, features=True)[1]


def latent_search(G: nn.Module, D: nn.Module, x: torch.Tensor, z0: torch.Tensor, *, steps: int,
                  lambda_: float = 0.1, lr: float = 0.01, trajectory: bool = False) -> dict:
    """Gamma = ``steps`` Adam steps on the latent codes of a whole batch at once.

    ``x`` is N x C x H x W, ``z0`` is N x nz (one row per image). G and D are frozen and in eval
    mode for the search (their state is restored afterwards); the optimiser holds the codes
    only. Each step minimises sum_i L(z_i): the per-image losses are summed so that the
    gradient of image i reaches z_i alone.

    Returns a dict of tensors (detached): ``score`` = L(z_Gamma), ``loss_R``, ``loss_D`` (N,),
    ``z`` = z_Gamma, ``x_gen`` = G(z_Gamma), ``residual`` = |x - G(z_Gamma)|; with
    ``trajectory=True`` also ``z_t`` ((Gamma+1) x N x nz) and ``loss_t``, ``loss_R_t``,
    ``loss_D_t`` ((Gamma+1) x N): the codes and losses at t = 0 .. Gamma.
    """
    if steps < 0 or int(steps) != steps:
        raise ValueError(f"steps (Gamma) must be a non-negative integer, got {steps!r}")
    if not 0.0 <= lambda_ <= 1.0:
        raise ValueError(f"lambda_ must lie in [0, 1], got {lambda_}")
    if lr <= 0:
        raise ValueError(f"lr of the latent search must be positive, got {lr}")
    if z0.dim() != 2 or len(z0) != len(x):
        raise ValueError(f"z0 must be N x nz with N = {len(x)} images, got shape {tuple(z0.shape)}")
    record: dict[str, list] = {"z_t": [], "loss_t": [], "loss_R_t": [], "loss_D_t": []}

    def keep(z, l_r, l_d, loss):
        if trajectory:
            for k, v in zip(record, (z, loss, l_r, l_d)):
                record[k].append(v.detach().cpu().clone())

    with frozen(G, D):
        with torch.no_grad():
            f_x = _features(D, x)  # f(x) does not depend on z: computed once
        z = z0.detach().clone().requires_grad_(True)
        opt = torch.optim.Adam([z], lr=lr)  # the optimiser holds the latent codes only
        with torch.enable_grad():
            for _ in range(int(steps)):
                x_gen = G(z)
                l_r = residual_loss(x, x_gen)
                l_d = discrimination_loss(f_x, _features(D, x_gen))
                loss = total_loss(l_r, l_d, lambda_)
                keep(z, l_r, l_d, loss)
                opt.zero_grad(set_to_none=True)
                loss.sum().backward()  # d(sum_j L_j)/dz_i = dL_i/dz_i: images do not interact
                opt.step()
        with torch.no_grad():  # A(x) = L(z_Gamma), after the last update
            x_gen = G(z)
            l_r = residual_loss(x, x_gen)
            l_d = discrimination_loss(f_x, _features(D, x_gen))
            loss = total_loss(l_r, l_d, lambda_)
            keep(z, l_r, l_d, loss)
    out = {"score": loss.detach(), "loss_R": l_r.detach(), "loss_D": l_d.detach(), "z": z.detach(),
           "x_gen": x_gen.detach(), "residual": (x - x_gen).abs().detach()}
    if trajectory:
        out.update({k: torch.stack(v) for k, v in record.items()})
    return out


@dataclass
class LatentSearch:
    """The result of :meth:`AnoGAN.search` for N images (tensors on the CPU).

    ``score`` is A(x) = L(z_Gamma); ``trajectory`` (when asked for) holds ``z_t``,
    ``loss_t``, ``loss_R_t``, ``loss_D_t`` at t = 0 .. Gamma (first axis).
    """

    score: np.ndarray
    loss_R: np.ndarray
    loss_D: np.ndarray
    z: torch.Tensor
    x: torch.Tensor
    x_gen: torch.Tensor
    residual: torch.Tensor
    steps: int
    lambda_: float
    lr: float
    trajectory: dict[str, torch.Tensor] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.score)

    def scores_at(self, t: int) -> np.ndarray:
        """L(z_t) of every image: the score had the search stopped after ``t`` steps."""
        if self.trajectory is None:
            raise ValueError("no trajectory was recorded: call search(..., trajectory=True)")
        if not 0 <= t <= self.steps:
            raise ValueError(f"t must lie in 0..{self.steps}, got {t}")
        return self.trajectory["loss_t"][t].double().numpy()


# ----------------------------------------------------------------------------- settings per profile

#: AnoGAN's own settings per profile. Sizes not named here (image size, nz, width, epochs, batch,
#: Gamma = ``profile.search_steps``) come from :func:`ganad_lib.get_profile`. ``search_lr`` is the
#: Adam step of the latent search: of 0.03, 0.1, 0.3 and 1.0, the one with the lowest mean final
#: loss L(z_Gamma) on normal *validation* images in notebook 03 (smoke, cpu: measured there with the
#: notebook's own short-trained GAN, the kind the experiment grid trains; the long-trained GAN that
#: notebook 03 searches with today may prefer another step, which the notebook chooses the same way;
#: full: not yet measured on a GPU, a smaller step for its 500 steps). The EGBAD code's own
#: AnoGAN uses Adam with 0.01, then 0.001 after 200 and 0.0005 after 300 of its 500 steps.
SETTINGS: dict[str, dict] = {
    "smoke": {"search_lr": 1.0},
    "cpu": {"search_lr": 0.3},
    "full": {"search_lr": 0.1},
}


def settings(profile: str | Profile | None = None) -> dict:
    """Keyword arguments of :class:`AnoGAN` for a profile (name, Profile, or ``$GANAD_PROFILE``)."""
    p = profile if isinstance(profile, Profile) else get_profile(profile)
    base = {"image_size": p.image_size, "nz": p.nz, "width": p.width, "epochs": p.epochs,
            "batch_size": p.batch_size, "steps": p.search_steps}
    return {**base, **SETTINGS.get(p.name, {})}


# ----------------------------------------------------------------------------- the detector


class AnoGAN(Detector):
    """AnoGAN behind the course's detector interface.

    ``fit`` trains a DCGAN (``GAN.dcgan``) on normal images; :meth:`from_gan` wraps one that is
    already trained. Scoring runs :func:`latent_search` with ``steps`` = Gamma, ``lambda_`` and
    ``search_lr``, on ``score_batch_size`` images at a time; every call can override the three.
    """

    name = "anogan"

    def __init__(self, *, nz: int = 100, width: int = 64, epochs: int = 15, batch_size: int = 64,
                 lr: float = 2e-4, beta1: float = 0.5, steps: int = 500, lambda_: float = 0.1,
                 search_lr: float = 0.01, seed: int = 0, progress: bool = True, **kw):
        _check_search(steps, lambda_, search_lr)
        if epochs < 0:
            raise ValueError(f"epochs must be >= 0, got {epochs}")
        super().__init__(nz=int(nz), width=int(width), epochs=int(epochs), batch_size=int(batch_size),
                         lr=float(lr), beta1=float(beta1), steps=int(steps), lambda_=float(lambda_),
                         search_lr=float(search_lr), seed=int(seed), progress=bool(progress), **kw)
        self.gan: GAN | None = None

    @classmethod
    def from_profile(cls, profile: Profile | str | None = None, seed: int = 0, **kw) -> AnoGAN:
        return cls(**{**settings(profile), "seed": seed, **kw})

    @classmethod
    def from_gan(cls, gan: GAN, **kw) -> AnoGAN:
        """Wrap a trained :class:`~ganad_lib.gan.GAN` built by ``GAN.dcgan`` (no training)."""
        if not isinstance(getattr(gan, "G", None), Decoder) or not isinstance(getattr(gan, "D", None),
                                                                             Discriminator):
            raise TypeError("AnoGAN.from_gan needs a GAN of images made by GAN.dcgan (G a Decoder, "
                            "D a Discriminator); a toy GAN.mlp has no image features f(x).")
        size, channels = gan.G.size, gan.G.channels
        width = gan.D.trunk[0].out_channels
        det = cls(image_size=size, channels=channels, nz=gan.nz, width=width, seed=kw.pop("seed", gan.seed),
                  device=kw.pop("device", str(gan.device)), **kw)
        det.gan = gan
        det.input_shape_ = (channels, size, size)
        return det.eval()

    # -------------------------------------------------------------- Detector hooks
    def _build(self) -> None:
        c = self.config
        self.gan = GAN.dcgan(c["image_size"], c["channels"], c["nz"], c["width"], seed=c["seed"],
                             device=self.device, lr=c["lr"], betas=(c["beta1"], 0.999))

    def networks(self) -> dict[str, nn.Module]:
        return {"G": self.gan.G, "D": self.gan.D} if self.gan is not None else {}

    def _fit(self, x: torch.Tensor, x_val: torch.Tensor | None) -> None:
        c = self.config
        self.history = self.gan.fit(x, epochs=c["epochs"], batch_size=c["batch_size"],
                                    progress=c["progress"], desc="AnoGAN's GAN")
        self.eval()

    def _score_batch(self, x: torch.Tensor) -> torch.Tensor:
        return self._search_batch(x, self.config["steps"], self.config["lambda_"],
                                  self.config["search_lr"])["score"]

    # -------------------------------------------------------------- scoring
    def _search_batch(self, x: torch.Tensor, steps: int, lambda_: float, lr: float,
                      trajectory: bool = False) -> dict:
        z0 = initial_z(x, self.config["nz"], self.config["seed"])
        return latent_search(self.gan.G, self.gan.D, x, z0, steps=steps, lambda_=lambda_, lr=lr,
                             trajectory=trajectory)

    def search(self, images, *, steps: int | None = None, lambda_: float | None = None,
               lr: float | None = None, batch_size: int | None = None, trajectory: bool = False,
               progress: bool = False) -> LatentSearch:
        """Run the latent search on ``images``, ``batch_size`` at a time, and keep everything:
        scores, z_Gamma, G(z_Gamma), the residual maps |x - G(z_Gamma)| and, with
        ``trajectory``, the codes and losses of every step (for plots and the slider)."""
        self._check_fitted()
        c = self.config
        steps = c["steps"] if steps is None else steps
        lambda_ = c["lambda_"] if lambda_ is None else float(lambda_)
        lr = c["search_lr"] if lr is None else float(lr)
        _check_search(steps, lambda_, lr)
        x = self.prepare(images)
        self.eval()
        bs = batch_size or self.score_batch_size
        parts = []
        from tqdm.auto import tqdm

        for i in tqdm(range(0, len(x), bs), desc=f"latent search ({steps} steps)", disable=not progress):
            r = self._search_batch(x[i:i + bs].to(self.device), steps, lambda_, lr, trajectory)
            parts.append({k: v.cpu() for k, v in r.items()})
        if not parts:
            nz = c["nz"]
            empty = torch.zeros(0, *x.shape[1:])
            return LatentSearch(np.zeros(0), np.zeros(0), np.zeros(0), torch.zeros(0, nz), x, empty,
                                empty, steps, lambda_, lr, None)

        def cat(k, dim=0):
            return torch.cat([p[k] for p in parts], dim=dim)

        traj = ({k: cat(k, dim=1) for k in ("z_t", "loss_t", "loss_R_t", "loss_D_t")}
                if trajectory else None)
        return LatentSearch(cat("score").double().numpy(), cat("loss_R").double().numpy(),
                            cat("loss_D").double().numpy(), cat("z"), x.cpu(), cat("x_gen"),
                            cat("residual"), steps, lambda_, lr, traj)

    def anomaly_score(self, images, batch_size: int | None = None, *, steps: int | None = None,
                      lambda_: float | None = None, lr: float | None = None,
                      progress: bool = False) -> np.ndarray:
        """A(x) = L(z_Gamma) per image (numpy float64); higher = more anomalous.

        Unlike the other detectors this needs gradients, for the latent codes only: G and D are
        frozen (``requires_grad=False``) and in eval mode, and no weight changes.
        """
        return self.search(images, steps=steps, lambda_=lambda_, lr=lr, batch_size=batch_size,
                           progress=progress).score

    @torch.no_grad()
    def generate(self, z: torch.Tensor) -> torch.Tensor:
        """G(z) in eval mode (on the CPU)."""
        self._check_fitted()
        self.eval()
        return self.gan.G(torch.as_tensor(z, dtype=torch.float32).to(self.device)).cpu()


def _check_search(steps, lambda_, lr) -> None:
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps (Gamma) must be a non-negative integer, got {steps!r}")
    if not 0.0 <= float(lambda_) <= 1.0:
        raise ValueError(f"lambda_ must lie in [0, 1] (the seed uses 0.1), got {lambda_}")
    if not float(lr) > 0:
        raise ValueError(f"the latent search's learning rate must be positive, got {lr}")
