"""Where digitpad finds its bundled assets and the user's own data (models, samples, cache)."""

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


def user_config_dir() -> Path:
    """The per-user settings folder (``$XDG_CONFIG_HOME/digitpad``, ``~/.config/digitpad``)."""
    return Path(platformdirs.user_config_dir("digitpad", appauthor=False))


def user_data_dir() -> Path:
    """The per-user data folder (``$XDG_DATA_HOME/digitpad``, ``~/.local/share/digitpad``)."""
    return Path(platformdirs.user_data_dir("digitpad", appauthor=False))


def user_cache_dir() -> Path:
    """The per-user cache (``$XDG_CACHE_HOME/digitpad``): anything here can be rebuilt."""
    return Path(platformdirs.user_cache_dir("digitpad", appauthor=False))


def user_models_dir() -> Path:
    """The per-user folder where extra, retrained or personal models live."""
    return user_data_dir() / "models"
