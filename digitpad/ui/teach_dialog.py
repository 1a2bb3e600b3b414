""" "Teach me your handwriting": asks for each digit a few times, in a random order.

Every drawing goes straight into your samples, so closing the dialog loses nothing; the
next session asks only for what is still missing (``TeachingPlan.from_counts``).
"""

from __future__ import annotations

import random

from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import Sample, SampleError
from digitpad.ui.accessibility import announce_to_screen_readers
from digitpad.ui.canvas import SCENE_SIZE, DrawingCanvas
from digitpad.ui.sample_library import SampleLibrary
from digitpad.ui.settings import AppSettings
from digitpad.ui.teaching_plan import DEFAULT_REPEATS, MAX_REPEATS, TeachingPlan
from digitpad.ui.verdict import a_digit

CANVAS_SIDE = 300


class OneDigitCanvas(DrawingCanvas):
    """The canvas for one digit at a time: it stays square (never grows for a number)."""

    def scene_rect(self) -> QRectF:
        return QRectF(0.0, 0.0, SCENE_SIZE, SCENE_SIZE)


class TeachDialog(QDialog):
    """A guided session: "Draw a 4 — 12 of 50", with Next, Skip, Undo and Finish.

    Signals
    -------
    fineTuneRequested
        The session is complete and the person asked to fine-tune now.
    """

    fineTuneRequested = Signal()

    def __init__(
        self,
        library: SampleLibrary,
        settings: AppSettings,
        parent: QWidget | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Teach Me Your Handwriting")
        self._library = library
        self._settings = settings
        self._rng = rng or random.Random()
        self._kept: list[Sample] = []  # this session's samples, for Undo

        self.prompt = QLabel()
        font = QFont(self.prompt.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.prompt.setFont(font)
        self.prompt.setAccessibleName("What to draw")
        self.progress_text = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Teaching progress")
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.canvas = OneDigitCanvas()
        self.canvas.setMinimumSize(CANVAS_SIDE, CANVAS_SIDE)
        self.canvas.setAccessibleDescription("Draw the digit asked for above.")
        self.repeats = QSpinBox()
        self.repeats.setRange(1, MAX_REPEATS)
        self.repeats.setValue(settings.teach_repeats(DEFAULT_REPEATS))
        self.repeats.setSuffix(" times")
        self.repeats.setAccessibleName("How many times to ask for each digit")
        repeats_label = QLabel("Ask for each digit")
        repeats_label.setBuddy(self.repeats)

        self.next_button = QPushButton("&Next")
        self.next_button.setToolTip("Keep this drawing and ask for the next digit (Enter)")
        self.next_button.setDefault(True)
        self.skip_button = QPushButton("S&kip")
        self.skip_button.setToolTip("Leave this digit out for now")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setToolTip("Take back the last drawing kept (or skip) and ask again")
        self.fine_tune_button = QPushButton("&Fine-Tune Now…")
        self.fine_tune_button.setToolTip("Train both models on your samples")
        self.finish_button = QPushButton("&Finish")
        self.finish_button.setToolTip("Stop here; your drawings are kept and you can go on later")
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setToolTip("Start this drawing again")

        self._build_layout(repeats_label)
        self._connect()
        self.plan = self._new_plan()
        self._plan_knew_samples = library.is_loaded()
        self._show_prompt()
        library.changed.connect(self._on_library_changed)
        library.reload()
        self.canvas.setFocus()  # draw, then Enter: no clicking around between digits

    def _build_layout(self, repeats_label: QLabel) -> None:
        top = QHBoxLayout()
        top.addWidget(self.prompt, 1)
        top.addWidget(self.progress_text)
        repeats_row = QHBoxLayout()
        repeats_row.addWidget(repeats_label)
        repeats_row.addWidget(self.repeats)
        repeats_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.fine_tune_button)
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.feedback)
        layout.addLayout(repeats_row)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.canvas.changed.connect(self._update_buttons)
        self.next_button.clicked.connect(self.keep_drawing)
        self.skip_button.clicked.connect(self.skip)
        self.undo_button.clicked.connect(self.undo)
        self.finish_button.clicked.connect(self.accept)
        self.fine_tune_button.clicked.connect(self._on_fine_tune_clicked)
        self.repeats.valueChanged.connect(self._on_repeats_changed)
        self.clear_button.clicked.connect(self.canvas.clear)

    def _new_plan(self) -> TeachingPlan:
        return TeachingPlan.from_counts(self._library.counts(), self.repeats.value(), self._rng)

    # ----- the session ------------------------------------------------------------------
    def keep_drawing(self) -> Sample | None:
        """Keep the canvas as a sample of the digit asked for and ask for the next."""
        digit = self.plan.current
        if digit is None or self.canvas.is_empty():
            return None
        try:
            sample = self._library.keep_canvas(digit, self.canvas)
        except SampleError as error:
            self.feedback.setText(f"Could not keep that drawing \N{EM DASH} {error}")
            return None
        self.plan.keep()
        self._kept.append(sample)
        self.feedback.setText(f"Kept your {digit}.")
        self._next()
        return sample

    def skip(self) -> None:
        if self.plan.current is None:
            return
        digit = self.plan.skip()
        self.feedback.setText(f"Skipped the {digit}; a later session asks for it again.")
        self._next()

    def undo(self) -> None:
        """Ask again for the digit last kept (removing that sample) or skipped."""
        if not self.plan.can_undo():
            return
        action, digit = self.plan.undo()
        if action == "kept":
            sample = self._kept.pop()
            failures = self._library.remove([sample])
            self.feedback.setText(
                f"Could not remove that {digit} \N{EM DASH} {failures[0]}"
                if failures
                else f"Removed your last {digit}; draw it again."
            )
        else:
            self.feedback.setText(f"Back to the {digit} you skipped.")
        self._next()

    def _next(self) -> None:
        self.canvas.clear()
        self._show_prompt()
        self.canvas.setFocus()

    def _show_prompt(self) -> None:
        plan = self.plan
        self.progress.setRange(0, plan.total)
        self.progress.setValue(plan.total - len(plan.prompts))
        if plan.current is None:
            self.prompt.setText("All done \N{EM DASH} thank you!")
            self.progress_text.setText(f"{plan.kept} of {plan.total} kept")
            message = (
                f"You have {plan.repeats} of every digit. Fine-tune the models on them now, "
                "or raise the count to teach more."
                if plan.kept == plan.total
                else "Skipped digits come back in your next session."
            )
            self.feedback.setText(message)
        else:
            self.prompt.setText(f"Draw {a_digit(plan.current)}")
            self.progress_text.setText(f"{plan.position} of {plan.total}")
        self.canvas.setEnabled(plan.current is not None)
        announce_to_screen_readers(self.prompt, self.title_text())
        self._update_buttons()

    def title_text(self) -> str:
        """The prompt and the count, as one line ("Draw a 4 — 12 of 50")."""
        return f"{self.prompt.text()} \N{EM DASH} {self.progress_text.text()}"

    def _update_buttons(self) -> None:
        asking = self.plan.current is not None
        self.next_button.setEnabled(asking and not self.canvas.is_empty())
        self.skip_button.setEnabled(asking)
        self.clear_button.setEnabled(not self.canvas.is_empty())
        self.undo_button.setEnabled(self.plan.can_undo())
        self.fine_tune_button.setVisible(not asking)
        self.finish_button.setText("&Close" if not asking else "&Finish")

    # ----- handlers ---------------------------------------------------------------------
    def _on_library_changed(self) -> None:
        # The first read of the store came in: plan with what is there, unless the
        # session has begun (its drawings are counted then).
        if self._plan_knew_samples or not self._library.is_loaded():
            return
        self._plan_knew_samples = True
        if self.plan.kept == 0 and not self.plan.can_undo():
            self.plan = self._new_plan()
            self._show_prompt()

    def _on_repeats_changed(self, repeats: int) -> None:
        self._settings.set_teach_repeats(repeats)
        self.plan = self._new_plan()
        self._kept.clear()  # Undo stays within a plan
        self._show_prompt()

    def _on_fine_tune_clicked(self) -> None:
        self.accept()
        self.fineTuneRequested.emit()
