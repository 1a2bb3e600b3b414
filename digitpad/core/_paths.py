"""Where digitpad finds its bundled assets and the user's own models."""

from __future__ import annotations

from pathlib import Path

import platformdirs

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    """The folder holding the bundled models, icons and sample images.

    Installed wheels and the PyInstaller bundle carry it as ``digitpad/assets``; a source
    checkout or an editable install reads the repository's top-level ``assets/``.
    """
    packaged = _PACKAGE_DIR / "assets"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "assets"


def bundled_models_dir() -> Path:
    """The models that ship with digitpad."""
    return assets_dir() / "models"


def user_models_dir() -> Path:
    """The per-user folder where extra or retrained models can be dropped."""
    return Path(platformdirs.user_data_dir("digitpad", appauthor=False)) / "models"
