"""Render the app icon's SVG into the PNG sizes desktops and the Debian package need.

Run after editing ``assets/icons/digitpad.svg`` and commit the PNGs it writes::

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Qt's own SVG renderer (``QtSvg``, part of PySide6-Essentials) draws them, so no extra
tool is needed; the PNGs are committed because the bundle build must not depend on it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from debian_package import ICON_SIZES
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"


def render_icon(svg_path: Path, size: int, png_path: Path) -> None:
    """Draw the SVG into a transparent ``size`` x ``size`` PNG, antialiased."""
    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        raise ValueError(f"{svg_path} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    if not image.save(str(png_path), "PNG"):
        raise OSError(f"could not write {png_path}")


def main(argv: list[str] | None = None) -> int:
    """Render ``digitpad-<size>.png`` for every size beside the SVG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=ICONS_DIR / "digitpad.svg")
    parser.add_argument("--out", type=Path, default=ICONS_DIR)
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in ICON_SIZES:
        png_path = args.out / f"digitpad-{size}.png"
        render_icon(args.svg, size, png_path)
        print(png_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
