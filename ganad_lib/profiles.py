"""Run profiles: the one switch that sizes every notebook, test and experiment.

``smoke`` keeps CI fast, ``cpu`` gives meaningful results on a laptop in minutes,
``full`` uses the papers' settings and expects a GPU. The profile is read from the
environment variable ``GANAD_PROFILE``; without it the default is ``full`` when CUDA is
available and ``cpu`` otherwise.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace

__all__ = ["Profile", "PROFILES", "get_profile"]


@dataclass(frozen=True)
class Profile:
    """Every size a notebook needs. Notebooks read these; they never hard-code sizes."""

    name: str
    #: at most this many training images per run (``None``: the whole protocol split)
    max_train: int | None
    #: at most this many validation images (normal only)
    max_val: int | None
    #: at most this many test images (the anomaly share is kept)
    max_test: int | None
    #: image side length fed to the networks (28 is padded to 32 when 32)
    image_size: int
    #: epochs for the image models
    epochs: int
    batch_size: int
    #: base channel count of the DCGAN-style networks
    width: int
    #: latent size (nz)
    nz: int
    #: AnoGAN's number of latent-search steps (Gamma in the seed)
    search_steps: int
    #: images AnoGAN scores per notebook run (its search is the costly part)
    max_search_images: int
    #: seeds used when a result is averaged over runs
    seeds: tuple[int, ...]
    #: classes a notebook loops over when it reports a result per class
    classes: tuple[int, ...]
    #: training steps for the 2-D toy GAN
    toy_steps: int
    #: sizes the experiment grid uses instead (it runs every method on every class, so on a
    #: laptop it must be smaller than one notebook's run); see :meth:`for_grid`
    grid: tuple[tuple[str, object], ...] = ()

    def as_dict(self) -> dict:
        return asdict(self)

    def for_grid(self) -> Profile:
        """This profile with the experiment grid's sizes (same name, so method settings apply)."""
        return replace(self, **dict(self.grid), grid=())

    def with_(self, **changes) -> Profile:
        """A copy with some fields changed (for exercises and sweeps)."""
        return replace(self, **changes)


PROFILES: dict[str, Profile] = {
    "smoke": Profile(
        name="smoke", max_train=512, max_val=128, max_test=256, image_size=32, epochs=1,
        batch_size=64, width=8, nz=16, search_steps=5, max_search_images=64, seeds=(0,),
        classes=(8,), toy_steps=150,
    ),
    "cpu": Profile(
        name="cpu", max_train=6000, max_val=600, max_test=3000, image_size=32, epochs=8,
        batch_size=64, width=32, nz=100, search_steps=100, max_search_images=512,
        seeds=(0, 1, 2), classes=(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), toy_steps=2000,
        # the grid's 15 epochs: where every GAN method's validation curve has levelled off
        # (benchmarks/grid_budget.py -> results/cpu/grid_budget.json, "grid_epochs")
        grid=(("max_train", 3000), ("max_val", 300), ("max_test", 1000), ("epochs", 15), ("width", 16),
              ("search_steps", 50)),
    ),
    "full": Profile(
        name="full", max_train=None, max_val=None, max_test=None, image_size=32, epochs=15,
        batch_size=64, width=64, nz=100, search_steps=500, max_search_images=2000,
        seeds=(0, 1, 2), classes=(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), toy_steps=5000,
    ),
}


#: The grid sizes of rows written before results recorded their ``sizes`` (the first ``cpu`` grid,
#: results/grid_v1/cpu/runs.csv): what such a row was run with, whatever the profile's grid says today.
UNRECORDED_GRID: dict[str, tuple[tuple[str, object], ...]] = {
    "cpu": (("max_train", 3000), ("max_val", 300), ("max_test", 1000), ("epochs", 5), ("width", 16),
            ("search_steps", 50)),
}


def unrecorded_grid(name: str) -> Profile:
    """The profile ``name`` with the grid sizes that rows *without* a ``sizes`` entry were run with
    (:data:`UNRECORDED_GRID`; for a profile not listed there, its grid as it is today)."""
    p = get_profile(name)
    return replace(p, **dict(UNRECORDED_GRID.get(name, p.grid)), grid=())


def get_profile(name: str | None = None) -> Profile:
    """Return the profile called ``name``, else ``$GANAD_PROFILE``, else the default.

    The default is ``full`` when CUDA is available and ``cpu`` otherwise.
    """
    if name is None:
        name = os.environ.get("GANAD_PROFILE", "").strip()
    if not name:
        import torch

        name = "full" if torch.cuda.is_available() else "cpu"
    key = name.lower()
    if key not in PROFILES:
        raise ValueError(
            f"Unknown profile {name!r}. Choose one of {sorted(PROFILES)}, for example "
            f"`GANAD_PROFILE=cpu make course`."
        )
    return PROFILES[key]
