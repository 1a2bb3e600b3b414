"""The teaching session and the samples dialog, driven with real events."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from digitpad.core import Point, SampleStore, Stroke
from digitpad.core.personal import IDX_IMAGES, IDX_LABELS, ExportFormat
from digitpad.ui.fine_tune_dialog import FineTuneDialog
from digitpad.ui.samples_dialog import SamplesDialog
from digitpad.ui.teach_dialog import TeachDialog
from digitpad.ui.teaching_plan import TeachingPlan
from tests.ui.input_events import ONE, SEVEN, ZERO, mouse_stroke
from tests.ui.samples_waiting import wait_for_samples, wait_for_thumbnails
from tests.ui.test_files_and_clipboard import answer_next_dialog

PROMPT = re.compile(r"Draw an? (\d) \N{EM DASH} (\d+) of (\d+)")


def strokes_of(points) -> tuple[Stroke, ...]:
    return (Stroke(tuple(Point(x, y) for x, y in points), 18.0),)


def add_drawings(store: SampleStore, labels: list[int]) -> None:
    for label in labels:
        store.add_drawing(label, strokes_of(ONE), np.full((28, 28), 255, np.uint8))


@pytest.fixture
def store() -> SampleStore:
    return SampleStore()


# ----- the plan ---------------------------------------------------------------------------
def test_a_new_plan_asks_for_every_digit_n_times_in_a_random_order():
    plan = TeachingPlan.from_counts({}, 5, random.Random(1))

    assert sorted(plan.prompts) == sorted(list(range(10)) * 5)
    assert plan.prompts != sorted(plan.prompts)
    assert (plan.total, plan.position, plan.kept) == (50, 1, 0)


def test_the_plan_asks_only_for_what_is_missing_and_counts_the_rest():
    plan = TeachingPlan.from_counts({3: 5, 4: 2, 7: 9}, 5, random.Random(1))

    assert plan.prompts.count(3) == 0
    assert plan.prompts.count(4) == 3
    assert plan.prompts.count(7) == 0
    assert plan.kept == 12
    assert plan.position == 13


def test_skip_keep_and_undo_move_through_the_plan():
    plan = TeachingPlan.from_counts({}, 1, random.Random(2))
    first, second = plan.prompts[:2]

    assert plan.keep() == first
    assert plan.skip() == second
    assert (plan.position, plan.kept) == (3, 1)
    assert plan.undo() == ("skipped", second)
    assert plan.undo() == ("kept", first)
    assert (plan.current, plan.position, plan.kept, plan.can_undo()) == (first, 1, 0, False)


# ----- the teaching dialog ----------------------------------------------------------------
@pytest.fixture
def teach(qtbot, window) -> TeachDialog:
    dialog = window.handwriting.show_teach_dialog()
    qtbot.waitExposed(dialog)
    wait_for_samples(qtbot, window.handwriting.library)
    return dialog


def asked(dialog: TeachDialog) -> tuple[int, int, int]:
    match = PROMPT.fullmatch(dialog.title_text())
    assert match, dialog.title_text()
    digit, position, total = map(int, match.groups())
    return digit, position, total


def draw_and_next(qtbot, dialog: TeachDialog) -> int:
    digit = asked(dialog)[0]
    mouse_stroke(qtbot, dialog.canvas, ZERO if digit == 0 else ONE)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    return digit


def test_the_session_asks_for_each_digit_five_times_and_keeps_each_drawing(qtbot, teach, store):
    digit, position, total = asked(teach)
    assert (position, total) == (1, 50)
    assert not teach.next_button.isEnabled(), "nothing drawn yet"

    kept = [draw_and_next(qtbot, teach) for _ in range(3)]

    assert [s.label for s in store.samples()] == kept
    assert kept[0] == digit
    assert asked(teach)[1:] == (4, 50)
    assert teach.canvas.is_empty()
    assert all(s.strokes for s in store.samples())


def test_the_teaching_canvas_stays_square_near_its_right_edge(qtbot, teach):
    mouse_stroke(qtbot, teach.canvas, [(150.0, 60.0), (275.0, 220.0)])

    assert teach.canvas.scene_aspect() == 1.0


def test_enter_keeps_the_drawing_like_next(qtbot, teach, store):
    digit = asked(teach)[0]
    mouse_stroke(qtbot, teach.canvas, ONE)

    qtbot.keyClick(teach.canvas, Qt.Key.Key_Return)

    assert [s.label for s in store.samples()] == [digit]


def test_skip_and_undo(qtbot, teach, store):
    first = draw_and_next(qtbot, teach)
    skipped = asked(teach)[0]
    qtbot.mouseClick(teach.skip_button, Qt.MouseButton.LeftButton)
    assert asked(teach)[1] == 3

    qtbot.mouseClick(teach.undo_button, Qt.MouseButton.LeftButton)
    assert asked(teach)[:2] == (skipped, 2)
    qtbot.mouseClick(teach.undo_button, Qt.MouseButton.LeftButton)
    assert asked(teach)[:2] == (first, 1)
    assert store.samples() == []
    assert not teach.undo_button.isEnabled()


def test_a_session_left_half_way_resumes(qtbot, window, teach, store):
    kept = [draw_and_next(qtbot, teach) for _ in range(2)]
    qtbot.mouseClick(teach.finish_button, Qt.MouseButton.LeftButton)
    assert teach.isHidden()

    again = window.handwriting.show_teach_dialog()
    qtbot.waitExposed(again)
    wait_for_samples(qtbot, window.handwriting.library)

    assert asked(again)[1:] == (3, 50)
    # Each digit already drawn is asked for that many times fewer (the random order may
    # have asked for the same digit twice).
    for digit in set(kept):
        assert again.plan.prompts.count(digit) == 5 - kept.count(digit)


def test_the_count_per_digit_is_settable_and_remembered(qtbot, window, teach):
    teach.repeats.setValue(2)
    assert asked(teach)[1:] == (1, 20)
    teach.close()

    again = window.handwriting.show_teach_dialog()
    assert again.repeats.value() == 2
    assert asked(again)[2] == 20


def test_a_finished_session_offers_to_fine_tune(qtbot, window, store):
    add_drawings(store, [d for d in range(10) for _ in range(2)][1:])  # one 0 missing
    dialog = window.handwriting.show_teach_dialog()
    wait_for_samples(qtbot, window.handwriting.library)
    dialog.repeats.setValue(2)
    assert asked(dialog) == (0, 20, 20)

    draw_and_next(qtbot, dialog)

    assert dialog.prompt.text().startswith("All done")
    assert not dialog.canvas.isEnabled()
    assert store.counts() == dict.fromkeys(range(10), 2)
    qtbot.mouseClick(dialog.fine_tune_button, Qt.MouseButton.LeftButton)
    fine_tune = window.handwriting.show_fine_tune_dialog()
    assert fine_tune.isVisible()
    assert "your 20 samples" in fine_tune.intro.text()
    assert dialog.isHidden()


def test_the_handwriting_menu_sits_before_help_and_opens_each_dialog(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles.index("Hand&writing") == titles.index("&Help") - 1
    actions = window.handwriting.actions
    assert [a.text() for a in actions.menu.actions() if not a.isSeparator()] == [
        "&Teach Me Your Handwriting\N{HORIZONTAL ELLIPSIS}",
        "Your &Samples\N{HORIZONTAL ELLIPSIS}",
        "&Fine-Tune on Your Samples\N{HORIZONTAL ELLIPSIS}",
        "Use the &Original Models",
    ]
    assert not actions.use_originals.isEnabled(), "no personal models yet"
    for action, kind in (
        (actions.teach, TeachDialog),
        (actions.samples, SamplesDialog),
        (actions.fine_tune, FineTuneDialog),
    ):
        action.trigger()
        action.trigger()  # the one open dialog is raised, not doubled
        shown = [w for w in window.findChildren(kind) if w.isVisible()]
        assert len(shown) == 1, kind


# ----- the samples dialog -----------------------------------------------------------------
@pytest.fixture
def samples_dialog(qtbot, window, store) -> SamplesDialog:
    add_drawings(store, [3, 3, 3, 8])
    dialog = window.handwriting.show_samples_dialog()
    qtbot.waitExposed(dialog)
    wait_for_samples(qtbot, window.handwriting.library)
    wait_for_thumbnails(qtbot, dialog)
    return dialog


def test_the_samples_dialog_shows_counts_and_thumbnails_per_digit(samples_dialog):
    dialog = samples_dialog

    assert dialog.digits.item(3).text().endswith("3 samples")
    assert dialog.digits.item(8).text().endswith("1 sample")
    assert dialog.digits.item(0).text().endswith("0 samples")
    assert dialog.shown_digit() == 3, "opens on the first digit that has samples"
    assert dialog.grid.count() == 3
    assert not dialog.grid.item(0).icon().isNull()
    assert dialog.empty_hint.isHidden()
    dialog.digits.setCurrentRow(8)
    assert [s.label for s in dialog.shown_samples()] == [8]
    dialog.digits.setCurrentRow(0)
    assert dialog.grid.count() == 0
    assert dialog.empty_hint.isVisible()
    assert dialog.empty_hint.text().startswith("No samples of 0 yet")


def test_delete_key_and_button_delete_the_selected_samples(qtbot, samples_dialog, store):
    dialog = samples_dialog
    doomed = dialog.shown_samples()[0]
    dialog.grid.setCurrentRow(0)
    dialog.grid.setFocus()

    qtbot.keyClick(dialog.grid, Qt.Key.Key_Delete)

    assert doomed.id not in {s.id for s in store.samples()}
    assert not doomed.image.exists()
    assert dialog.grid.count() == 2
    assert dialog.digits.item(3).text().endswith("2 samples")
    dialog.grid.selectAll()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert store.counts()[3] == 0
    assert not dialog.delete_button.isEnabled()


def test_a_correction_shows_up_in_the_open_samples_dialog(qtbot, window, samples_dialog):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    qtbot.keyClick(window.canvas, Qt.Key.Key_3)

    assert samples_dialog.grid.count() == 4


def test_export_as_npz_through_the_file_dialog(qtbot, samples_dialog, tmp_path):
    out = tmp_path / "mine.npz"

    def choose(dialog: QFileDialog) -> None:
        dialog.selectFile(str(out))
        dialog.accept()

    answer_next_dialog(choose)
    samples_dialog.export_button.menu().actions()[1].trigger()
    assert (
        samples_dialog.summary.text() == f"Exporting your samples to {out}\N{HORIZONTAL ELLIPSIS}"
    )
    assert not samples_dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: not samples_dialog.is_exporting())

    assert samples_dialog.export_button.isEnabled()
    with np.load(out) as exported:
        assert sorted(exported["labels"].tolist()) == [3, 3, 3, 8]
        assert exported["images"].shape == (4, 28, 28)
    assert samples_dialog.summary.text() == f"Exported to {out}"


def exported(qtbot, dialog: SamplesDialog, fmt: ExportFormat, out: Path) -> str:
    """The dialog's summary once its export to ``out`` (on a worker) is over."""
    dialog.export(fmt, out)
    qtbot.waitUntil(lambda: not dialog.is_exporting())
    return dialog.summary.text()


