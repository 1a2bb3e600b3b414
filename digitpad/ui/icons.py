"""The app icon, from the bundled assets; a missing icon is no reason to fail."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from digitpad.core import assets_dir


def app_icon() -> QIcon:
    """Every PNG size of ``assets/icons/digitpad-*.png`` (and the SVG) in one QIcon.

    Returns an empty icon when the icons are absent, e.g. in a stripped-down checkout.
    """
    folder = assets_dir() / "icons"
    icon = QIcon()
    if not folder.is_dir():
        return icon
    for png in sorted(folder.glob("digitpad-*.png")):
        icon.addFile(str(png))
    svg = folder / "digitpad.svg"
    if icon.isNull() and svg.is_file():
        icon.addFile(str(svg))
    return icon
