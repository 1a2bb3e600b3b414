"""Opening, dropping, pasting and saving pictures; copying the answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QGuiApplication, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tests.ui.input_events import SEVEN, drop_file, line, mouse_stroke


def write_one(path: Path, dark: bool = False) -> Path:
    """A real photo-sized picture of a "1": dark ink on white, or white ink on black."""
    paper, ink = (0, 255) if dark else (255, 0)
    picture = Image.new("L", (300, 400), paper)
    ImageDraw.Draw(picture).line([(160, 60), (145, 340)], fill=ink, width=26)
    picture.save(path)
    return path


@pytest.fixture
def one_png(tmp_path: Path) -> Path:
    return write_one(tmp_path / "one.png")


@pytest.fixture
def not_an_image(tmp_path: Path) -> Path:
    path = tmp_path / "notes.png"
    path.write_text("shopping list: eggs, milk\n")
    return path


def test_opening_an_image_shows_and_predicts_it(window, one_png):
    assert window.open_image_file(one_png)

    assert window.canvas.content.background is not None
    assert window.prediction().answers["cnn"].digit == 1
    assert window.prediction().answers["dense"].digit == 1
    assert window.banner.text() == ""


def test_a_light_on_dark_image_is_read_too(window, tmp_path):
    assert window.open_image_file(write_one(tmp_path / "mnist-style.png", dark=True))

    assert window.canvas.content.background_dark
    assert window.prediction().answers["cnn"].digit == 1


def test_a_bad_file_shows_an_error_and_keeps_the_drawing(qtbot, window, not_an_image):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    strokes_before = window.canvas.strokes

    assert not window.open_image_file(not_an_image)

    assert window.banner.text().startswith("digitpad can't open notes.png: not a picture")
    assert window.banner.isVisible()
    assert window.canvas.strokes == strokes_before
    assert window.prediction().answers["cnn"].digit == 7


def test_a_missing_file_shows_an_error(window, tmp_path):
    assert not window.open_image_file(tmp_path / "gone.png")
    assert "not found" in window.banner.text()


def test_the_error_can_be_dismissed_and_goes_away_on_a_good_open(
    qtbot, window, not_an_image, one_png
):
    assert not window.open_image_file(not_an_image)
    assert "not a picture" in window.banner.text()
    assert window.banner.isVisible()
    qtbot.mouseClick(window.banner.close_button, Qt.MouseButton.LeftButton)
    assert window.banner.text() == ""
    assert not window.banner.isVisible()

    assert not window.open_image_file(not_an_image)
    assert "not a picture" in window.banner.text()
    assert window.open_image_file(one_png)
    assert window.banner.text() == ""
    assert not window.banner.isVisible()


def test_undo_after_opening_brings_the_drawing_back(qtbot, window, one_png):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    window.open_image_file(one_png)
    assert window.canvas.strokes == ()

    window.commands.undo.trigger()

    assert len(window.canvas.strokes) == 1
    assert window.canvas.content.background is None
    assert window.prediction().answers["cnn"].digit == 7


def test_drawing_over_an_opened_image_is_read_with_it(qtbot, window, one_png):
    window.open_image_file(one_png)
    alone = window.prediction().model_input

    with qtbot.waitSignal(window.pictureRead):  # a picture is read off the GUI thread
        mouse_stroke(qtbot, window.canvas, line((60, 140), (220, 140)))

    with_stroke = window.prediction().model_input
    assert with_stroke is not None
    assert (with_stroke != alone).any()
    bitmap = window.canvas.render_bitmap()
    assert bitmap.pixelColor(5, 140).lightness() > 200  # paper at the left edge
    assert (
        bitmap.pixelColor(60 * bitmap.width() // 280, 140 * bitmap.width() // 280).lightness() < 60
    )


def test_dropping_an_image_file_opens_it(qtbot, window, one_png):
    with qtbot.waitSignal(window.pictureRead):  # loaded and read off the GUI thread
        assert drop_file(window, window.canvas, one_png)

    assert window.prediction().answers["cnn"].digit == 1
    assert window.canvas.content.background is not None


def test_dragging_text_is_refused(window):
    mime = QMimeData()
    mime.setText("seven")
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_ctrl_v_pastes_an_image_from_the_clipboard(qtbot, window, one_png):
    QGuiApplication.clipboard().setImage(QImage(str(one_png)))
    window.activateWindow()
    window.canvas.setFocus()

    with qtbot.waitSignal(window.pictureRead):
        qtbot.keyClick(window.canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert window.canvas.content.background is not None
    assert window.prediction().answers["cnn"].digit == 1


def test_ctrl_v_pastes_a_file_copied_in_a_file_manager(qtbot, window, one_png):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(one_png))])
    QGuiApplication.clipboard().setMimeData(mime)
    window.activateWindow()
    window.canvas.setFocus()

    with qtbot.waitSignal(window.pictureRead):  # loaded and read off the GUI thread
        qtbot.keyClick(window.canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert window.prediction().answers["cnn"].digit == 1
    assert window.canvas.content.background is not None


def test_pasting_text_says_there_is_no_image(qtbot, window):
    QGuiApplication.clipboard().setText("not a picture")
    window.commands.paste_image.trigger()
    assert "no image" in window.banner.text()
    assert window.canvas.is_empty()


def test_ctrl_c_on_the_canvas_copies_the_headline_digit(qtbot, window):
    QGuiApplication.clipboard().setText("")
    mouse_stroke(qtbot, window.canvas, SEVEN)
    window.activateWindow()
    window.canvas.setFocus()

    qtbot.keyClick(window.canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)

    assert QGuiApplication.clipboard().text() == "7"


def test_copy_with_nothing_drawn_leaves_the_clipboard_alone(window):
    QGuiApplication.clipboard().setText("kept")
    window.commands.copy_digit.trigger()
    assert QGuiApplication.clipboard().text() == "kept"


def test_a_saved_drawing_reopens_as_the_same_digit(qtbot, make_window, tmp_path):
    first = make_window()
    mouse_stroke(qtbot, first.canvas, SEVEN)
    saved = tmp_path / "seven.png"

    assert first.save_drawing(saved)

    with Image.open(saved) as picture:
        assert picture.format == "PNG"
    second = make_window()
    assert second.open_image_file(saved)
    assert second.prediction().answers["cnn"].digit == 7


def test_saving_into_a_missing_folder_says_so(qtbot, window, tmp_path):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    assert not window.save_drawing(tmp_path / "no" / "such" / "folder" / "seven.png")
    assert "Could not save" in window.banner.text()


def test_opened_files_appear_in_the_recent_menu_and_reopen(qtbot, window, one_png, tmp_path):
    other = write_one(tmp_path / "other.png")
    window.open_image_file(one_png)
    window.open_image_file(other)
    window.canvas.clear()
    menu = window.commands.recent_menu

    menu.aboutToShow.emit()

    entries = [a for a in menu.actions() if a.statusTip()]
    assert [a.statusTip() for a in entries] == [str(other.resolve()), str(one_png.resolve())]
    with qtbot.waitSignal(window.pictureRead):
        entries[1].trigger()
    assert window.prediction().answers["cnn"].digit == 1


def answer_next_dialog(respond) -> None:
    """Run ``respond(dialog)`` on the next modal dialog as soon as it is open."""

    def find_and_respond() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, find_and_respond)
            return
        respond(dialog)

    QTimer.singleShot(0, find_and_respond)


def test_save_asks_for_a_name_and_adds_the_png_suffix(qtbot, window, tmp_path):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    seen = {}

    def name_the_file(dialog: QFileDialog) -> None:
        seen["suffix"] = dialog.defaultSuffix()
        seen["confirms"] = not dialog.testOption(QFileDialog.Option.DontConfirmOverwrite)
        dialog.selectFile(str(tmp_path / "my seven"))
        dialog.accept()

    answer_next_dialog(name_the_file)
    window.commands.save.trigger()

    assert seen == {"suffix": "png", "confirms": True}
    with Image.open(tmp_path / "my seven.png") as picture:
        assert picture.format == "PNG"


def test_save_never_overwrites_a_file_without_asking(qtbot, window, tmp_path):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    existing = tmp_path / "keep.png"
    existing.write_bytes(b"precious")
    asked = []

    def decline_overwrite(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()
        answer_next_dialog(lambda dialog: dialog.reject())  # then cancel saving

    def pick_existing(dialog: QFileDialog) -> None:
        dialog.selectFile(str(existing))
        answer_next_dialog(decline_overwrite)
        dialog.accept()

    answer_next_dialog(pick_existing)
    window.commands.save.trigger()

    assert asked
    assert "keep.png" in asked[0]
    assert existing.read_bytes() == b"precious"


def test_ctrl_o_opens_the_chosen_file(qtbot, window, one_png):
    def choose(dialog: QFileDialog) -> None:
        dialog.selectFile(str(one_png))
        dialog.accept()

    answer_next_dialog(choose)
    window.activateWindow()
    with qtbot.waitSignal(window.pictureRead):
        qtbot.keyClick(window.canvas, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)

    assert window.prediction().answers["cnn"].digit == 1


def test_a_blank_picture_gets_no_guess_and_says_why(window, tmp_path):
    Image.new("RGB", (200, 120), "white").save(tmp_path / "blank.png")

    assert window.open_image_file(tmp_path / "blank.png")

    assert window.prediction().nothing_drawn
    assert "No ink found" in window.statusBar().currentMessage()


PAPER = Path(__file__).resolve().parents[1] / "data" / "paper"


@pytest.mark.parametrize(
    ("name", "text"), [("shadow-1-seed1.jpg", "9"), ("shadow-2-seed1.jpg", "40")]
)
def test_a_photo_reads_as_predict_reads_it_and_its_digits_are_outlined(window, name, text):
    assert window.open_image_file(PAPER / name)

    boxes = window.number.boxes.scene_boxes()
    assert len(boxes) == len(text)
    assert window.number.boxes.isVisible()
    canvas_rect = window.canvas.scene_rect()
    for box, _ in boxes:
        assert canvas_rect.contains(box)
    if len(text) == 1:  # the lone digit's answer is the one `digitpad predict` gives
        assert {a.digit for a in window.prediction().answers.values()} == {int(text)}
        assert window.number.reading().lone_digit() == window.prediction()
    else:
        assert window.number.number_text("cnn") == text
        assert window.number.number_text("dense") == text


def _drag(qtbot, widget, start: QPoint, end: QPoint) -> None:
    """A left-button drag with real events (a bare mouseMove carries no button)."""
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        at = QPointF(start + (end - start) * step / 5)
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            at,
            widget.mapToGlobal(at),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, move)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def test_a_dragged_box_reads_only_that_part_and_can_be_cleared(qtbot, window):
    window.show()
    assert window.open_image_file(PAPER / "ruled-3-seed1.jpg")
    assert window.number.number_text("cnn") == "276"
    assert not window.read_whole.isEnabled()
    first, _ = window.number.boxes.scene_boxes()[0]
    corner = window.canvas.map_from_scene(first.left() - 4, first.top() - 4)
    far = window.canvas.map_from_scene(first.right() + 4, first.bottom() + 4)

    window.read_part.trigger()
    with qtbot.waitSignal(window.pictureRead):
        _drag(qtbot, window.region_selector, corner.toPoint(), far.toPoint())

    assert window.region_selector.region() is not None
    assert not window.read_part.isChecked()  # one box, then the pen is back
    assert {a.digit for a in window.prediction().answers.values()} == {2}
    assert window.number.number_text("cnn") == ""  # one digit: no number shown
    assert len(window.number.boxes.scene_boxes()) == 1
    assert window.read_whole.isEnabled()

    with qtbot.waitSignal(window.pictureRead):
        window.read_whole.trigger()
    assert window.region_selector.region() is None
    assert window.number.number_text("cnn") == "276"
