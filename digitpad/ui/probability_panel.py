"""One model's answer: its name, its top digit large with the confidence, and ten bars."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.core import ModelPrediction
from digitpad.ui.probability_bars import ProbabilityBars
from digitpad.ui.verdict import confidence_text, digit_text, is_unsure

NO_ANSWER_DIGIT = "\N{EN DASH}"
NO_ANSWER_TEXT = "no answer yet"
_SHOWN_REASON = 60  # characters of a model's error on the panel; the tooltip has it all


class ProbabilityPanel(QFrame):
    """Shows one model's prediction; ``set_prediction(None)`` empties it."""

    def __init__(self, display_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._display_name = display_name
        self._prediction: ModelPrediction | None = None
        self._error: str | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self._title = QLabel(display_name)
        title_font = QFont(self._title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self._title.setFont(title_font)

        self._digit = QLabel(NO_ANSWER_DIGIT)
        digit_font = QFont(self._digit.font())
        digit_font.setPointSizeF(digit_font.pointSizeF() * 3.6)
        digit_font.setBold(True)
        self._digit.setFont(digit_font)
        self._digit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._digit.setMinimumWidth(self._digit.fontMetrics().horizontalAdvance("8?") + 4)
        self._confidence = QLabel(NO_ANSWER_TEXT)

        self.bars = ProbabilityBars()

        heading = QVBoxLayout()
        heading.addWidget(self._title)
        heading.addWidget(self._confidence)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self._digit)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.bars)
        self.setAccessibleName(f"{display_name} model result")
        self._update_text()

    def title(self) -> str:
        return self._title.text()

    def prediction(self) -> ModelPrediction | None:
        return self._prediction

    def digit_text(self) -> str:
        """The large digit as shown (``7``, ``7?`` or a dash)."""
        return self._digit.text()

    def confidence_text(self) -> str:
        return self._confidence.text()

    def set_display_name(self, display_name: str) -> None:
        """Rename the panel, e.g. when a personal model replaces the bundled one."""
        self._display_name = display_name
        self._title.setText(display_name)
        self.setAccessibleName(f"{display_name} model result")
        self._update_text()

    def set_headline(self, is_headline: bool) -> None:
        """Mark this panel as the one whose answer is the window's headline."""
        title = f"{self._display_name} \N{MIDDLE DOT} headline" if is_headline else None
        self._title.setText(title or self._display_name)

    def error(self) -> str | None:
        """Why the model gave no answer for this picture, if it failed."""
        return self._error

    def set_prediction(self, prediction: ModelPrediction | None, error: str | None = None) -> None:
        """Show a model's answer, or the empty state for None (nothing drawn); ``error``
        says why the model gave no answer for this picture (its output was unusable)."""
        self._prediction = prediction
        self._error = error if prediction is None else None
        self.bars.set_probabilities(None if prediction is None else prediction.probabilities)
        self.bars.set_greyed(prediction is not None and not prediction.is_digit)
        self._update_text()

    def _update_text(self) -> None:
        answer = self._prediction
        self._confidence.setToolTip(self._error or "")
        if answer is None and self._error is not None:
            self._digit.setText(NO_ANSWER_DIGIT)
            shown = self._error
            if len(shown) > _SHOWN_REASON:
                shown = shown[: _SHOWN_REASON - 1] + "\N{HORIZONTAL ELLIPSIS}"
            self._confidence.setText(f"no answer: {shown}")
            description = f"{self._display_name}: no answer, the model {self._error}."
        elif answer is None:
            self._digit.setText(NO_ANSWER_DIGIT)
            self._confidence.setText(NO_ANSWER_TEXT)
            description = f"{self._display_name}: no answer yet."
        else:
            self._digit.setText(digit_text(answer))
            self._confidence.setText(confidence_text(answer))
            said = f"{answer.digit}, " if answer.is_digit else ""
            description = f"{self._display_name}: {said}{confidence_text(answer)}."
        # No answer or an unsure one is drawn in the palette's dimmer, disabled text colour.
        self._digit.setEnabled(answer is not None and answer.is_digit and not is_unsure(answer))
        self._digit.setAccessibleName(f"{self._display_name} answer")
        self._digit.setAccessibleDescription(description)
        self.setAccessibleDescription(description)
