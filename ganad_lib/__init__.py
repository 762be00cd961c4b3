"""ganad_lib: the helper library of the ganad course on anomaly detection with GANs.

Small and flat, one module per idea: ``data``, ``protocols``, ``metrics``, ``profiles``,
``nets``, ``training``, ``detector``, one module per method, ``plotting`` and ``widgets``.
"""

from .profiles import Profile, get_profile
from .runtime import device, seed_everything, setup_notebook

__version__ = "0.1.0"
__all__ = ["Profile", "get_profile", "device", "seed_everything", "setup_notebook", "__version__"]
