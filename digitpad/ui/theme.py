"""Light, dark or the system's theme, set once at start-up.

Widgets only ever use palette roles, so the palette chosen here is the whole theme. With
``system`` the platform's own palette (and its light/dark setting) is left in charge.
"""

from __future__ import annotations

import os
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEME_ENV_VAR = "DIGITPAD_THEME"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


def theme_from_environment(default: Theme = Theme.SYSTEM) -> Theme:
    """The theme named by ``DIGITPAD_THEME``, or ``default`` when unset or unknown."""
    try:
        return Theme(os.environ.get(THEME_ENV_VAR, default.value).strip().lower())
    except ValueError:
        return default


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


_R = QPalette.ColorRole
DARK_PALETTE = {
    _R.Window: "#2b2d30", _R.WindowText: "#e6e6e6", _R.Base: "#1e1f22",
    _R.AlternateBase: "#35373b", _R.Text: "#f0f0f0", _R.Button: "#3a3c40",
    _R.ButtonText: "#e6e6e6", _R.Highlight: "#3d8fe0", _R.HighlightedText: "#ffffff",
    _R.ToolTipBase: "#3a3c40", _R.ToolTipText: "#e6e6e6", _R.PlaceholderText: "#8a8d93",
    _R.Link: "#6cb4ff", _R.Light: "#4a4d52", _R.Midlight: "#404347", _R.Mid: "#5f636a",
    _R.Dark: "#1a1b1d", _R.Shadow: "#000000", _R.BrightText: "#ff6b6b",
}  # fmt: skip
LIGHT_PALETTE = {
    _R.Window: "#f3f3f3", _R.WindowText: "#1d1d1f", _R.Base: "#ffffff",
    _R.AlternateBase: "#e9e9eb", _R.Text: "#111111", _R.Button: "#ececec",
    _R.ButtonText: "#1d1d1f", _R.Highlight: "#2a74c9", _R.HighlightedText: "#ffffff",
    _R.ToolTipBase: "#ffffdc", _R.ToolTipText: "#1d1d1f", _R.PlaceholderText: "#8e8e93",
    _R.Link: "#1a5fb4", _R.Light: "#ffffff", _R.Midlight: "#e3e3e3", _R.Mid: "#a8a8ad",
    _R.Dark: "#8a8a8f", _R.Shadow: "#4a4a4a", _R.BrightText: "#c01c28",
}  # fmt: skip


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Use the system palette, or force a light or dark one (Fusion draws both well)."""
    if theme is Theme.SYSTEM:
        return
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: also tells the platform (title bars)
        hints.setColorScheme(Qt.ColorScheme.Dark if theme is Theme.DARK else Qt.ColorScheme.Light)
    app.setStyle("Fusion")
    colours = DARK_PALETTE if theme is Theme.DARK else LIGHT_PALETTE
    app.setPalette(_palette(colours, "#7d8087" if theme is Theme.DARK else "#9a9a9f"))


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
