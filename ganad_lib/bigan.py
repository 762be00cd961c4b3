"""BiGAN (Donahue et al., "Adversarial Feature Learning", 2017), as the seminar states it.

An encoder E maps images to codes, a generator G maps codes to images, and a joint
discriminator D(x, z) tells real pairs (x, E(x)) from generated pairs (G(z), z)::

    min_{G,E} max_D V(D, E, G) = E_{x ~ p_data}[log D(x, E(x))] + E_{z ~ p_z}[log(1 - D(G(z), z))]

E never sees a generated image and G never sees E's output: E learns only through D's
judgement of pairs. At the optimum E inverts G, which is what EGBAD uses to score images in one
forward pass. Losses are computed from logits (see :mod:`ganad_lib.gan`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .gan import _check_data_shape, _positive_int, _verdicts, sample_z
from .nets import Decoder, Encoder, JointDiscriminator, init_weights
from .training import History, train

__all__ = ["value_function", "discriminator_loss", "generator_encoder_loss", "BiGAN"]


def value_function(d_real_pair: torch.Tensor, d_fake_pair: torch.Tensor) -> torch.Tensor:
    """V(D, E, G) = E_x[log D(x, E(x))] + E_z[log(1 - D(G(z), z))], from D's logits on both pairs."""
    return F.logsigmoid(d_real_pair).mean() + F.logsigmoid(-d_fake_pair).mean()


def discriminator_loss(d_real_pair: torch.Tensor, d_fake_pair: torch.Tensor) -> torch.Tensor:
    """-V(D, E, G): D ascends V."""
    return -value_function(d_real_pair, d_fake_pair)


def generator_encoder_loss(d_real_pair: torch.Tensor, d_fake_pair: torch.Tensor,
                           saturating: bool = False) -> torch.Tensor:
    """What G and E descend.

    ``saturating=True``: V itself (the minimax form). Default: the non-saturating form with the
    labels swapped, -E_x[log(1 - D(x, E(x)))] - E_z[log D(G(z), z)], which has the same fixed
    point and strong gradients early in training (as in the BiGAN and EGBAD code).
    """
    if saturating:
        return value_function(d_real_pair, d_fake_pair)
    return -F.logsigmoid(-d_real_pair).mean() - F.logsigmoid(d_fake_pair).mean()


