import os

import pytest
import torch

os.environ.setdefault("GANAD_PROFILE", "smoke")
torch.set_num_threads(max(1, min(2, torch.get_num_threads())))


@pytest.fixture
def rng_images():
    """Deterministic uint8 images: 40 train, 10 val, 12 test, 28 x 28."""
    g = torch.Generator().manual_seed(0)
    return (torch.randint(0, 256, (40, 28, 28), dtype=torch.uint8, generator=g),
            torch.randint(0, 256, (10, 28, 28), dtype=torch.uint8, generator=g),
            torch.randint(0, 256, (12, 28, 28), dtype=torch.uint8, generator=g))


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts without open matplotlib figures, even after a test that failed half-way, so
    that tests checking that a widget closes its own figures see only their own."""
    yield
    if "matplotlib.pyplot" in __import__("sys").modules:
        import matplotlib.pyplot as plt

        plt.close("all")
