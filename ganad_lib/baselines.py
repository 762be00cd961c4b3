"""Non-GAN baselines behind the same detector interface.

A course that compares GANs only with GANs hides the most useful lesson: on small
grey-scale images, plain distances in pixel space are hard to beat.

* :class:`KNNDetector` -- mean Euclidean distance to the k nearest training images.
* :class:`PCADetector` -- squared reconstruction error after projecting on the top
  principal components of the training images.
* :class:`AutoencoderDetector` -- a convolutional autoencoder (the DCGAN encoder and
  decoder of :mod:`ganad_lib.nets`) scored by its mean squared reconstruction error.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .detector import Detector
from .nets import Decoder, Encoder, init_weights
from .training import train

__all__ = ["KNNDetector", "PCADetector", "AutoencoderDetector"]


def _flat(x: torch.Tensor) -> torch.Tensor:
    return x.reshape(len(x), -1).float()


class KNNDetector(Detector):
    """Score = mean distance to the ``k`` nearest of (at most ``max_fit``) training images."""

    name = "knn"

    def __init__(self, k: int = 5, max_fit: int = 10000, seed: int = 0, **kw):
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        super().__init__(k=int(k), max_fit=int(max_fit), seed=int(seed), **kw)
        self.bank: torch.Tensor | None = None

    @classmethod
    def from_profile(cls, profile, seed: int = 0, **kw):
        return cls(k=5, max_fit=10000, seed=seed, image_size=profile.image_size, **kw)

    def _fit(self, x, x_val):
        if len(x) < self.config["k"]:
            raise ValueError(f"k={self.config['k']} needs at least that many training images")
        if len(x) > self.config["max_fit"]:
            keep = np.random.default_rng(self.config["seed"]).choice(len(x), self.config["max_fit"], replace=False)
            x = x[torch.as_tensor(np.sort(keep))]
        self.bank = _flat(x).to(self.device)

    def _score_batch(self, x):
        d = torch.cdist(_flat(x).double(), self.bank.double())
        return d.topk(self.config["k"], dim=1, largest=False).values.mean(dim=1)

    def _extra_state(self):
        return {"bank": self.bank.cpu()}

    def _load_extra_state(self, state):
        self.bank = state["bank"].to(self.device)


class PCADetector(Detector):
    """Score = ||x - x_hat||^2 with x_hat the projection of x on the top principal components."""

    name = "pca"

    def __init__(self, n_components: int | float = 0.9, seed: int = 0, **kw):
        super().__init__(n_components=n_components, seed=int(seed), **kw)
        self.mean = self.components = None

    @classmethod
    def from_profile(cls, profile, seed: int = 0, **kw):
        return cls(n_components=0.9, seed=seed, image_size=profile.image_size, **kw)

    def _fit(self, x, x_val):
        from sklearn.decomposition import PCA

        pca = PCA(n_components=self.config["n_components"], random_state=self.config["seed"])
        pca.fit(_flat(x).numpy())
        self.mean = torch.from_numpy(pca.mean_).double()
        self.components = torch.from_numpy(pca.components_).double()

    def _score_batch(self, x):
        c = _flat(x).double().cpu() - self.mean
        recon = (c @ self.components.T) @ self.components
        return ((c - recon) ** 2).sum(dim=1)

    def _extra_state(self):
        return {"mean": self.mean, "components": self.components}

    def _load_extra_state(self, state):
        self.mean, self.components = state["mean"], state["components"]


class _AETrainer:
    def __init__(self, enc, dec, lr):
        self.enc, self.dec = enc, dec
        self.modules = {"encoder": enc, "decoder": dec}
        self.optimizers = {"ae": torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()),
                                                  lr=lr, betas=(0.5, 0.999))}

    def train_step(self, x):
        loss = nn.functional.mse_loss(self.dec(self.enc(x)), x)
        self.optimizers["ae"].zero_grad(set_to_none=True)
        loss.backward()
        self.optimizers["ae"].step()
        return {"mse": loss.item()}


class AutoencoderDetector(Detector):
    """Score = mean over pixels of (x - Dec(Enc(x)))^2."""

    name = "autoencoder"

    def __init__(self, nz: int = 32, width: int = 32, epochs: int = 5, batch_size: int = 64,
                 lr: float = 1e-3, seed: int = 0, progress: bool = True, **kw):
        super().__init__(nz=int(nz), width=int(width), epochs=int(epochs), batch_size=int(batch_size),
                         lr=float(lr), seed=int(seed), progress=bool(progress), **kw)

    @classmethod
    def from_profile(cls, profile, seed: int = 0, **kw):
        return cls(nz=min(profile.nz, 64), width=profile.width, epochs=profile.epochs,
                   batch_size=profile.batch_size, seed=seed, image_size=profile.image_size, **kw)

    def _build(self):
        c = self.config
        torch.manual_seed(c["seed"])
        self.enc = Encoder(c["image_size"], c["channels"], c["nz"], c["width"])
        self.dec = Decoder(c["image_size"], c["channels"], c["nz"], c["width"])
        self.enc.apply(init_weights)
        self.dec.apply(init_weights)

    def networks(self):
        return {"encoder": self.enc, "decoder": self.dec}

    def _fit(self, x, x_val):
        c = self.config
        trainer = _AETrainer(self.enc, self.dec, c["lr"])
        self.history = train(trainer, x, epochs=c["epochs"], batch_size=c["batch_size"], seed=c["seed"],
                             progress=c["progress"], desc="autoencoder", device=self.device)

    def _score_batch(self, x):
        return ((x - self.dec(self.enc(x))) ** 2).flatten(1).mean(dim=1)