class BiGAN:
    """Encoder E, generator G, joint discriminator D(x, z), trained on V(D, E, G)."""

    def __init__(self, image_size: int = 32, channels: int = 1, nz: int = 100, width: int = 64, *,
                 lr: float = 2e-4, betas: tuple[float, float] = (0.5, 0.999), dropout: float = 0.2,
                 saturating: bool = False, seed: int = 0, device=None):
        _positive_int(nz, "nz (the size of the code z = E(x))")
        _positive_int(channels, "channels")
        _positive_int(width, "width (base channel count)")
        if not (isinstance(lr, (int, float)) and lr > 0):
            raise ValueError(f"lr (learning rate) must be a positive number, got {lr!r}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        torch.manual_seed(seed)
        self.nz, self.seed, self.saturating = nz, seed, saturating
        self.E = Encoder(image_size, channels, nz, width)
        self.G = Decoder(image_size, channels, nz, width)
        self.D = JointDiscriminator(image_size, channels, nz, width, dropout=dropout)
        for net in (self.E, self.G, self.D):
            net.apply(init_weights)
            net.to(device)
        self.modules = {"E": self.E, "G": self.G, "D": self.D}
        self.optimizers = {
            "D": torch.optim.Adam(self.D.parameters(), lr=lr, betas=betas),
            "GE": torch.optim.Adam(list(self.G.parameters()) + list(self.E.parameters()), lr=lr, betas=betas),
        }
        self.history: History | None = None
        #: what else defines a training run (see ganad_lib.training.run_identity)
        self.run_config = {"saturating": bool(saturating), "nz": nz, "dropout": float(dropout)}

    @property
    def device(self) -> torch.device:
        return next(self.G.parameters()).device

    def _update_D(self, x, z, e_x, g_z):
        # D: real pair (x, E(x)) against generated pair (G(z), z); E and G held fixed (detach).
        d_real, d_fake = self.D(x, e_x.detach()), self.D(g_z.detach(), z)
        loss_D = discriminator_loss(d_real, d_fake)
        self.optimizers["D"].zero_grad(set_to_none=True)
        loss_D.backward()
        self.optimizers["D"].step()
        return loss_D, d_real, d_fake

    def discriminator_step(self, x: torch.Tensor, z: torch.Tensor):
        """One update of D ascending V(D, E, G) on pairs (x, E(x)) and (G(z), z); E, G fixed.

        Returns ``(loss_D, d_real, d_fake)``: -V before the update and D's logits on both pairs.
        """
        with torch.no_grad():
            e_x, g_z = self.E(x), self.G(z)
        return self._update_D(x, z, e_x, g_z)

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        """One D update on both pairs, then one joint update of G and E."""
        z = sample_z(len(x), self.nz, x.device)
        e_x, g_z = self.E(x), self.G(z)  # computed once, used by both updates
        loss_D, d_real, d_fake = self._update_D(x, z, e_x, g_z)
        # G and E: fool the updated D. E's only gradient comes through D(x, E(x)).
        loss_GE = generator_encoder_loss(self.D(x, e_x), self.D(g_z, z), self.saturating)
        self.optimizers["GE"].zero_grad(set_to_none=True)
        loss_GE.backward()
        self.optimizers["GE"].step()
        return {"loss_D": loss_D.item(), "loss_GE": loss_GE.item(),
                **_verdicts(d_real, d_fake, "D(x,E(x))", "D(G(z),z)")}

    def fit(self, x: torch.Tensor, *, epochs: int, batch_size: int = 64, **train_kw) -> History:
        """Train on images in [-1, 1] (N x C x S x S). Returns the loss history."""
        _check_data_shape(x, self.G, self.nz, "BiGAN")
        _positive_int(batch_size, "batch_size")
        self.history = train(self, x, epochs=epochs, batch_size=batch_size, seed=self.seed,
                             desc=train_kw.pop("desc", "BiGAN"), device=self.device, **train_kw)
        return self.history

    def eval(self) -> BiGAN:
        for net in self.modules.values():
            net.eval()
        return self

    def _images(self, x) -> torch.Tensor:
        """uint8 images (N x H x W, converted with ``to_tensor``) or float images in [-1, 1], checked."""
        want = (self.E.channels, self.E.size, self.E.size)
        if torch.is_tensor(x) and x.dtype == torch.uint8:
            from .data import to_tensor

            x = to_tensor(x, self.E.size, self.E.channels)
        if torch.is_tensor(x) and x.is_floating_point() and tuple(x.shape[1:]) == want:
            from .data import check_float_images

            check_float_images(x, "BiGAN input")
        if not torch.is_tensor(x) or not x.is_floating_point() or tuple(x.shape[1:]) != want:
            got = tuple(x.shape) if torch.is_tensor(x) else type(x).__name__
            raise ValueError(f"expected float images of shape N x {' x '.join(map(str, want))} in "
                             f"[-1, 1], got {got}; convert with ganad_lib.data.to_tensor")
        return x.to(self.device)

    def _codes(self, z) -> torch.Tensor:
        if not torch.is_tensor(z) or not z.is_floating_point() or z.dim() != 2 or z.shape[1] != self.nz:
            got = tuple(z.shape) if torch.is_tensor(z) else type(z).__name__
            raise ValueError(f"expected float codes of shape N x {self.nz} (nz), got {got}")
        return z.to(self.device)

    @torch.no_grad()
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """E(x), in eval mode."""
        self.eval()
        return self.E(self._images(x)).cpu()

    @torch.no_grad()
    def generate(self, z: torch.Tensor) -> torch.Tensor:
        """G(z), in eval mode."""
        self.eval()
        return self.G(self._codes(z)).cpu()

    @torch.no_grad()
    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """G(E(x)) in eval mode: uint8 or prepared float images in, N x C x S x S in [-1, 1] out."""
        self.eval()
        return self.G(self.E(self._images(x))).cpu()

    def features(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """D's intermediate features f_D(x, z) of a pair (EGBAD matches them); D in its current mode."""
        return self.D(self._images(x), self._codes(z), features=True)[1]

    def state_dict(self) -> dict:
        return {k: m.state_dict() for k, m in self.modules.items()}

    def load_state_dict(self, state: dict) -> None:
        for k, m in self.modules.items():
            m.load_state_dict(state[k])
