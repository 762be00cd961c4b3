"""GANomaly (Akcay, Atapour-Abarghouei and Breckon, 2018), as the seminar states it.

Three sub-networks form the generator, a fourth judges its output::

    x --G_E--> z --G_D--> x_hat = G(x) --E--> z_hat        D(x), D(x_hat): real or fake?

G_E and G_D are an autoencoder; the second encoder E maps the reconstruction back to the latent
space. Trained on normal images only, G learns to reconstruct them and E learns to agree with G_E
on them. An anomaly is reconstructed as something normal-looking, so E's code of that
reconstruction drifts away from G_E's code of the input: the latent distance is the score,

    A(x) = ||G_E(x) - E(G(x))||_2          (mean over latent dimensions of the squared difference)

The generator minimises L = w_adv L_adv + w_con L_con + w_enc L_enc (defaults 1, 50, 1);
the discriminator D is trained with binary cross-entropy on its logits and, as in the original
code, can be re-initialised when its loss collapses (D "won"). Unlike the original code, scores
are computed in ``eval()`` mode, normalised (optionally) with the min and max of *validation*
scores, and the epoch is chosen on validation data (lowest L_con), never on the test set.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .detector import Detector
from .nets import Decoder, Discriminator, Encoder, init_weights
from .profiles import PROFILES, Profile, get_profile
from .training import train

__all__ = ["adversarial_loss", "contextual_loss", "encoder_loss", "generator_loss",
           "discriminator_loss", "latent_score", "minmax_normalise", "GANomalyNets",
           "GANomalyTrainer", "GANomaly", "SETTINGS", "settings", "D_COLLAPSE"]

#: D is re-initialised when its loss falls below this (the original's threshold)
D_COLLAPSE = 1e-5


# ----------------------------------------------------------------------------- losses


def adversarial_loss(f_real: torch.Tensor, f_fake: torch.Tensor) -> torch.Tensor:
    """Adversarial loss by feature matching (the seed's equation):

        L_adv = E_{x ~ p_X} || f(x) - E_{x ~ p_X} f(G(x)) ||_2

    f is D's last convolutional block. As in the original code, the features of each image x
    are matched with those of its own reconstruction G(x), and ||.||_2 is taken as the mean of
    the squared differences over images and feature dimensions.
    """
    return ((f_real - f_fake) ** 2).mean()


def contextual_loss(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """Contextual (reconstruction) loss (the seed's equation):

        L_con = E_{x ~ p_X} || x - G(x) ||_1

    Mean absolute difference over images and pixels (``nn.L1Loss`` in the original code).
    """
    return (x - x_hat).abs().mean()


def encoder_loss(z: torch.Tensor, z_hat: torch.Tensor) -> torch.Tensor:
    """Encoder loss (the seed's equation):

        L_enc = E_{x ~ p_X} || G_E(x) - E(G(x)) ||_2

    with z = G_E(x) and z_hat = E(G(x)); mean of squared differences over images and latent
    dimensions (the original's ``l2_loss``).
    """
    return ((z - z_hat) ** 2).mean()


def generator_loss(l_adv: torch.Tensor, l_con: torch.Tensor, l_enc: torch.Tensor, *,
                   w_adv: float = 1.0, w_con: float = 50.0, w_enc: float = 1.0) -> torch.Tensor:
    """Overall generator loss (the seed's equation):

        L = w_adv L_adv + w_con L_con + w_enc L_enc       (defaults w_adv = 1, w_con = 50, w_enc = 1)
    """
    return w_adv * l_adv + w_con * l_con + w_enc * l_enc


def discriminator_loss(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of D, from its logits, real images labelled 1 and reconstructions 0:

        L_D = 1/2 [ -E_x log D(x) - E_x log(1 - D(G(x))) ]

    (the mean of the two terms, as in the original code). Logits keep it finite when D is sure.
    """
    real = F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real))
    fake = F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
    return 0.5 * (real + fake)


def latent_score(z: torch.Tensor, z_hat: torch.Tensor) -> torch.Tensor:
    """Anomaly score of each image (the seed's equation):

        A(x) = || G_E(x) - E(G(x)) ||_2

    computed, as in the original code, as the mean over latent dimensions of
    (G_E(x) - E(G(x)))^2: one number per image, from that image alone.
    """
    return ((z - z_hat) ** 2).flatten(1).mean(dim=1)


def minmax_normalise(scores: torch.Tensor, lo: float, hi: float) -> torch.Tensor:
    """(A(x) - lo) / (hi - lo) with lo, hi the min and max of the *validation* scores.

    The original code takes lo and hi from the test scores themselves: then a single image
    cannot be scored (0 / 0) and every score moves with the rest of the batch. Fixed numbers
    from validation data keep each score a function of its own image; test scores may leave
    [0, 1]. AUROC is unchanged by this (it is monotone).
    """
    span = hi - lo
    if not math.isfinite(span) or span <= 0:
        span = 1.0
    return (scores - lo) / span


# ----------------------------------------------------------------------------- networks and training


class GANomalyNets(nn.Module):
    """G = (G_E, G_D), the second encoder E and the discriminator D, DCGAN-style."""

    def __init__(self, image_size: int = 32, channels: int = 1, nz: int = 100, width: int = 64):
        super().__init__()
        self.G_E = Encoder(image_size, channels, nz, width)
        self.G_D = Decoder(image_size, channels, nz, width)
        self.E = Encoder(image_size, channels, nz, width)
        self.D = Discriminator(image_size, channels, width)
        self.apply(init_weights)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x -> (z = G_E(x), x_hat = G_D(z), z_hat = E(x_hat))."""
        z = self.G_E(x)
        x_hat = self.G_D(z)
        return z, x_hat, self.E(x_hat)


class GANomalyTrainer:
    """One training step of GANomaly for :func:`ganad_lib.training.train`: G first, then D."""

    def __init__(self, nets: GANomalyNets, *, lr: float = 2e-4, betas=(0.5, 0.999),
                 w_adv: float = 1.0, w_con: float = 50.0, w_enc: float = 1.0, reinit_d: bool = True):
        self.nets = nets
        self.w = {"w_adv": w_adv, "w_con": w_con, "w_enc": w_enc}
        self.reinit_d = reinit_d
        self.d_reinits = 0
        #: what else defines a training run (see ganad_lib.training.run_identity)
        self.run_config = {**self.w, "reinit_d": bool(reinit_d)}
        self.modules = {"G_E": nets.G_E, "G_D": nets.G_D, "E": nets.E, "D": nets.D}
        g_params = [p for k in ("G_E", "G_D", "E") for p in self.modules[k].parameters()]
        self.optimizers = {"G": torch.optim.Adam(g_params, lr=lr, betas=betas),
                           "D": torch.optim.Adam(nets.D.parameters(), lr=lr, betas=betas)}

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        G_E, G_D, E, D = self.nets.G_E, self.nets.G_D, self.nets.E, self.nets.D
        z = G_E(x)
        x_hat = G_D(z)
        z_hat = E(x_hat)
        d_real, f_real = D(x, features=True)
        _, f_fake = D(x_hat, features=True)
        # generator: the three losses, weighted
        l_adv = adversarial_loss(f_real.detach(), f_fake)
        l_con = contextual_loss(x, x_hat)
        l_enc = encoder_loss(z, z_hat)
        loss_G = generator_loss(l_adv, l_con, l_enc, **self.w)
        self.optimizers["G"].zero_grad(set_to_none=True)
        loss_G.backward()
        self.optimizers["G"].step()
        # discriminator: real images -> 1, reconstructions -> 0
        d_fake = D(x_hat.detach())
        loss_D = discriminator_loss(d_real, d_fake)
        self.optimizers["D"].zero_grad(set_to_none=True)
        loss_D.backward()
        self.optimizers["D"].step()
        if self.reinit_d and loss_D.item() < D_COLLAPSE:
            D.apply(init_weights)  # the original's remedy when D wins outright
            self.d_reinits += 1
        return {"loss_G": loss_G.item(), "L_adv": l_adv.item(), "L_con": l_con.item(),
                "L_enc": l_enc.item(), "loss_D": loss_D.item()}


# ----------------------------------------------------------------------------- settings per profile

#: GANomaly's own settings per profile. Sizes not named here (image size, nz, width, epochs, batch)
#: come from :func:`ganad_lib.get_profile`. ``full`` is the original's (``options.py``,
#: ``run_mnist.sh``: lr 2e-4, 15 epochs, width 64, latent 100, batch 64). ``cpu`` trains 15 epochs
#: rather than the profile's 8, chosen without test labels: with two normal classes (trousers,
#: sneakers) held out of the bag split's *training* part as pseudo-anomalies, their AUROC against
#: held-out normal validation images was 0.85 / 0.69 after 8 epochs and 0.91 / 0.70 after 15, and a
#: latent size of 32 gave 0.80 / 0.69 (``benchmarks/ganomaly_bag.py --pseudo 1 7``).
#: ``smoke`` trains 3 epochs so that its curves have more than one point.
SETTINGS: dict[str, dict] = {
    "smoke": {"lr": 2e-4, "epochs": 3},
    "cpu": {"lr": 2e-4, "epochs": 15},
    "full": {"lr": 2e-4, "epochs": 15, "width": 64, "nz": 100, "batch_size": 64},
}


def settings(profile: str | Profile | None = None) -> dict:
    """Keyword arguments of :class:`GANomaly` for a profile (name, Profile, or ``$GANAD_PROFILE``).

    A size that the caller changed in the profile (``Profile.for_grid``, ``Profile.with_``) wins
    over this module's setting for it; unchanged sizes take this module's settings.
    """
    p = profile if isinstance(profile, Profile) else get_profile(profile)
    out = {"image_size": p.image_size, "nz": p.nz, "width": p.width, "epochs": p.epochs,
           "batch_size": p.batch_size}
    standard = PROFILES.get(p.name)
    for k, v in SETTINGS.get(p.name, {}).items():
        if k in out and standard is not None and getattr(p, k) != getattr(standard, k):
            continue
        out[k] = v
    return out


# ----------------------------------------------------------------------------- the detector


class GANomaly(Detector):
    """GANomaly behind the course's detector interface.

    ``select="val_con"`` keeps the weights of the epoch with the lowest contextual loss on the
    (normal) validation images; ``"last"`` keeps the last epoch. ``normalise=True`` min-max
    scales scores with the min and max of the validation scores. Without validation images
    the last epoch is kept and ``normalise`` is refused.

    ``monitor(detector, epoch) -> dict`` (attribute, optional) is called after every epoch and
    its values join the history; notebook 05 uses it to *show* what choosing the epoch by
    test AUROC would do. It never influences training or selection.
    """

    name = "ganomaly"

    def __init__(self, *, nz: int = 100, width: int = 64, epochs: int = 15, batch_size: int = 64,
                 lr: float = 2e-4, beta1: float = 0.5, w_adv: float = 1.0, w_con: float = 50.0,
                 w_enc: float = 1.0, reinit_d: bool = True, select: str = "val_con",
                 normalise: bool = False, seed: int = 0, progress: bool = True, **kw):
        if select not in ("val_con", "last"):
            raise ValueError(f"select must be 'val_con' or 'last', got {select!r}")
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {epochs}")
        super().__init__(nz=int(nz), width=int(width), epochs=int(epochs), batch_size=int(batch_size),
                         lr=float(lr), beta1=float(beta1), w_adv=float(w_adv), w_con=float(w_con),
                         w_enc=float(w_enc), reinit_d=bool(reinit_d), select=select,
                         normalise=bool(normalise), seed=int(seed), progress=bool(progress), **kw)
        self.score_range_: tuple[float, float] | None = None
        self.best_epoch_: int | None = None
        self.d_reinits_ = 0
        self.monitor = None
        #: optional folder for a checkpoint per epoch (resumable training; ganad_lib.pretrained)
        self.checkpoint_dir = None

    @classmethod
    def from_profile(cls, profile: Profile | str | None = None, seed: int = 0, **kw) -> GANomaly:
        """A GANomaly sized by a profile (:func:`settings`), with ``kw`` overriding any setting."""
        return cls(**{**settings(profile), "seed": seed, **kw})

    # -------------------------------------------------------------- Detector hooks
    def _build(self) -> None:
        c = self.config
        torch.manual_seed(c["seed"])
        self.nets = GANomalyNets(c["image_size"], c["channels"], c["nz"], c["width"])

    def networks(self) -> dict[str, nn.Module]:
        n = self.nets
        return {"G_E": n.G_E, "G_D": n.G_D, "E": n.E, "D": n.D}

    def _extra_state(self) -> dict:
        return {"score_range": list(self.score_range_) if self.score_range_ else None,
                "best_epoch": self.best_epoch_, "d_reinits": self.d_reinits_}

    def _load_extra_state(self, state: dict) -> None:
        r = state.get("score_range")
        self.score_range_ = tuple(r) if r else None
        self.best_epoch_ = state.get("best_epoch")
        self.d_reinits_ = state.get("d_reinits", 0)

    def _fit(self, x: torch.Tensor, x_val: torch.Tensor | None) -> None:
        c = self.config
        has_val = x_val is not None and len(x_val) > 0
        if c["normalise"] and not has_val:
            raise ValueError("normalise=True needs normal validation images: call fit(train, val). "
                             "The min and max are never taken from the images being scored.")
        self.score_range_ = None
        trainer = GANomalyTrainer(self.nets, lr=c["lr"], betas=(c["beta1"], 0.999), w_adv=c["w_adv"],
                                  w_con=c["w_con"], w_enc=c["w_enc"], reinit_d=c["reinit_d"])
        best = {"val_con": math.inf, "epoch": None, "state": None}

        def epoch_end(epoch: int) -> dict:
            out = {"d_reinits": trainer.d_reinits}
            if has_val:
                l_con, score = self.validation_losses(x_val)
                out.update(val_L_con=l_con, val_score=score)
                if c["select"] == "val_con" and l_con < best["val_con"]:
                    best.update(val_con=l_con, epoch=epoch,
                                state=copy.deepcopy(self.nets.state_dict()))
            if self.monitor is not None:
                out.update(self.monitor(self, epoch) or {})
            return out

        self.history = train(trainer, x, epochs=c["epochs"], batch_size=c["batch_size"], seed=c["seed"],
                             progress=c["progress"], desc="GANomaly", epoch_end=epoch_end,
                             device=self.device, checkpoint_dir=self.checkpoint_dir,
                             config={"select": c["select"], "validation_images": len(x_val) if has_val else 0})
        self.d_reinits_ = trainer.d_reinits
        if self.checkpoint_dir is not None and c["select"] == "val_con" and has_val:
            # resumable runs choose from the whole history and reload that epoch's checkpoint, so
            # epochs trained before a resume count too
            from .training import list_checkpoints, load_checkpoint

            val = [e["val_L_con"] for e in self.history.epochs]
            self.best_epoch_ = int(np.argmin(val)) + 1
            load_checkpoint(trainer, list_checkpoints(self.checkpoint_dir)[self.best_epoch_])
        elif best["state"] is not None:
            self.nets.load_state_dict(best["state"])
            self.best_epoch_ = best["epoch"]
        else:
            self.best_epoch_ = c["epochs"]
        self.eval()
        if c["normalise"]:
            raw = self.anomaly_score(x_val)  # score_range_ is None here: raw scores
            self.score_range_ = (float(raw.min()), float(raw.max()))

    def _score_batch(self, x: torch.Tensor) -> torch.Tensor:
        z, _, z_hat = self.nets(x)
        s = latent_score(z, z_hat)
        if self.score_range_ is not None:
            s = minmax_normalise(s, *self.score_range_)
        return s

    # -------------------------------------------------------------- extras for the notebook
    @torch.no_grad()
    def validation_losses(self, x_val: torch.Tensor, batch_size: int = 256) -> tuple[float, float]:
        """(mean L_con, mean raw latent score) over validation images, in eval mode."""
        self.eval()
        con, score, n = 0.0, 0.0, 0
        for i in range(0, len(x_val), batch_size):
            xb = x_val[i:i + batch_size].to(self.device)
            z, x_hat, z_hat = self.nets(xb)
            con += (xb - x_hat).abs().flatten(1).mean(1).sum().item()
            score += latent_score(z, z_hat).sum().item()
            n += len(xb)
        return con / n, score / n

    def ablation_scores(self, images) -> dict[str, np.ndarray]:
        """Scores of the same trained model for the experiment grid's ablation (no retraining): the
        latent distance A(x) (GANomaly's score, before any normalisation) and the reconstruction error
        L_con = mean |x - G(x)| of each image, the score an autoencoder would use."""
        out = self.forward(images)
        x = self.prepare(images)
        return {"latent": latent_score(out["z"], out["z_hat"]).double().numpy(),
                "L_con": (x - out["x_hat"]).abs().flatten(1).mean(1).double().numpy()}

    def reconstruct(self, images) -> torch.Tensor:
        """G(x) = G_D(G_E(x)) in eval mode: uint8 or prepared float images in, N x C x S x S in [-1, 1] out."""
        return self.forward(images)["x_hat"]

    @torch.no_grad()
    def forward(self, images) -> dict[str, torch.Tensor]:
        """z = G_E(x), x_hat = G(x), z_hat = E(G(x)) of images, in eval mode (on the CPU)."""
        self._check_fitted()
        x = self.prepare(images)
        self.eval()
        out = {"z": [], "x_hat": [], "z_hat": []}
        for i in range(0, len(x), self.score_batch_size):
            z, x_hat, z_hat = self.nets(x[i:i + self.score_batch_size].to(self.device))
            for k, v in zip(out, (z, x_hat, z_hat)):
                out[k].append(v.cpu())
        return {k: torch.cat(v) for k, v in out.items()}


# ----------------------------------------------------------------------------- statistics for notebook 05
# Plumbing behind notebook 05's readings, kept here (and tested) so that each notebook cell teaches one thing.


def _auroc_rows(scores: np.ndarray, is_anomaly: np.ndarray) -> np.ndarray:
    """AUROC of every row of ``scores`` (rows x images) against one label vector, ties counting one half
    (the Mann-Whitney form, as ``sklearn.metrics.roc_auc_score``)."""
    from scipy.stats import rankdata

    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    y = np.asarray(is_anomaly, dtype=bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        raise ValueError("an AUROC needs anomalies and normal images")
    ranks = rankdata(s, axis=1)
    return (ranks[:, y].sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)


def stratified_halves(is_anomaly, seed: int = 0) -> np.ndarray:
    """A random half A of the images (boolean mask), drawn separately among the anomalies and among the
    normal images, so that both halves keep the test set's share of anomalies (odd counts: A gets the
    smaller half)."""
    y = np.asarray(is_anomaly, dtype=bool)
    rng = np.random.default_rng(seed)
    in_a = np.zeros(len(y), dtype=bool)
    for group in (np.flatnonzero(y), np.flatnonzero(~y)):
        in_a[rng.permutation(group)[:len(group) // 2]] = True
    return in_a


def split_optimism(scores_by_epoch, is_anomaly, in_a) -> tuple[int, float]:
    """Pick the epoch on half A of the test set, measure it on half B: (the epoch picked, numbered from 1;
    AUROC_A(picked) - AUROC_B(picked)). ``scores_by_epoch``: one row of test scores per epoch; ``in_a``: a
    boolean mask of half A. Half B played no part in the choice, so on B the picked epoch's AUROC carries
    no selection bias; the difference is how much the choice flattered the picked epoch on A."""
    s = np.asarray(scores_by_epoch, dtype=np.float64)
    y, a = np.asarray(is_anomaly, dtype=bool), np.asarray(in_a, dtype=bool)
    on_a, on_b = _auroc_rows(s[:, a], y[a]), _auroc_rows(s[:, ~a], y[~a])
    k = int(np.argmax(on_a))
    return k + 1, float(on_a[k] - on_b[k])


def selection_optimism(scores_by_epoch, is_anomaly, honest_epoch: int, *, n_halvings: int = 200,
                       seed: int = 0) -> dict:
    """How much choosing the epoch by test AUROC flatters the choice, measured by picking on one half of
    the test set and reading the other, over ``n_halvings`` stratified random halvings (seeds ``seed``,
    ``seed + 1``, ...). Per halving: the epoch picked on A (from 1), the ``optimism`` AUROC_A(picked) -
    AUROC_B(picked), and the ``gain`` AUROC_B(picked) - AUROC_B(``honest_epoch``), how much better the
    test-picked epoch really is than the one an honest rule kept (both read on B). Also their means, their
    spreads from halving to halving (``sd_*``: a statistic on a random half of n images varies around its
    value on all n about as much as it varies from one test set of n images to another, so these are rough
    yardsticks of test-sample noise) and the standard errors of the means (``se_*``: halvings share images,
    so these measure only how stable the average over halvings is)."""
    s = np.asarray(scores_by_epoch, dtype=np.float64)
    y = np.asarray(is_anomaly, dtype=bool)
    if not 1 <= honest_epoch <= len(s):
        raise ValueError(f"honest_epoch must be between 1 and {len(s)}, got {honest_epoch}")
    picked, optimism, gain = [], [], []
    for h in range(n_halvings):
        a = stratified_halves(y, seed + h)
        on_a, on_b = _auroc_rows(s[:, a], y[a]), _auroc_rows(s[:, ~a], y[~a])
        k = int(np.argmax(on_a))
        picked.append(k + 1)
        optimism.append(on_a[k] - on_b[k])
        gain.append(on_b[k] - on_b[honest_epoch - 1])
    optimism, gain = np.array(optimism), np.array(gain)
    return {"picked": np.array(picked), "optimism": optimism, "gain": gain,
            "mean_optimism": float(optimism.mean()), "mean_gain": float(gain.mean()),
            "sd_optimism": float(optimism.std(ddof=1)) if n_halvings > 1 else math.nan,
            "sd_gain": float(gain.std(ddof=1)) if n_halvings > 1 else math.nan,
            "se_optimism": float(optimism.std(ddof=1) / np.sqrt(n_halvings)) if n_halvings > 1 else math.nan,
            "se_gain": float(gain.std(ddof=1) / np.sqrt(n_halvings)) if n_halvings > 1 else math.nan}


def range_of_draws(n_draws: int = 3, *, n_sim: int = 200_000, seed: int = 0) -> dict:
    """The range (max - min) of ``n_draws`` independent standard normal draws, simulated ``n_sim`` times:
    its mean (for 3 draws, 3 / sqrt(pi) = 1.69), its 95th percentile, and the share of ranges above the
    mean. Times a standard error, these say how far ``n_draws`` estimates spread from noise alone."""
    r = np.ptp(np.random.default_rng(seed).standard_normal((n_sim, n_draws)), axis=1)
    mean = float(r.mean())
    return {"mean": mean, "q95": float(np.quantile(r, 0.95)), "share_above_mean": float(np.mean(r > mean))}


def seed_spread_against_noise(spreads: dict, standard_errors: dict, n_seeds: int, *, n_sim: int = 200_000,
                              seed: int = 0) -> dict:
    """Each class's spread over seeds (``spreads``: {class: max - min}) against the range that ``n_seeds``
    draws with that class's standard error (``standard_errors``) reach from test-sample noise alone:
    ``noise`` {class: (spread, expected range, 95 % bound)}, the classes beyond the expected range and
    beyond the bound, and the share of ranges that noise alone puts above the expected one."""
    r = range_of_draws(n_seeds, n_sim=n_sim, seed=seed)
    noise = {c: (float(spreads[c]), r["mean"] * float(standard_errors[c]), r["q95"] * float(standard_errors[c]))
             for c in spreads}
    return {"noise": noise, "beyond_expected": [c for c, v in noise.items() if v[0] > v[1]],
            "beyond_bound": [c for c, v in noise.items() if v[0] > v[2]], "above_mean": r["share_above_mean"]}


def half_means(curve, skip_first: bool = True) -> dict:
    """The mean of a per-epoch curve over its early and its late half (after the first epoch when
    ``skip_first`` and there are at least 3 epochs), their difference ``drift`` (of the values rounded
    to 3 decimals, as printed) and a rough standard error of that difference from each half's
    epoch-to-epoch spread (epochs are not independent samples, so it is, if anything, too small; nan
    when a half holds a single epoch). ``first``: the index of the first epoch used; ``half``: the index
    where the late half starts (epochs ``first + 1 .. half`` and ``half + 1 .. n``, numbered from 1)."""
    c = np.asarray(curve, dtype=np.float64)
    first = 1 if skip_first and len(c) >= 3 else 0
    half = first + (len(c) - first) // 2
    early, late = c[first:half], c[half:]
    early_mean, late_mean = float(early.mean()), float(late.mean())
    se = (float(np.sqrt(early.var(ddof=1) / len(early) + late.var(ddof=1) / len(late)))
          if min(len(early), len(late)) > 1 else math.nan)
    return {"first": first, "half": half, "early": early_mean, "late": late_mean,
            "drift": round(round(late_mean, 3) - round(early_mean, 3), 3) + 0.0, "drift_se": se}
