""" "Why?": per model, side by side, the heat map, the nearest training digits and the
inner layers, each with a plain-word tooltip.

The heat maps are what a person reads first, so they are large; the inner layers' grids
take the most room and say the least to most people, so they are folded away until asked
for ("Inner layers"), which keeps the panel small enough for a 1366 x 768 screen.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import Explanation, Neighbour, heat_map_over_input
from digitpad.core.explain import AGAINST_ANSWER, FOR_ANSWER
from digitpad.ui.model_input_view import ModelInputView
from digitpad.ui.qimage_convert import gray_array_to_qimage, pil_to_qimage
from digitpad.ui.small_multiples import SmallMultiples
from digitpad.ui.tooltips import wrapped_tip

HEAT_MAP_TIP = (
    "Which parts of your drawing pushed this model toward its answer. Each small patch of "
    "ink was hidden in turn and the answer re-checked: orange ink made the answer more "
    "likely, blue ink argued against it. Brighter means a bigger effect."
)
NEIGHBOURS_TIP = (
    "The five MNIST training digits this model finds most like your drawing, compared by "
    "what the model itself sees in them, not pixel by pixel. If they show another digit, "
    "that is the digit your drawing reminds the model of."
)
# Inner layer -> (caption, tooltip, tiles per row, tile width in pixels).
LAYERS = {
    "conv_1": (
        "Convolution 1: 32 feature maps",
        "The CNN's first layer slides 32 small pattern detectors over the picture (edges "
        "and stroke pieces in different directions). Each tile shows where one detector "
        "found its pattern: bright = strongly.",
        8,
        26,
    ),
    "conv_2": (
        "Convolution 2: 64 feature maps",
        "The CNN's second layer combines the first layer's patterns into bigger ones "
        "(curves, corners, line ends) on a coarser grid. Each tile is one detector.",
        16,
        22,
    ),
    "hidden_1": (
        "Hidden layer 1: 128 units",
        "The dense network's first layer: 128 units, each a weighted sum of all 784 pixels. "
        "One square per unit; bright = strongly active, dark = silent.",
        16,
        13,
    ),
    "hidden_2": (
        "Hidden layer 2: 128 units",
        "The dense network's second layer: 128 units built from the first layer's. The "
        "answer is read from these.",
        16,
        13,
    ),
}
THUMB = 44
HEAT_MAP_SIDE = 168  # 6 screen pixels per input pixel
LAYERS_TIP = "Show each model's inner layers: what its hidden units or feature maps did"


def _dim_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # the palette's dimmer text: an explanation, not a result
    return label


class NeighbourStrip(QWidget):
    """Five reference digits with their labels under them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnails: list[QLabel] = []
        self.captions: list[QLabel] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(0)
        for column in range(5):
            thumbnail = QLabel()
            thumbnail.setFixedSize(QSize(THUMB, THUMB))
            thumbnail.setScaledContents(True)
            caption = QLabel()
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            caption.setFixedHeight(caption.fontMetrics().height() + 2)
            grid.addWidget(thumbnail, 0, column)
            grid.addWidget(caption, 1, column)
            self.thumbnails.append(thumbnail)
            self.captions.append(caption)
        self.setToolTip(wrapped_tip(NEIGHBOURS_TIP))
        self.setAccessibleName("Nearest training digits")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def labels(self) -> list[int]:
        """The labels shown, nearest first."""
        return [int(c.text()) for c in self.captions if c.text()]

    def stressed_labels(self) -> list[int]:
        """The labels set in bold: those that differ from the model's answer."""
        return [int(c.text()) for c in self.captions if c.text() and c.font().bold()]

    def set_neighbours(self, neighbours: tuple[Neighbour, ...], answer: int | None = None) -> None:
        """Show ``neighbours``; a label other than the model's ``answer`` is set in bold,
        since those are the look-alikes that explain a doubt or a mistake."""
        pairs = zip(self.thumbnails, self.captions, strict=True)
        for number, (thumbnail, caption) in enumerate(pairs):
            if number < len(neighbours):
                found = neighbours[number]
                thumbnail.setPixmap(QPixmap.fromImage(gray_array_to_qimage(found.image)))
                caption.setText(str(found.label))
                font = caption.font()
                font.setBold(answer is not None and found.label != answer)
                caption.setFont(font)
                tip = (
                    f"MNIST training digit #{found.index}, labelled {found.label}; "
                    f"distance {found.distance:.2f} in the model's features"
                )
                thumbnail.setToolTip(tip)
                caption.setToolTip(tip)
            else:
                thumbnail.clear()
                caption.clear()
                thumbnail.setToolTip(wrapped_tip(NEIGHBOURS_TIP))
        spoken = ", ".join(str(n.label) for n in neighbours) or "none"
        self.setAccessibleDescription(f"Labels of the nearest training digits: {spoken}")


