"""Fine-tuning from the window: a real fine-tune on a worker thread, progress, Cancel, the
models becoming "(yours)", and going back to the original ones."""

from __future__ import annotations

import functools
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from benchmarks.handwriting import FOUR_CURVED, fill_store, wobbly
from digitpad.core import (
    SampleStore,
    fine_tune,
    personal_model_names,
    user_models_dir,
)
from digitpad.ui.fine_tune_dialog import FineTuneDialog
from tests.ui.input_events import mouse_stroke
from tests.ui.samples_waiting import wait_for_samples
from tests.ui.test_files_and_clipboard import answer_next_dialog

# A real fine-tune of the CNN takes about a minute on two busy cores; the dense model
# alone takes seconds, so the dialog's own tests train only that one.
FINE_TUNE_TIMEOUT_MS = 120_000


@pytest.fixture
def store() -> SampleStore:
    return SampleStore()


def titles(window) -> dict[str, str]:
    return {name: panel.title() for name, panel in window.results.panels.items()}


def headline_choices(window) -> list[str]:
    return [a.text() for a in window.commands.headline.actions() if a.isVisible()]


def start_and_wait(qtbot, dialog: FineTuneDialog) -> None:
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.is_running()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=FINE_TUNE_TIMEOUT_MS)


def test_too_few_samples_says_so_and_changes_nothing(qtbot, window, store):
    fill_store(store, 1)
    window.handwriting.library.remove(store.samples()[:4])
    window.handwriting.actions.fine_tune.trigger()
    dialog = window.handwriting.show_fine_tune_dialog()
    wait_for_samples(qtbot, window.handwriting.library)
    assert "at least 10 samples" in dialog.intro.text()

    start_and_wait(qtbot, dialog)

    assert dialog.stage.text().startswith("Fine-tuning needs at least 10 samples")
    assert "there are 6" in dialog.stage.text()
    assert dialog.report is None
    assert dialog.results.isHidden()
    assert personal_model_names() == ()
    assert titles(window) == {"dense": "Dense", "cnn": "CNN \N{MIDDLE DOT} headline"}
    assert dialog.start_button.isVisible()


def test_cancel_stops_the_worker_and_keeps_the_models(qtbot, window, store):
    fill_store(store, 1)
    dialog = window.handwriting.show_fine_tune_dialog()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    # Past reading the samples: Cancel has to stop the training loop itself.
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=FINE_TUNE_TIMEOUT_MS)
    assert dialog.progress.isVisible()
    assert dialog.cancel_button.isVisible()

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)

    assert dialog.stage.text().startswith("Fine-tuning cancelled")
    assert personal_model_names() == ()
    assert not user_models_dir().exists() or not any(user_models_dir().iterdir())
    assert dialog.start_button.isVisible()
    assert not dialog.cancel_button.isVisible()


def test_closing_the_window_while_fine_tuning_stops_the_worker(qtbot, window, store):
    fill_store(store, 1)
    dialog = window.handwriting.show_fine_tune_dialog()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    task = dialog.worker()
    assert task is not None
    assert task.isRunning()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=FINE_TUNE_TIMEOUT_MS)

    window.close()

    # Cancelled at once; the closing does not wait for it (the process ends it), and it
    # writes nothing however long it takes to notice.
    assert task.is_cancelled()
    qtbot.waitUntil(task.isFinished, timeout=FINE_TUNE_TIMEOUT_MS)
    assert personal_model_names() == ()
    assert not user_models_dir().exists() or not any(user_models_dir().iterdir())


