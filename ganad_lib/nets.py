"""DCGAN-style networks for small images (28 or 32 pixels, any channel count, any width).

The down-sampling path halves the image with 4x4 stride-2 convolutions (3x3 when the side is
odd: 28 -> 14 -> 7 -> 4) until it is 4x4; a final 4x4 convolution maps it to a vector.
The decoder mirrors it with transposed convolutions. Discriminators return their logit and,
on request, their intermediate features: AnoGAN, EGBAD and GANomaly all match features.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["down_plan", "Encoder", "Decoder", "Discriminator", "JointDiscriminator",
           "MLPGenerator", "MLPDiscriminator", "init_weights", "count_parameters"]


def down_plan(size: int) -> list[tuple[int, int, int]]:
    """(kernel, stride, padding) of each halving convolution that takes ``size`` to 4."""
    if not isinstance(size, int) or size < 8:
        raise ValueError(f"image size must be an integer of at least 8 pixels, got {size!r}")
    plan, s = [], size
    while s > 4:
        if s % 2 == 0:
            plan.append((4, 2, 1))
            s //= 2
        else:
            plan.append((3, 2, 1))
            s = (s + 1) // 2
    if s != 4:
        raise ValueError(f"image size {size} does not reduce to 4x4 by halving; use 28, 32 or 64")
    return plan


def _down_trunk(channels: int, width: int, size: int) -> tuple[nn.Sequential, int]:
    layers, c_in = [], channels
    for i, (k, s, p) in enumerate(down_plan(size)):
        c_out = width * 2**i
        layers.append(nn.Conv2d(c_in, c_out, k, s, p, bias=False))
        if i > 0:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.LeakyReLU(0.2, inplace=True))
        c_in = c_out
    return nn.Sequential(*layers), c_in


class Encoder(nn.Module):
    """x (N x C x S x S) -> z (N x nz). E in BiGAN and GANomaly, G_E in GANomaly."""

    def __init__(self, size: int = 32, channels: int = 1, nz: int = 100, width: int = 64):
        super().__init__()
        self.size, self.channels, self.nz = size, channels, nz
        self.trunk, c = _down_trunk(channels, width, size)
        self.head = nn.Conv2d(c, nz, 4, 1, 0, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.trunk(x)).flatten(1)


class Decoder(nn.Module):
    """z (N x nz) -> x (N x C x S x S) in [-1, 1]. G in GAN, BiGAN; G_D in GANomaly."""

    def __init__(self, size: int = 32, channels: int = 1, nz: int = 100, width: int = 64):
        super().__init__()
        self.size, self.channels, self.nz = size, channels, nz
        plan = down_plan(size)
        n = len(plan)
        c = width * 2 ** (n - 1)
        layers = [nn.ConvTranspose2d(nz, c, 4, 1, 0, bias=False), nn.BatchNorm2d(c), nn.ReLU(True)]
        for i, (k, s, p) in enumerate(reversed(plan)):
            last = i == n - 1
            c_out = channels if last else c // 2
            layers.append(nn.ConvTranspose2d(c, c_out, k, s, p, bias=False))
            if last:
                layers.append(nn.Tanh())
            else:
                layers += [nn.BatchNorm2d(c_out), nn.ReLU(True)]
            c = c_out
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z.reshape(z.shape[0], self.nz, 1, 1))


class Discriminator(nn.Module):
    """x -> logit of "real" (N,); ``features=True`` also returns f(x), the last conv block, flattened."""

    def __init__(self, size: int = 32, channels: int = 1, width: int = 64):
        super().__init__()
        self.size, self.channels = size, channels
        self.trunk, c = _down_trunk(channels, width, size)
        self.classifier = nn.Conv2d(c, 1, 4, 1, 0, bias=False)

    def forward(self, x: torch.Tensor, features: bool = False):
        f = self.trunk(x)
        logit = self.classifier(f).flatten()
        return (logit, f.flatten(1)) if features else logit


class JointDiscriminator(nn.Module):
    """BiGAN's D(x, z): sees an image and a code together, returns the logit of "real pair".

    An image branch (the DCGAN trunk) and a code branch meet in a joint layer whose output
    is the intermediate feature f_D(x, z) used by EGBAD's feature-matching score.
    """

    def __init__(self, size: int = 32, channels: int = 1, nz: int = 100, width: int = 64,
                 hidden: int | None = None, dropout: float = 0.2):
        super().__init__()
        self.size, self.channels, self.nz = size, channels, nz
        hidden = hidden or 16 * width
        self.x_trunk, c = _down_trunk(channels, width, size)
        self.z_trunk = nn.Sequential(nn.Linear(nz, hidden // 2), nn.LeakyReLU(0.2, inplace=True),
                                     nn.Dropout(dropout))
        self.joint = nn.Sequential(nn.Linear(c * 16 + hidden // 2, hidden),
                                   nn.LeakyReLU(0.2, inplace=True), nn.Dropout(dropout))
        self.classifier = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor, z: torch.Tensor, features: bool = False):
        h = torch.cat([self.x_trunk(x).flatten(1), self.z_trunk(z.flatten(1))], dim=1)
        f = self.joint(h)
        logit = self.classifier(f).flatten()
        return (logit, f) if features else logit


class MLPGenerator(nn.Module):
    """z (N x nz) -> x (N x dim): a small multilayer perceptron for 2-D toy data."""

    def __init__(self, nz: int = 2, dim: int = 2, hidden: int = 128, depth: int = 3):
        super().__init__()
        self.nz = nz
        layers, c = [], nz
        for _ in range(depth):
            layers += [nn.Linear(c, hidden), nn.ReLU(True)]
            c = hidden
        self.net = nn.Sequential(*layers, nn.Linear(c, dim))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class MLPDiscriminator(nn.Module):
    """x (N x dim) -> logit (N,); ``features=True`` also returns the last hidden layer."""

    def __init__(self, dim: int = 2, hidden: int = 128, depth: int = 3):
        super().__init__()
        layers, c = [], dim
        for _ in range(depth):
            layers += [nn.Linear(c, hidden), nn.LeakyReLU(0.2, True)]
            c = hidden
        self.trunk = nn.Sequential(*layers)
        self.classifier = nn.Linear(c, 1)

    def forward(self, x: torch.Tensor, features: bool = False):
        f = self.trunk(x)
        logit = self.classifier(f).flatten()
        return (logit, f) if features else logit


def init_weights(m: nn.Module) -> None:
    """DCGAN initialisation: convolutions N(0, 0.02), batch-norm scales N(1, 0.02)."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
