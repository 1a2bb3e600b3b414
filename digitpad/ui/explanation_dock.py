"""The "Why?" dock: explains the answer on screen after each stroke, on a worker thread.

It listens to the window's predictions and explains only committed content (a stroke
that ended, an undo, an opened picture), never a stroke in progress, and only while it
is shown. It also lays the chosen model's heat map over the canvas.

It never sets a minimum size: it asks the window for the room its panel needs, up to
``MAX_WINDOW_SHARE`` of the window's height, and scrolls beyond that, so it fits a
1366 x 768 screen (or an 800 x 600 window) with the canvas still usable, and closing it
gives the canvas its room back.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import QRectF, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QWidget,
)

from digitpad.core import Explainer, Prediction, heat_map_rgba, place_field, preferred_model
from digitpad.ui.canvas import SCENE_SIZE, DrawingCanvas
from digitpad.ui.explanation_panel import ExplanationPanel
from digitpad.ui.explanation_runner import ExplanationResult, ExplanationRunner
from digitpad.ui.qimage_convert import pil_to_qimage, qimage_to_rgba_array
from digitpad.ui.saliency_overlay import SaliencyOverlay

NO_OVERLAY = ""
MAX_WINDOW_SHARE = 0.45  # of the window's height the panel may claim before it scrolls
PREPARING = "Finding each model's view of the training digits (first time only, a few seconds)…"
HINT = "Hover over any part for what it shows."


class ExplanationDock(QDockWidget):
    """Every model's explanation of the current drawing, and its heat map on the canvas.

    Parameters
    ----------
    display_names
        Model name -> name shown, in display order.
    explainer
        Explains the models the window's recogniser loaded.
    canvas
        The window's canvas: its content is what gets explained, and the overlay sits on it.
    """

    def __init__(
        self,
        display_names: dict[str, str],
        explainer: Explainer,
        canvas: DrawingCanvas,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Why?", parent)
        self.setObjectName("explanations")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self._canvas = canvas
        self._model_input: np.ndarray | None = None
        self._result: ExplanationResult | None = None
        self.overlay = SaliencyOverlay(canvas)
        self.overlay_choice = QComboBox()
        self.overlay_choice.setToolTip("Whose heat map to lay over your drawing on the canvas")
        self.runner = ExplanationRunner(explainer, self)
        self.runner.ready.connect(self._on_ready)
        self.runner.failed.connect(self._on_failed)
        self.panel = self._make_panel(display_names, explainer)
        self.overlay_choice.currentIndexChanged.connect(self._on_overlay_choice_changed)

    def _make_panel(self, display_names: dict[str, str], explainer: Explainer) -> ExplanationPanel:
        panel = ExplanationPanel(display_names)
        # The canvas shows the heat map of the model the window headlines by default.
        metadata = [m.metadata for m in explainer.models if m.metadata is not None]
        preferred = preferred_model(metadata) or NO_OVERLAY
        with QSignalBlocker(self.overlay_choice):
            self.overlay_choice.clear()
            self.overlay_choice.addItem("none", NO_OVERLAY)
            for name, shown in display_names.items():
                self.overlay_choice.addItem(shown, name)
            self.overlay_choice.setCurrentIndex(max(0, self.overlay_choice.findData(preferred)))
        overlay_label = QLabel("Heat map on the canvas:")
        overlay_label.setBuddy(self.overlay_choice)
        panel.header.addWidget(overlay_label)
        panel.header.addWidget(self.overlay_choice)
        # All of it in view where the screen has room; on a small screen it scrolls rather
        # than clipping the layers.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        self.setWidget(scroll)
        panel.layers_toggle.toggled.connect(self._on_layers_toggle_toggled)
        return panel

    def _claim_room(self) -> None:
        """Ask the window for the panel's height (it grows with the first explanation and
        with the inner layers), up to ``MAX_WINDOW_SHARE`` of the window's; the rest
        scrolls. A request, not a minimum: the window never has to grow for it."""
        window = self.parentWidget()
        if not isinstance(window, QMainWindow) or self.isFloating() or not self.isVisible():
            return
        scroll = self.widget()
        if not isinstance(scroll, QScrollArea):
            return
        frame = self.height() - scroll.height()  # the title bar
        wanted = self.panel.sizeHint().height() + frame
        if self.panel.sizeHint().width() > scroll.width():  # room for the scroll bar
            wanted += scroll.horizontalScrollBar().sizeHint().height()
        height = min(wanted, int(window.height() * MAX_WINDOW_SHARE))
        window.resizeDocks([self], [height], Qt.Orientation.Vertical)

    def _on_layers_toggle_toggled(self) -> None:
        QTimer.singleShot(0, self, self._claim_room)  # once the layout has taken them in

    def set_models(self, display_names: dict[str, str], explainer: Explainer) -> None:
        """Explain other models from now on (the window's recogniser was replaced)."""
        self.runner.cancel()
        self.runner.explainer = explainer
        self._result = None
        self.overlay.set_heat_map(None)
        self.overlay_choice.setParent(None)  # kept: the old panel is deleted with its widgets
        old = self.widget()
        self.panel = self._make_panel(display_names, explainer)
        old.deleteLater()

    # ----- inputs from the window ---------------------------------------------------
    def show_prediction(self, prediction: Prediction) -> None:
        """Explain ``prediction``'s input once the stroke that made it has ended."""
        if self._canvas.is_drawing():
            return  # live feedback while drawing: explained when the stroke ends
        self._model_input = prediction.model_input
        if self.isVisible():
            self._request()

    def drawing_started(self) -> None:
        """A stroke is under way: what is shown no longer matches the canvas."""
        if self.runner.is_busy():
            self.runner.cancel()
        if self.overlay.has_heat_map():
            self.overlay.set_heat_map(None)

    def result(self) -> ExplanationResult | None:
        """The explanation on screen, if any."""
        return self._result

    # ----- work ---------------------------------------------------------------------
    def _request(self) -> None:
        self.overlay.set_heat_map(None)
        if self._model_input is None:
            self.runner.cancel()
            self._result = None
            self.panel.show_explanations(None, {})
            self.panel.set_status("Draw a digit to see why the models read it as they do.")
            return
        if not self.runner.explainer.is_prepared():
            self.panel.set_status(PREPARING)
        self.runner.request(self._model_input)

    def _on_ready(self, result: ExplanationResult) -> None:
        self._result = result
        self.panel.show_explanations(result.model_input, result.explanations)
        # Once the layout has taken in the layers just shown (posted layout events).
        QTimer.singleShot(0, self, self._claim_room)
        took = f"Explained in {result.seconds * 1000:.0f} ms"
        if result.preparing_seconds >= 0.1:
            took += f" (after indexing the training digits: {result.preparing_seconds:.1f} s)"
        self.panel.set_status(f"{took}. {HINT}")
        self._update_overlay()

    def _on_failed(self, reason: str) -> None:
        self._result = None
        self.panel.set_status(f"Could not explain this drawing: {reason}")

    def _on_overlay_choice_changed(self) -> None:
        self._update_overlay()

    def _update_overlay(self) -> None:
        name = str(self.overlay_choice.currentData())
        result = self._result
        explanation = None if result is None else result.explanations.get(name)
        if result is None or explanation is None or not self.isVisible():
            self.overlay.set_heat_map(None)
            return
        bitmap = self._canvas.render_bitmap()
        placement = place_field(result.model_input, qimage_to_rgba_array(bitmap))
        if placement is None:
            self.overlay.set_heat_map(None)
            return
        per_pixel = SCENE_SIZE / bitmap.height()  # scene units per bitmap pixel (it may be wide)
        left, top, side, _ = placement.field_rect()
        rect = QRectF(left * per_pixel, top * per_pixel, side * per_pixel, side * per_pixel)
        image = pil_to_qimage(Image.fromarray(heat_map_rgba(explanation.saliency), "RGBA"))
        self.overlay.set_heat_map(image, rect)

    # ----- visibility ---------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            QTimer.singleShot(0, self, self._claim_room)
            self._request()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():
            self.runner.cancel()
            self.overlay.set_heat_map(None)
