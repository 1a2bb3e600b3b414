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
    """Force a light or dark palette, or follow the system's colour scheme.

    With ``system`` the platform's palette is kept, except where the system asks for dark
    (Qt 6.5+ ``colorScheme()``) and the platform theme still hands Qt a light palette, as
    on bare X11 sessions; then, and whenever the scheme changes later, the matching
    palette here is used.
    """
    if theme is not Theme.SYSTEM:
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "setColorScheme"):  # Qt 6.8+: also tells the platform (title bars)
            dark = theme is Theme.DARK
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
        _use_palette(app, theme)
        return
    hints = QGuiApplication.styleHints()
    _follow_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: _follow_scheme(app, scheme))


def theme_for_scheme(scheme: Qt.ColorScheme, palette: QPalette) -> Theme | None:
    """The palette to force so ``palette`` matches the system ``scheme``; None if it does."""
    if scheme == Qt.ColorScheme.Dark and not is_dark(palette):
        return Theme.DARK
    if scheme == Qt.ColorScheme.Light and is_dark(palette):
        return Theme.LIGHT
    return None


def _follow_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    forced = theme_for_scheme(scheme, app.palette())
    if forced is not None:
        _use_palette(app, forced)


def _use_palette(app: QApplication, theme: Theme) -> None:
    app.setStyle("Fusion")  # draws with the palette alone, so both palettes look right
    colours = DARK_PALETTE if theme is Theme.DARK else LIGHT_PALETTE
    app.setPalette(_palette(colours, "#7d8087" if theme is Theme.DARK else "#9a9a9f"))


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
