"""The right-hand side of the window: the headline answer, one panel per model, and
what the models see."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.core import Prediction
from digitpad.ui.accessibility import announce_to_screen_readers
from digitpad.ui.model_input_view import ModelInputView
from digitpad.ui.probability_panel import ProbabilityPanel
from digitpad.ui.verdict import (
    disagreement_text,
    headline_text,
    rejecting_model,
    spoken_summary,
)

SEEN_NOTE = (
    "The picture scaled to 28 x 28 pixels and centred, the way the MNIST digits the models "
    "learned from were prepared."
)


class ResultsPane(QWidget):
    """Shows a ``Prediction``: the headline model's answer, every model's bars, the input.

    Parameters
    ----------
    display_names
        Model name -> name shown (``{"dense": "Dense", "cnn": "CNN"}``), in display order.
    """

    def __init__(self, display_names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._display_names = dict(display_names)
        self._prediction = Prediction(model_input=None)
        self._headline_model = next(iter(self._display_names), "")
        self._show_all = True
        self.setAccessibleName("Results")

        self.headline = QLabel()
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("Answer")
        self.disagreement = QLabel()
        self.disagreement.setWordWrap(True)
        self.disagreement.setAccessibleName("Disagreement")
        self.panels = {name: ProbabilityPanel(shown) for name, shown in display_names.items()}
        self.model_input_view = ModelInputView()
        self._build_layout()
        self.set_prediction(self._prediction, announce=False)

    def _build_layout(self) -> None:
        panels_row = self._panels_row = QHBoxLayout()
        panels_row.setSpacing(10)
        for panel in self.panels.values():
            panels_row.addWidget(panel, 1)
        caption = QLabel("What the models see")
        caption.setBuddy(self.model_input_view)
        note = QLabel(SEEN_NOTE)
        note.setWordWrap(True)
        note.setEnabled(False)  # the palette's dimmer text: an explanation, not a result
        seen_text = QVBoxLayout()
        seen_text.addWidget(caption)
        seen_text.addWidget(note)
        seen_text.addStretch(1)
        seen_row = QHBoxLayout()
        seen_row.addWidget(self.model_input_view)
        seen_row.addLayout(seen_text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addWidget(self.disagreement)
        layout.addLayout(panels_row)
        layout.addSpacing(6)
        layout.addLayout(seen_row)
        layout.addStretch(1)

    def prediction(self) -> Prediction:
        return self._prediction

    def set_prediction(self, prediction: Prediction, announce: bool = False) -> None:
        """Show ``prediction``; ``announce`` also reads it out to screen readers."""
        self._prediction = prediction
        for name, panel in self.panels.items():
            panel.set_prediction(prediction.answers.get(name), prediction.errors.get(name))
        self.model_input_view.set_model_input(prediction.model_input)
        self._update_headline()
        summary = spoken_summary(prediction, self._display_names)
        self.setAccessibleDescription(summary)
        if announce:
            announce_to_screen_readers(self, summary)

    def set_display_names(self, display_names: dict[str, str]) -> None:
        """Show another set of models (after the recogniser was reloaded).

        Panels of models still there are renamed and kept, so whatever is connected to
        them stays connected; panels of models gone are removed, new models get one.
        """
        for name in self.panels.keys() - display_names.keys():
            self.panels.pop(name).deleteLater()
        for name, shown in display_names.items():
            if name in self.panels:
                self.panels[name].set_display_name(shown)
            else:
                self.panels[name] = ProbabilityPanel(shown)
                self._panels_row.addWidget(self.panels[name], 1)
        self._display_names = dict(display_names)
        self.set_prediction(self._prediction)
        self._update_visibility()

    def set_headline_model(self, name: str) -> None:
        """Make ``name``'s answer the headline (and its panel the one kept when alone)."""
        self._headline_model = name
        self._update_headline()
        self._update_visibility()

    def set_show_all(self, show_all: bool) -> None:
        """Show every model's panel, or only the headline model's."""
        self._show_all = show_all
        self._update_visibility()

    def _update_headline(self) -> None:
        name = self._headline_model
        if not self._display_names:
            self.headline.setText("No model is loaded")
        elif self._prediction.nothing_drawn:
            self.headline.setText(headline_text(None, ""))
        elif name in self._prediction.errors:
            shown = self._display_names.get(name, name)
            self.headline.setText(f"{shown} gave no answer for this drawing")
        else:
            speaker = rejecting_model(self._prediction, name) or name
            answer = self._prediction.answers.get(speaker)
            self.headline.setText(headline_text(answer, self._display_names.get(speaker, speaker)))
        disagreement = disagreement_text(self._prediction, self._display_names)
        self.disagreement.setText(disagreement)
        self.disagreement.setVisible(bool(disagreement))
        for panel_name, panel in self.panels.items():
            panel.set_headline(panel_name == name)

    def _update_visibility(self) -> None:
        for name, panel in self.panels.items():
            panel.setVisible(self._show_all or name == self._headline_model)