class ModelExplanationView(QGroupBox):
    """One model's explanation: heat map, neighbours, inner layers, what is missing."""

    def __init__(self, display_name: str, parent: QWidget | None = None) -> None:
        super().__init__(display_name, parent)
        self.display_name = display_name
        self.answer = QLabel()
        font = QFont(self.answer.font())
        font.setBold(True)
        self.answer.setFont(font)
        self.heat_map = ModelInputView()
        self.heat_map.setAccessibleName(f"{display_name} heat map")
        self.heat_map.setToolTip(wrapped_tip(HEAT_MAP_TIP))
        self.heat_map.setFixedSize(QSize(HEAT_MAP_SIDE, HEAT_MAP_SIDE))
        self.neighbours = NeighbourStrip()
        self.layers: dict[str, SmallMultiples] = {}
        self._layer_captions: dict[str, QLabel] = {}
        self.missing = _dim_label()
        self.missing.hide()
        self.layers_box = QWidget()  # folded away until "Inner layers" is checked
        self.layers_box.hide()
        self._layers_row = QHBoxLayout(self.layers_box)
        self._layers_row.setContentsMargins(0, 0, 0, 0)
        self._build_layout()

    def _build_layout(self) -> None:
        heat_caption = QLabel("What it looked at")
        heat_caption.setToolTip(wrapped_tip(HEAT_MAP_TIP))
        neighbours_caption = QLabel("Training digits it finds alike")
        neighbours_caption.setToolTip(wrapped_tip(NEIGHBOURS_TIP))
        grid = QGridLayout()
        grid.addWidget(heat_caption, 0, 0)
        grid.addWidget(neighbours_caption, 0, 1)
        grid.addWidget(self.heat_map, 1, 0, 2, 1)
        grid.addWidget(self.neighbours, 1, 1)
        grid.addWidget(self.answer, 2, 1, Qt.AlignmentFlag.AlignBottom)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.layers_box)
        layout.addWidget(self.missing)
        layout.addStretch(1)

    def set_layers_shown(self, shown: bool) -> None:
        """Unfold or fold the inner layers' grids."""
        self.layers_box.setVisible(shown)

    def _layer(self, name: str) -> SmallMultiples:
        """The small multiples of one inner layer, made the first time it is shown."""
        if name not in self.layers:
            caption, tip, columns, side = LAYERS.get(name, (name, "", 16, 13))
            view = SmallMultiples(columns, side)
            view.setAccessibleName(caption)
            view.setToolTip(wrapped_tip(tip))
            label = QLabel(caption)
            label.setToolTip(wrapped_tip(tip))
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(view, 1)
            column.addStretch(1)
            self._layers_row.addLayout(column)
            self.layers[name] = view
            self._layer_captions[name] = label
        return self.layers[name]

    def set_explanation(
        self, model_input: np.ndarray | None, explanation: Explanation | None
    ) -> None:
        """Show ``explanation`` of ``model_input``, or the empty state for None."""
        if explanation is None or model_input is None:
            self.answer.setText("")
            self.heat_map.set_model_input(None)
            self.neighbours.set_neighbours(())
            for view in self.layers.values():
                view.set_values(None)
            self.missing.hide()
            return
        confidence = explanation.probabilities[explanation.digit]
        self.answer.setText(f"Reads {explanation.digit} ({confidence:.0%})")
        colours = heat_map_over_input(model_input, explanation.saliency)
        self.heat_map.set_image(
            pil_to_qimage(Image.fromarray(colours)),
            f"Heat map of the ink {self.display_name} relied on to read {explanation.digit}.",
        )
        self.neighbours.set_neighbours(explanation.neighbours, explanation.digit)
        for name, values in explanation.activations.items():
            self._layer(name).set_values(values)
        self.missing.setText("\n".join(explanation.missing))
        self.missing.setVisible(bool(explanation.missing))

    def set_unavailable(self, reason: str) -> None:
        """Say why this model has no explanation (it failed on this input)."""
        self.set_explanation(None, None)
        self.missing.setText(reason)
        self.missing.show()


def _legend_html() -> str:
    """ "■ for the answer  ■ against it" in the heat maps' own colours."""
    swatch = '<span style="color: rgb({}, {}, {})">&#9632;</span>'
    return (
        f"Heat maps: {swatch.format(*FOR_ANSWER)} ink for the answer &nbsp; "
        f"{swatch.format(*AGAINST_ANSWER)} ink against it"
    )


class ExplanationPanel(QWidget):
    """Every model's ``ModelExplanationView`` side by side, with one status line."""

    def __init__(self, display_names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = _dim_label("Draw a digit to see why the models read it as they do.")
        self.views = {name: ModelExplanationView(shown) for name, shown in display_names.items()}
        self.legend = QLabel(_legend_html())
        self.legend.setToolTip(wrapped_tip(HEAT_MAP_TIP))
        self.layers_toggle = QToolButton()
        self.layers_toggle.setText("Inner layers")
        self.layers_toggle.setCheckable(True)
        self.layers_toggle.setToolTip(LAYERS_TIP)
        self.layers_toggle.toggled.connect(self._on_layers_toggle_toggled)
        self.header = QHBoxLayout()
        self.header.addWidget(self.status, 1)
        self.header.addWidget(self.legend)
        self.header.addSpacing(16)
        self.header.addWidget(self.layers_toggle)
        self.header.addSpacing(16)
        row = QHBoxLayout()
        for view in self.views.values():
            row.addWidget(view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(self.header)
        layout.addLayout(row)
        self.setAccessibleName("Why the models answered")

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def _on_layers_toggle_toggled(self, shown: bool) -> None:
        for view in self.views.values():
            view.set_layers_shown(shown)

    def show_explanations(
        self, model_input: np.ndarray | None, explanations: dict[str, Explanation]
    ) -> None:
        """Show each model's explanation; a model missing from ``explanations`` failed."""
        for name, view in self.views.items():
            if model_input is None:
                view.set_explanation(None, None)
            elif name in explanations:
                view.set_explanation(model_input, explanations[name])
            else:
                view.set_unavailable("This model could not be explained for this picture.")
