"""The window from the keyboard (issue 21, item 9): every Tab stop shows its focus,
Space/Enter on the bars never keeps a sample nobody named, Undo takes back the last thing
done (a kept sample too), and Help lists the keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolTip

from digitpad.core import SampleStore
from digitpad.ui.probability_bars import PICK_FIRST
from digitpad.ui.shortcuts_dialog import ShortcutsDialog
from tests.ui.input_events import SEVEN, mouse_stroke


def test_every_tab_stop_shows_its_focus(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.canvas.setFocus(Qt.FocusReason.TabFocusReason)
    seen = []
    while (focused := QApplication.focusWidget()) not in seen:
        seen.append(focused)
        with_focus = focused.grab().toImage()
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not focused
        without_focus = focused.grab().toImage()
        name = focused.accessibleName() or type(focused).__name__
        assert with_focus != without_focus, f"{name} shows no focus"
    names = [w.accessibleName() or getattr(w, "text", lambda: "")() for w in seen]
    assert len(seen) >= 12, names
    assert "Brush size" in names


def test_space_on_the_bars_keeps_nothing_until_a_digit_is_named(qtbot, window):
    store = SampleStore()
    mouse_stroke(qtbot, window.canvas, SEVEN)
    bars = window.results.panels["cnn"].bars
    bars.setFocus(Qt.FocusReason.TabFocusReason)

    qtbot.keyClick(bars, Qt.Key.Key_Space)
    qtbot.keyClick(bars, Qt.Key.Key_Return)

    assert store.samples() == []
    assert QToolTip.text() == PICK_FIRST
    qtbot.keyClick(bars, Qt.Key.Key_Up)  # from nothing picked, Up starts at 9
    assert QToolTip.text() == "Enter keeps this drawing as a 9 in your samples"
    qtbot.keyClick(bars, Qt.Key.Key_Down)
    assert QToolTip.text() == "Enter keeps this drawing as a 0 in your samples"
    qtbot.keyClick(bars, Qt.Key.Key_Space)
    assert [s.label for s in store.samples()] == [0]
    assert window.handwriting.notice.text() == "Saved as a 0 in your samples"
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())  # gone before the window goes


def test_undo_takes_back_the_kept_sample_then_the_stroke(qtbot, window):
    store = SampleStore()
    mouse_stroke(qtbot, window.canvas, SEVEN)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)  # keep the drawing as a 7
    assert [s.label for s in store.samples()] == [7]
    assert window.commands.undo.isEnabled()
    assert "a kept sample" in window.commands.undo.toolTip()

    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert store.samples() == []
    assert len(window.canvas.strokes) == 1  # the drawing stays
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.is_empty()


def test_a_stroke_after_keeping_a_sample_is_what_undo_takes_back(qtbot, window):
    store = SampleStore()
    mouse_stroke(qtbot, window.canvas, SEVEN)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    mouse_stroke(qtbot, window.canvas, [(60.0, 140.0), (220.0, 140.0)])

    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert [s.label for s in store.samples()] == [7]
    assert len(window.canvas.strokes) == 1


def test_help_lists_every_key(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.canvas, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    rows = {does: keys for keys, does in dialog.rows()}
    assert rows["Undo"].startswith("Ctrl+Z")
    assert rows["Why? Explain the Answers"] == "Ctrl+I"
    assert rows["Keyboard Shortcuts"] == "F1"
    assert rows["Open Image"] == "Ctrl+O"  # not the media keys ("Open")
    assert rows["Clear"] == "Esc, Del"
    assert "0 \N{EN DASH} 9 on the canvas" in [keys for keys, _ in dialog.rows()]
    assert window.commands.shortcuts in window.commands.help_menu.actions()
    dialog.close()