def test_export_as_idx_and_as_a_folder(qtbot, samples_dialog, tmp_path):
    assert exported(qtbot, samples_dialog, "idx", tmp_path / "idx").startswith("Exported to")
    header = (tmp_path / "idx" / IDX_IMAGES).read_bytes()[:16]
    assert int.from_bytes(header[4:8], "big") == 4
    assert (tmp_path / "idx" / IDX_LABELS).is_file()

    summary = exported(qtbot, samples_dialog, "folder", tmp_path / "pngs")
    assert len(list((tmp_path / "pngs" / "3").glob("*.png"))) == 3
    assert summary == f"Exported 4 PNG files to {tmp_path / 'pngs'}"


def test_a_failed_export_says_why(qtbot, samples_dialog, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")

    summary = exported(qtbot, samples_dialog, "folder", blocker)
    assert summary == f"Could not export \N{EM DASH} {blocker} exists and is not a folder"


def test_a_damaged_sample_is_left_out_with_a_message(qtbot, window, store):
    add_drawings(store, [5])
    (store.root / "5" / "20260101T000000000000-abcdef.png").write_bytes(b"not a png")
    dialog = window.handwriting.show_samples_dialog()
    wait_for_samples(qtbot, window.handwriting.library)

    assert dialog.digits.item(5).text().endswith("1 sample")
    assert "could not be read" in dialog.summary.text()
