"""Screenshots of "Teach it your handwriting", acted out in the real app with real events.

Run from the repository root under an X server (the samples, the fine-tune and the
settings all go to a temporary folder; the user's own are never touched)::

    xvfb-run -a -s "-screen 0 1280x900x24" python -m docs.handwriting_screenshots

It fills the sample store with one made-up hand (``benchmarks.handwriting``: a person
whose 4 has a curved top, which the bundled models read as a 9), corrects a reading,
opens the teaching session and the samples dialog, and runs a real fine-tune of both
models (a minute or two on two cores).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from docs.make_screenshots import DOCS, WINDOW_SIZE, draw, settle

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

SHOTS = {
    "correction": "screenshot-correction.png",
    "teach": "screenshot-teach.png",
    "samples": "screenshot-samples.png",
    "fine-tune": "screenshot-fine-tune.png",
}


def save_region(widgets: list[QWidget], output: Path) -> None:
    """Save what the screen shows of ``widgets`` (their bounding box) as a PNG."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    area = QRect()
    for widget in widgets:
        area = area.united(widget.frameGeometry())
    if QApplication.platformName() == "xcb":
        pixels = widgets[0].screen().grabWindow(0, area.x(), area.y(), area.width(), area.height())
    else:
        pixels = widgets[-1].grab()
    pixels.save(str(output))
    print(f"wrote {output}")


def run(output_dir: Path) -> None:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from benchmarks.handwriting import FOUR_CURVED, fill_store, wobbly
    from digitpad.core import Recognizer
    from digitpad.ui.icons import app_icon
    from digitpad.ui.main_window import MainWindow
    from digitpad.ui.settings import AppSettings
    from digitpad.ui.settings_file import SettingsFile
    from digitpad.ui.theme import Theme, apply_theme

    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    apply_theme(app, Theme.LIGHT)
    settings = SettingsFile(Path(os.environ["XDG_CONFIG_HOME"]) / "settings.json")
    window = MainWindow(Recognizer.from_default_locations(), AppSettings(settings))
    window.resize(*WINDOW_SIZE)
    window.move(0, 0)
    window.show()
    settle(400)

    # 1. The curved 4 is read as a 9; the person clicks the 4 in the CNN's bars.
    for stroke in FOUR_CURVED:
        draw(window.canvas, stroke)
    bars = window.results.panels["cnn"].bars
    at = bars.row_rect(4).center()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, button, held in (
        (QEvent.Type.MouseMove, none, none),  # hovering shows the row as pickable
        (QEvent.Type.MouseButtonPress, left, left),
        (QEvent.Type.MouseButtonRelease, left, none),
    ):
        event = QMouseEvent(
            kind, QPointF(at), bars.mapToGlobal(QPointF(at)), button, held,
            Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        QApplication.sendEvent(bars, event)
    settle(300)
    print(f"correction: {window.results.headline.text()} / {window.handwriting.notice.text()}")
    save_region([window], output_dir / SHOTS["correction"])
    window.handwriting.library.remove(window.handwriting.library.samples())

    # 2. A teaching session, eleven drawings in, the twelfth on the canvas.
    store = window.handwriting.library.store
    teach = window.handwriting.show_teach_dialog()
    rng = random.Random(3)
    for drawing in range(12):
        digit = teach.plan.current
        assert digit is not None
        for pen_stroke in wobbly(digit, rng):
            draw(teach.canvas, [(point.x, point.y) for point in pen_stroke.points])
        if drawing < 11:
            teach.keep_drawing()
    teach.move(window.frameGeometry().right() - teach.width() - 40, 40)
    settle(300)
    print(f"teach: {teach.title_text()}")
    save_region([teach], output_dir / SHOTS["teach"])
    teach.close()

    # 3. Five of every digit, seen in the samples dialog.
    window.handwriting.library.remove(window.handwriting.library.samples())
    fill_store(store, 5, seed=11)
    window.handwriting.library.changed.emit()
    samples = window.handwriting.show_samples_dialog()
    samples.digits.setCurrentRow(4)
    samples.grid.setCurrentRow(2)
    samples.resize(640, 420)
    settle(300)
    save_region([samples], output_dir / SHOTS["samples"])
    samples.close()

    # 4. A real fine-tune of both models on those 50 samples.
    dialog = window.handwriting.show_fine_tune_dialog()
    dialog.start()
    while dialog.is_running():
        settle(200)
    settle(300)
    frame = window.frameGeometry()  # in the window's lower right, over "what the models see"
    dialog.move(frame.right() - dialog.width() - 16, frame.bottom() - dialog.height() - 16)
    settle(300)
    print(f"fine-tune: {dialog.stage.text()} / {window.results.headline.text()}")
    save_region([window, dialog], output_dir / SHOTS["fine-tune"])
    dialog.close()
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate docs/screenshot-{correction,...}")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the PNGs")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="digitpad-shots-") as home:
        # Samples, personal models and settings of a throwaway user.
        for variable, relative in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
            os.environ[variable] = str(Path(home) / relative)
            Path(os.environ[variable]).mkdir()
        os.environ["XDG_CACHE_HOME"] = str(Path(home) / "cache")
        run(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
