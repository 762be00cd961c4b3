"""EGBAD, "Efficient GAN-Based Anomaly Detection" (Zenati et al., 2018), as the seminar states it.

AnoGAN needs Gamma optimisation steps per image to find a latent code. A BiGAN
(:mod:`ganad_lib.bigan`) learns an encoder E alongside G, so the code of an image is one
forward pass away, z = E(x). EGBAD scores an image by how well the BiGAN reconstructs it and
how the discriminator's features of the real pair and of the reconstructed pair differ (the
seed's equations)::

    A(x)   = alpha L_G(x) + (1 - alpha) L_D(x)
    L_G(x) = || x - G(E(x)) ||_1
    L_D(x) = || f_D(x, E(x)) - f_D(G(E(x)), E(x)) ||_1          (feature matching)

or, as the alternative of the EGBAD code, L_D(x) = the cross-entropy of D's verdict on the
reconstructed pair against "real", -log D(G(E(x)), E(x)). The paper's cross-entropy form, as two
independent transcriptions of its Section 3 give it (docs/references.md, EGBAD), takes D's verdict on
the *input* pair instead, sigma(D(x, E(x)), 1) = -log D(x, E(x)): ``"cross_entropy_input"``. alpha = 0.9 matches the code's
``(1 - w) * gen_score + w * dis_score`` with w = 0.1. Scores are computed in ``eval()`` mode
(dropout off, batch norm on running statistics) under ``torch.no_grad()``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .bigan import BiGAN
from .detector import Detector
from .nets import Decoder, Encoder, JointDiscriminator
from .profiles import Profile, get_profile

__all__ = ["reconstruction_loss", "feature_matching_loss", "cross_entropy_loss", "egbad_score",
           "DISCRIMINATION_LOSSES", "EGBAD", "SETTINGS", "settings", "NOTEBOOK_CLASSES",
           "notebook_classes", "lit_area", "ReconstructionFit", "lit_area_aurocs"]


def reconstruction_loss(x: torch.Tensor, x_rec: torch.Tensor) -> torch.Tensor:
    """Generator (reconstruction) loss of each image (the seed's equation):

        L_G(x) = || x - G(E(x)) ||_1

    the L1 norm over channels and pixels; returns shape (N,).
    """
    return (x - x_rec).abs().flatten(1).sum(dim=1)


def feature_matching_loss(f_real_pair: torch.Tensor, f_rec_pair: torch.Tensor) -> torch.Tensor:
    """Discriminator loss of each image, feature-matching form (the seed's equation):

        L_D(x) = || f_D(x, E(x)) - f_D(G(E(x)), E(x)) ||_1

    with f_D the joint discriminator's intermediate features; returns shape (N,).
    """
    return (f_real_pair - f_rec_pair).abs().flatten(1).sum(dim=1)


def cross_entropy_loss(logit_rec_pair: torch.Tensor) -> torch.Tensor:
    """Discriminator loss of each image, cross-entropy form (EGBAD's ``cross-e`` option):

        L_D(x) = -log D(G(E(x)), E(x))   = softplus(-logit)

    the binary cross-entropy of D's verdict on the reconstructed pair against the label "real";
    computed from the logit so that it stays finite. Returns shape (N,). Given the logit of the
    *input* pair instead, it is the paper's form, -log D(x, E(x)) (``"cross_entropy_input"``).
    """
    return F.softplus(-logit_rec_pair.flatten())


def egbad_score(l_g: torch.Tensor, l_d: torch.Tensor, alpha: float = 0.9) -> torch.Tensor:
    """EGBAD's anomaly score (the seed's equation):

        A(x) = alpha L_G(x) + (1 - alpha) L_D(x)          (alpha = 0.9 by default)
    """
    return alpha * l_g + (1.0 - alpha) * l_d


#: the forms of L_D: feature matching (the code's default ``fm``), the cross-entropy on the reconstructed pair
#: (the code's ``cross-e``) and the cross-entropy on the input pair (the paper's form, as transcribed)
DISCRIMINATION_LOSSES = ("feature_matching", "cross_entropy", "cross_entropy_input")

#: EGBAD's own settings per profile. Sizes not named here (image size, nz, width, epochs, batch)
#: come from :func:`ganad_lib.get_profile`, so that every method of the comparison gets the same
#: networks. The EGBAD code trains its (different) MNIST networks with Adam lr 1e-5, beta1 0.5,
#: batch 100, latent 200 and scores with moving averages of the weights; with the DCGAN networks
#: of this course and a few epochs, lr 2e-4 (the DCGAN value) trains in reasonable time.
SETTINGS: dict[str, dict] = {
    "smoke": {"lr": 2e-4, "alpha": 0.9},
    "cpu": {"lr": 2e-4, "alpha": 0.9},
    "full": {"lr": 2e-4, "alpha": 0.9},
}


#: Classes notebook 04 trains one BiGAN for (the held-out anomaly of each run); ``None`` means
#: ``profile.classes``. On the ``cpu`` profile one BiGAN takes minutes on two cores, so the
#: notebook shows two classes there: the bag of notebooks 00 and 03 and the shirt, which looks like
#: the upper-body garments among the normal classes (in our runs its AUROC lands near or far below
#: chance, e.g. 0.351 in one cpu run: shirts score lower than the typical normal image, a lesson in
#: itself, notebook 04, Section 6);
#: ``python -m ganad_lib.experiments --methods egbad`` runs all ten.
NOTEBOOK_CLASSES: dict[str, tuple[int, ...] | None] = {"smoke": None, "cpu": (8, 6), "full": None}


def notebook_classes(profile: str | Profile | None = None) -> tuple[int, ...]:
    """The classes notebook 04 reports AUROC for, under ``profile``."""
    p = profile if isinstance(profile, Profile) else get_profile(profile)
    chosen = NOTEBOOK_CLASSES.get(p.name)
    return tuple(p.classes if chosen is None else chosen)


def settings(profile: str | Profile | None = None) -> dict:
    """Keyword arguments of :class:`EGBAD` for a profile (name, Profile, or ``$GANAD_PROFILE``)."""
    p = profile if isinstance(profile, Profile) else get_profile(profile)
    base = {"image_size": p.image_size, "nz": p.nz, "width": p.width, "epochs": p.epochs,
            "batch_size": p.batch_size}
    return {**base, **SETTINGS.get(p.name, {})}


class EGBAD(Detector):
    """EGBAD behind the course's detector interface.

    ``fit`` trains a :class:`~ganad_lib.bigan.BiGAN` on normal images; :meth:`from_bigan` wraps
    one that is already trained. ``discrimination`` selects L_D: ``"feature_matching"`` (the
    seed's), ``"cross_entropy"`` (the code's, on the reconstructed pair) or ``"cross_entropy_input"``
    (the paper's, on the input pair).
    """

    name = "egbad"

    def __init__(self, *, nz: int = 100, width: int = 64, epochs: int = 15, batch_size: int = 64,
                 lr: float = 2e-4, beta1: float = 0.5, dropout: float = 0.2, alpha: float = 0.9,
                 discrimination: str = "feature_matching", seed: int = 0, progress: bool = True, **kw):
        _check_alpha(alpha)
        if discrimination not in DISCRIMINATION_LOSSES:
            raise ValueError(f"discrimination must be one of {DISCRIMINATION_LOSSES}, got {discrimination!r}")
        if epochs < 0:
            raise ValueError(f"epochs must be >= 0, got {epochs}")
        super().__init__(nz=int(nz), width=int(width), epochs=int(epochs), batch_size=int(batch_size),
                         lr=float(lr), beta1=float(beta1), dropout=float(dropout), alpha=float(alpha),
                         discrimination=discrimination, seed=int(seed), progress=bool(progress), **kw)
        self.bigan: BiGAN | None = None

    @classmethod
    def from_profile(cls, profile: Profile | str | None = None, seed: int = 0, **kw) -> EGBAD:
        return cls(**{**settings(profile), "seed": seed, **kw})

    @classmethod
    def from_bigan(cls, bigan: BiGAN, **kw) -> EGBAD:
        """Wrap a trained :class:`~ganad_lib.bigan.BiGAN` (no training)."""
        if not (isinstance(getattr(bigan, "E", None), Encoder) and isinstance(getattr(bigan, "G", None), Decoder)
                and isinstance(getattr(bigan, "D", None), JointDiscriminator)):
            raise TypeError("EGBAD.from_bigan needs a ganad_lib.bigan.BiGAN (E, G and a joint D(x, z)).")
        size, channels = bigan.G.size, bigan.G.channels
        width = bigan.D.x_trunk[0].out_channels
        dropout = next((m.p for m in bigan.D.modules() if isinstance(m, nn.Dropout)), 0.0)
        det = cls(image_size=size, channels=channels, nz=bigan.nz, width=width, dropout=dropout,
                  seed=kw.pop("seed", bigan.seed), device=kw.pop("device", str(bigan.device)), **kw)
        det.bigan = bigan
        det.input_shape_ = (channels, size, size)
        return det.eval()

    # -------------------------------------------------------------- Detector hooks
    def _build(self) -> None:
        c = self.config
        self.bigan = BiGAN(c["image_size"], c["channels"], c["nz"], c["width"], lr=c["lr"],
                           betas=(c["beta1"], 0.999), dropout=c["dropout"], seed=c["seed"],
                           device=self.device)

    def networks(self) -> dict[str, nn.Module]:
        return dict(self.bigan.modules) if self.bigan is not None else {}

    def _fit(self, x: torch.Tensor, x_val: torch.Tensor | None) -> None:
        c = self.config
        self.history = self.bigan.fit(x, epochs=c["epochs"], batch_size=c["batch_size"],
                                      progress=c["progress"], desc="EGBAD's BiGAN")
        self.eval()

    def _losses_batch(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        E, G, D = self.bigan.E, self.bigan.G, self.bigan.D
        z = E(x)
        x_rec = G(z)
        logit_real, f_real = D(x, z, features=True)
        logit_rec, f_rec = D(x_rec, z, features=True)
        return {"L_G": reconstruction_loss(x, x_rec),
                "feature_matching": feature_matching_loss(f_real, f_rec),
                "cross_entropy": cross_entropy_loss(logit_rec),
                "cross_entropy_input": cross_entropy_loss(logit_real),   # -log D(x, E(x)), the paper's form
                "x_rec": x_rec}

    def _score_batch(self, x: torch.Tensor) -> torch.Tensor:
        r = self._losses_batch(x)
        return egbad_score(r["L_G"], r[self.config["discrimination"]], self.config["alpha"])

    # -------------------------------------------------------------- extras for the notebook
    @torch.no_grad()
    def losses(self, images, batch_size: int | None = None) -> dict[str, np.ndarray]:
        """Both parts of the score for every image, in eval mode: ``L_G`` and every form of
        ``L_D`` (``feature_matching``, ``cross_entropy``, ``cross_entropy_input``). A(x) for any alpha is then
        ``alpha * L_G + (1 - alpha) * L_D`` -- one pass serves a whole alpha sweep."""
        self._check_fitted()
        x = self.prepare(images)
        self.eval()
        bs = batch_size or self.score_batch_size
        out: dict[str, list] = {"L_G": [], **{k: [] for k in DISCRIMINATION_LOSSES}}
        for i in range(0, len(x), bs):
            r = self._losses_batch(x[i:i + bs].to(self.device))
            for k in out:
                out[k].append(r[k].double().cpu())
        return {k: (torch.cat(v).numpy() if v else np.zeros(0)) for k, v in out.items()}

    def ablation_scores(self, images) -> dict[str, np.ndarray]:
        """Scores of the same trained model with parts of A(x) switched off (no retraining), for
        the experiment grid's ablation: L_G alone (alpha = 1), each L_D alone (alpha = 0), and the
        paper's alpha = 0.9 with feature matching."""
        parts = self.losses(images)
        return {"L_G": parts["L_G"], "L_D_feature_matching": parts["feature_matching"],
                "L_D_cross_entropy": parts["cross_entropy"],
                "alpha_0.9": egbad_score(torch.as_tensor(parts["L_G"]), torch.as_tensor(parts["feature_matching"]),
                                         0.9).numpy()}

    @torch.no_grad()
    def reconstruct(self, images) -> torch.Tensor:
        """G(E(x)) of images, in eval mode (on the CPU)."""
        self._check_fitted()
        x = self.prepare(images)
        self.eval()
        bs = self.score_batch_size
        parts = [self.bigan.G(self.bigan.E(x[i:i + bs].to(self.device))).cpu() for i in range(0, len(x), bs)]
        return torch.cat(parts) if parts else torch.zeros(0, *x.shape[1:])

    def anomaly_score(self, images, batch_size: int | None = None, *, alpha: float | None = None,
                      discrimination: str | None = None) -> np.ndarray:
        """A(x) per image (numpy float64), higher = more anomalous; ``alpha`` and
        ``discrimination`` override the detector's settings for this call."""
        if alpha is None and discrimination is None:
            return super().anomaly_score(images, batch_size)
        a = self.config["alpha"] if alpha is None else float(alpha)
        d = discrimination or self.config["discrimination"]
        _check_alpha(a)
        if d not in DISCRIMINATION_LOSSES:
            raise ValueError(f"discrimination must be one of {DISCRIMINATION_LOSSES}, got {d!r}")
        parts = self.losses(images, batch_size)
        return a * parts["L_G"] + (1.0 - a) * parts[d]


def _check_alpha(alpha) -> None:
    if not 0.0 <= float(alpha) <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1] (the seed's default is 0.9), got {alpha}")


# ----------------------------------------------------------------- notebook 04: what L_G follows

def lit_area(images) -> np.ndarray:
    """How much of each image is bright (notebook 04's *lit area*): its pixel values rescaled from [-1, 1] to
    [0, 1] and summed over channels and pixels; shape (N,). An all-black 32 x 32 tile has 0, an all-white one
    1,024."""
    x = torch.as_tensor(images).detach().cpu().double()
    return ((x + 1) / 2).flatten(1).sum(1).numpy()


@dataclass(frozen=True)
class ReconstructionFit:
    """How a set of images fares under one reconstruction (notebook 04, Section 2), per image: ``l_g``, the
    L1 error ||x - x_rec||_1 (EGBAD's L_G when x_rec = G(E(x))), ``lit``, the lit area (:func:`lit_area`), and
    ``corr``, the pixel correlation of x with x_rec (NaN where either image is flat)."""

    l_g: np.ndarray
    lit: np.ndarray
    corr: np.ndarray

    @classmethod
    def of(cls, images, reconstructions) -> ReconstructionFit:
        """``reconstructions`` holds one reconstruction per image, or a single image used for every input (for
        example the mean training image, a reconstruction that ignores the input)."""
        x = torch.as_tensor(images).detach().cpu().double().flatten(1)
        r = torch.as_tensor(reconstructions).detach().cpu().double()
        r = r.reshape(-1, x.shape[1]) if r.numel() % max(x.shape[1], 1) == 0 else None
        if r is None or r.shape[0] not in (1, x.shape[0]):
            raise ValueError(f"need one reconstruction per image or one for all: {x.shape[0]} images of "
                             f"{x.shape[1]} values, reconstructions of shape {tuple(torch.as_tensor(reconstructions).shape)}")
        r = r.expand_as(x)
        xc, rc = x - x.mean(1, keepdim=True), r - r.mean(1, keepdim=True)
        den = ((xc ** 2).sum(1) * (rc ** 2).sum(1)).sqrt().numpy()
        num = (xc * rc).sum(1).numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        return cls(l_g=(x - r).abs().sum(1).numpy(), lit=lit_area(images), corr=corr)

    @property
    def n(self) -> int:
        return len(self.l_g)

    @property
    def rho_lit(self) -> float:
        """Spearman's rho of L_G against lit area over these images: does a bigger image get a larger error?"""
        from scipy import stats

        return float(stats.spearmanr(self.l_g, self.lit).statistic)

    @property
    def median_corr(self) -> float:
        """The median pixel correlation of x with its reconstruction (flat images left out)."""
        return float(np.nanmedian(self.corr))

    def share_below(self, value: float) -> float:
        """The share of these images whose L_G is below ``value``."""
        return float(np.mean(self.l_g < value))


def lit_area_aurocs(dataset, classes, seeds, profile, protocol: str = "one_class_anomalous") -> dict[tuple, float]:
    """Lit area alone (no model) as the anomaly score: its test AUROC for every held-out class in ``classes`` on
    the split that each seed in ``seeds`` draws under ``profile`` (notebook 04, Section 6, on the experiment
    grid's own splits). Keys are ``(class, seed)``, as given."""
    from sklearn.metrics import roc_auc_score

    from . import data, protocols

    out = {}
    for seed in seeds:
        for c in classes:
            s = protocols.make_split(protocol, dataset, int(c), seed=int(seed), profile=profile)
            x = data.to_tensor(dataset.images[s.test], profile.image_size)
            out[c, seed] = float(roc_auc_score(s.test_is_anomaly, lit_area(x)))
    return out