def test_closing_the_dialog_leaves_the_fine_tune_running_with_progress_in_the_status_bar(
    qtbot, window, store, dense_only
):
    fill_store(store, 1)
    handwriting = window.handwriting
    dialog = FineTuneDialog(
        handwriting.library,
        window,
        functools.partial(fine_tune, bundled_dir=dense_only),
        job=handwriting.fine_tune_job,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_samples(qtbot, handwriting.library)
    assert "does not stop it" in dialog.intro.text()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=FINE_TUNE_TIMEOUT_MS)

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closes it, as the title bar's X does

    assert not dialog.isVisible()
    assert handwriting.fine_tune_job.is_running()
    bar = handwriting.fine_tune_progress
    assert bar.isVisible()
    seen: list[int] = []
    bar.valueChanged.connect(seen.append)
    with qtbot.waitSignal(handwriting.modelsReloaded, timeout=FINE_TUNE_TIMEOUT_MS):
        pass
    assert seen
    assert seen == sorted(seen)
    assert personal_model_names() == ("dense",)
    assert titles(window)["dense"] == "Dense (yours)"
    assert window.statusBar().currentMessage() == "Fine-tuned: now reading with Dense (yours)"
    qtbot.waitUntil(lambda: not bar.isVisible())

    reopened = window.handwriting.show_fine_tune_dialog()
    assert not reopened.is_running()


def test_a_real_fine_tune_runs_in_the_background_then_the_window_reads_with_yours(
    qtbot, window, store, dense_only
):
    fill_store(store, 1)
    dialog = FineTuneDialog(
        window.handwriting.library, window, functools.partial(fine_tune, bundled_dir=dense_only)
    )
    qtbot.addWidget(dialog)
    dialog.modelsChanged.connect(window.handwriting.reload_models)
    dialog.show()
    shown: list[int] = []
    dialog.progress.valueChanged.connect(shown.append)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

    # The window keeps drawing and reading while the worker trains.
    mouse_stroke(qtbot, window.canvas, FOUR_CURVED[0])
    mouse_stroke(qtbot, window.canvas, FOUR_CURVED[1])
    assert dialog.is_running()
    bundled_reading = window.prediction().answers["dense"].digit  # a 9 for the shipped model
    with qtbot.waitSignal(window.handwriting.modelsReloaded, timeout=FINE_TUNE_TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: not dialog.is_running())

    assert shown == sorted(shown)
    assert len(set(shown)) > 10
    assert shown[-1] == 1000
    assert [row[0] for row in _table(dialog)] == ["Dense (yours)"]
    assert "\N{RIGHTWARDS ARROW}" in _table(dialog)[0][1]
    assert "3-fold cross-validation on 10 samples" in dialog.note.text()
    assert personal_model_names() == ("dense",)
    assert titles(window)["dense"] == "Dense (yours)"
    assert "Dense (yours)" in headline_choices(window)
    assert window.results.panels["dense"].bars.is_choosable(), "corrections still work"
    assert window.prediction().answers["dense"].digit == 4, "yours reads this hand's 4"
    assert window.handwriting.actions.use_originals.isEnabled()

    answer_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    window.handwriting.actions.use_originals.trigger()

    assert personal_model_names() == ()
    assert titles(window)["dense"] == "Dense"
    assert "Dense (yours)" not in headline_choices(window)
    assert window.prediction().answers["dense"].digit == bundled_reading
    assert not window.handwriting.actions.use_originals.isEnabled()


@pytest.mark.slow
def test_fine_tuning_both_models_from_the_menu(qtbot, window, store):
    fill_store(store, 5)  # as the issue measures: 5 of each digit
    window.handwriting.actions.fine_tune.trigger()
    dialog = window.handwriting.show_fine_tune_dialog()

    start_and_wait(qtbot, dialog)

    assert [row[0] for row in _table(dialog)] == ["CNN (yours)", "Dense (yours)"]
    assert titles(window) == {
        "dense": "Dense (yours)",
        "cnn": "CNN (yours) \N{MIDDLE DOT} headline",
    }
    # This hand's 4 (curved top) reads as a 9 to the bundled models, as a 4 to "yours".
    rng = random.Random(5)
    reads = [_reads(window, wobbly(4, rng)) for _ in range(10)]
    assert sum(read["cnn"] == 4 for read in reads) >= 8, reads
    assert sum(read["dense"] == 4 for read in reads) >= 6, reads


def _reads(window, strokes) -> dict[str, int]:
    prediction = window.recognizer().predict_strokes(strokes)
    return {name: answer.digit for name, answer in prediction.answers.items()}


def _table(dialog: FineTuneDialog) -> list[list[str]]:
    table = dialog.results
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]
