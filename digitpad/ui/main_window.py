"""The window a person uses: canvas, every loaded model's answer, what the models see.

It owns no recognition logic: it renders the canvas to a bitmap, hands it to the
recogniser it was given, and shows the ``Prediction`` that comes back.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QRectF, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import (
    ImageLoadError,
    ModelPrediction,
    NumberReading,
    Prediction,
    Recognizer,
    preferred_model,
)
from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.canvas_layout import AnswersArea, CanvasBesideLayout
from digitpad.ui.handwriting import Handwriting, WindowParts
from digitpad.ui.icons import app_icon
from digitpad.ui.image_saving import save_png_atomically
from digitpad.ui.message_banner import MessageBanner
from digitpad.ui.number_view import NumberView, PictureJob
from digitpad.ui.picture_loader import PictureLoader, read_picture
from digitpad.ui.picture_reader import PictureReader
from digitpad.ui.region_selector import RegionSelector
from digitpad.ui.results_pane import ResultsPane
from digitpad.ui.settings import AppSettings, ResultsView
from digitpad.ui.tool_rows import FocusableToolBar, FocusSlider, ToolbarWrapping
from digitpad.ui.window_actions import build_actions

if TYPE_CHECKING:  # built or opened when first wanted, not at start-up
    from digitpad.core.explain import Explainer
    from digitpad.ui.about_dialog import AboutDialog
    from digitpad.ui.explanation_dock import ExplanationDock
    from digitpad.ui.models_dialog import ModelsDialog
    from digitpad.ui.robustness_dialog import RobustnessDialog
    from digitpad.ui.shortcuts_dialog import ShortcutsDialog

LIVE_PREDICTION_INTERVAL_MS = 70
OPEN_FILTER = (
    "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.pgm *.ppm *.pbm *.ico);;"
    "All files (*)"
)


def _picture_prediction(reading: NumberReading) -> Prediction:
    """What the bars show for a picture of one digit or none: the one reading
    ``digitpad predict`` gives too (its lone digit), or nothing."""
    lone = reading.lone_digit()
    return lone if lone is not None else Prediction(model_input=None, answers={})


class MainWindow(QMainWindow):
    """digitpad's main window.

    Parameters
    ----------
    recognizer
        Built once by the entry point; the only way the window reaches the models.
    settings
        Where the headline model, the results view, brush size and recent files live.

    Signals
    -------
    predictionChanged(Prediction)
        A new prediction is on screen (live while drawing, and after every change).
    pictureRead()
        A picture's reading, made on a worker thread, is on screen.
    """

    predictionChanged = Signal(object)
    pictureRead = Signal()

    def __init__(
        self, recognizer: Recognizer, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._recognizer = recognizer
        self._settings = settings
        self.setWindowTitle("digitpad")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.canvas = DrawingCanvas()
        self.canvas.set_brush_size(settings.brush_size())
        self.banner = MessageBanner()
        self.results = ResultsPane(self._display_names)
        self.number = NumberView(self._display_names, self.canvas)
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(LIVE_PREDICTION_INTERVAL_MS)

        self._preparing_explanations = False
        self.commands = build_actions(self, self._display_names)
        self._explanations: ExplanationDock | None = None  # built when first wanted
        self.robustness: RobustnessDialog | None = None  # made when first opened
        self.brush_slider = FocusSlider(Qt.Orientation.Horizontal)
        self._build_layout()
        self._build_toolbar()
        self.handwriting = Handwriting(
            self,
            WindowParts(
                self.canvas,
                self.banner,
                self.results,
                self.number,
                self.commands.help_menu,
                self.set_recognizer,
            ),
            settings,
        )
        self._restore_choices()
        self._connect()
        self._build_picture_loading()
        self._build_part_reading()
        self._update_edit_actions()
        self._report_load_failures()
        geometry = settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1000, 640)

    # ----- construction -------------------------------------------------------------
    def _build_layout(self) -> None:
        central = QWidget()
        body = CanvasBesideLayout(self.canvas, self.canvas.scene_aspect, central)
        body.setContentsMargins(12, 8, 12, 12)
        body.setSpacing(16)
        answers = QWidget()
        column = QVBoxLayout(answers)  # a written number's reading above the digit's answers
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.number)
        column.addWidget(self.results, 1)
        self.answers = AnswersArea(answers)
        body.set_answers(self.answers)
        self.canvas.sceneResized.connect(body.follow_scene)
        self.setCentralWidget(central)
        self.banner.float_over(self.canvas)  # over it: never pushes it, answers stay seen
        self.statusBar()

    def _build_toolbar(self) -> None:
        """Three short toolbars (files and editing, drawing, view) that wrap into rows."""
        a = self.commands
        toolbar = FocusableToolBar("Files and Editing", "edit")
        toolbar.addActions([a.open, a.save])
        toolbar.addSeparator()
        toolbar.addActions([a.undo, a.redo, a.clear])
        self.addToolBar(toolbar)
        rows = [toolbar]
        toolbar = FocusableToolBar("Drawing", "drawing")
        toolbar.addActions([a.pen, a.eraser])
        brush_label = QLabel(" Brush ")
        toolbar.addWidget(brush_label)
        self.brush_slider.setRange(4, 40)
        self.brush_slider.setFixedWidth(110)
        self.brush_slider.setAccessibleName("Brush size")
        self.brush_slider.setToolTip("Brush size")
        brush_label.setBuddy(self.brush_slider)
        toolbar.addWidget(self.brush_slider)
        self.addToolBar(toolbar)
        rows.append(toolbar)
        toolbar = FocusableToolBar("View", "tools")
        toolbar.addWidget(QLabel(" Headline: "))
        toolbar.addActions(a.headline.actions())
        toolbar.addSeparator()
        toolbar.addAction(a.show_all)
        toolbar.addAction(a.explain)
        toolbar.addAction(a.robustness)
        self.addToolBar(toolbar)
        rows.append(toolbar)
        self.toolbar_wrapping = ToolbarWrapping(self, rows)

    def _restore_choices(self) -> None:
        """Set the controls from the settings; runs before ``_connect``, so nothing echoes."""
        self.brush_slider.setValue(round(self.canvas.brush_size()))
        fallback = preferred_model(self._recognizer.model_metadata) or ""
        chosen = self._settings.headline_model(fallback)
        if chosen not in self._display_names:
            chosen = fallback
        for action in self.commands.headline.actions():
            action.setChecked(action.data() == chosen)
        show_all = self._settings.results_view() is ResultsView.ALL
        self.commands.show_all.setChecked(show_all)
        self.results.set_headline_model(chosen)
        self.number.set_headline_model(chosen)
        self.results.set_show_all(show_all)
        self.commands.explain.setChecked(self._settings.explanations_shown())
        if self.commands.explain.isChecked():
            self.explanations.show()

    def _connect(self) -> None:
        a = self.commands
        self.canvas.strokeMoved.connect(self._on_stroke_moved)
        self.canvas.changed.connect(self._on_canvas_changed)
        self._throttle.timeout.connect(self._on_throttle_timeout)
        a.open.triggered.connect(self._on_open_triggered)
        a.save.triggered.connect(self._on_save_triggered)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self._on_undo_triggered)
        self.handwriting.undoChanged.connect(self._update_edit_actions)
        a.redo.triggered.connect(self.canvas.redo)
        a.clear.triggered.connect(self.canvas.clear)
        a.copy_digit.triggered.connect(self._on_copy_triggered)
        a.paste_image.triggered.connect(self._on_paste_triggered)
        a.eraser.toggled.connect(self.canvas.set_eraser)
        a.headline.triggered.connect(self._on_headline_triggered)
        self.number.focusChanged.connect(self._on_number_focus_changed)
        a.show_all.toggled.connect(self._on_show_all_toggled)
        a.explain.toggled.connect(self._on_explain_toggled)
        a.robustness.triggered.connect(self.show_robustness)
        a.models.triggered.connect(self.show_models_dialog)
        a.about.triggered.connect(self.show_about_dialog)
        a.shortcuts.triggered.connect(self.show_shortcuts_dialog)
        a.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        self.brush_slider.valueChanged.connect(self._on_brush_size_changed)

    # ----- state for callers and tests ----------------------------------------------
    def prediction(self) -> Prediction:
        """The prediction on screen."""
        return self.results.prediction()

    def headline_model(self) -> str:
        checked = self.commands.headline.checkedAction()
        return "" if checked is None else str(checked.data())

    def set_headline_model(self, name: str) -> None:
        """Make ``name``'s answer the headline (as the View > Headline Model menu does)."""
        for action in self.commands.headline.actions():
            if action.data() == name:
                action.trigger()
                return
        raise ValueError(f"no loaded model named {name!r}")

    def headline_answer(self) -> ModelPrediction | None:
        return self.prediction().answers.get(self.headline_model())

    def recognizer(self) -> Recognizer:
        return self._recognizer

    @property
    def _display_names(self) -> dict[str, str]:
        """The loaded models' names as shown, by model name (always the recogniser's)."""
        return {m.name: m.display_name for m in self._recognizer.model_metadata}

    def set_recognizer(self, recognizer: Recognizer) -> None:
        """Read with other models from now on (personal ones after fine-tuning, or the
        originals again): panels and headline choices take their names, the canvas is
        read again."""
        self._recognizer = recognizer
        self.results.set_display_names(self._display_names)
        self.number.set_display_names(self._display_names)
        group = self.commands.headline
        known = {str(action.data()): action for action in group.actions()}
        for name, shown in self._display_names.items():
            action = known.get(name)
            if action is None:  # a model the window has not shown before
                action = QAction(shown, self)
                action.setCheckable(True)
                action.setData(name)
                group.addAction(action)
                for shown_in in group.actions()[0].associatedObjects():
                    if isinstance(shown_in, QWidget):
                        shown_in.addAction(action)
            action.setText(shown)
            action.setToolTip(f"Make the {shown} model's answer the headline")
            action.setVisible(True)
        for name, action in known.items():
            action.setVisible(name in self._display_names)
        if self.headline_model() not in self._display_names and self._display_names:
            self.set_headline_model(preferred_model(recognizer.model_metadata) or "")
        if self._explanations is not None:
            self._explanations.set_models(self._display_names, self._explainer())
        if self.robustness is not None:
            self.robustness.set_recognizer(recognizer)
        if self._preparing_explanations:  # a personal model's index, right after it is written
            self.prepare_explanations()
        self.banner.dismiss()
        self._report_load_failures()
        self._read_canvas(announce=False)

    @property
    def explanations(self) -> ExplanationDock:
        """The "Why?" dock, built the first time it is wanted: when it is shown, or when
        the window prepares its indexes just after it is on screen (``app.main``), so
        start-up neither imports the explanations nor builds their panel."""
        if self._explanations is None:
            from digitpad.ui.explanation_dock import ExplanationDock

            dock = ExplanationDock(self._display_names, self._explainer(), self.canvas, self)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
            dock.show_prediction(self.prediction())  # what it would have heard so far
            self.predictionChanged.connect(dock.show_prediction)
            self.canvas.strokeMoved.connect(dock.drawing_started)
            self._explanations = dock
        return self._explanations

    def _explainer(self) -> Explainer:
        from digitpad.core.explain import Explainer

        return Explainer.default(self._recognizer.loaded_models)

    def prepare_explanations(self) -> None:
        """Build the explanations' neighbour indexes in the background from now on, for
        these models and every later set: the first "Why?" then needs no wait."""
        self._preparing_explanations = True
        self.explanations.runner.prepare()

    def _report_load_failures(self) -> None:
        if self._recognizer.failures:
            failed = ", ".join(failure.path.stem for failure in self._recognizer.failures)
            self.banner.show_error(
                f"Could not load the {failed} model(s); Help > Models shows why."
                if self._recognizer.model_metadata
                else "No model could be loaded. Help > Models shows why.",
                lasting=True,
            )

    # ----- prediction ---------------------------------------------------------------
    def _read_canvas(self, announce: bool = True) -> None:
        """Read the canvas and show it: a drawing at once (``predict_now``), a picture on
        a worker thread (``picture_reader``; ``pictureRead`` follows once it is shown)."""
        job = self.number.picture_job()
        if job is None:
            self.predict_now(announce)
            return
        self._throttle.stop()
        self.picture_reader.request(self._recognizer, job, announce)

    def predict_now(self, announce: bool = True) -> Prediction:
        """Predict the canvas as it is (including a stroke in progress) and show it, here
        and now, even a picture (the window reads those on a worker: ``_read_canvas``).

        A drawing is read from its strokes (``Recognizer.predict_strokes``: a pen in
        proportion to the digit, whatever the brush); an opened picture from its pixels.
        """
        self._throttle.stop()
        self.picture_reader.cancel()  # an answer still coming would be older than this one
        started = time.perf_counter()
        strokes = self.canvas.drawing_strokes()
        digit = self.number.read(self._recognizer)  # two digits or more: the focused one
        if digit is not None:
            prediction = digit
        elif strokes is not None:
            prediction = self._recognizer.predict_strokes(strokes)
        else:
            prediction = _picture_prediction(self.number.reading())
        elapsed_ms = (time.perf_counter() - started) * 1000
        self._show_prediction(prediction, announce, elapsed_ms)
        return prediction

    def _on_picture_read(
        self, job: PictureJob, reading: NumberReading, announce: bool, elapsed_ms: float
    ) -> None:
        digit = self.number.show_reading(reading, job.to_scene)
        prediction = digit if digit is not None else _picture_prediction(reading)
        self._show_prediction(prediction, announce, elapsed_ms)
        self.pictureRead.emit()

    def _on_picture_read_failed(self, error: Exception) -> None:
        self.banner.show_error(f"digitpad could not read the picture: {error}")

    def _show_prediction(self, prediction: Prediction, announce: bool, elapsed_ms: float) -> None:
        self.results.set_prediction(prediction, announce)
        self.predictionChanged.emit(prediction)
        if not prediction.nothing_drawn:
            self.statusBar().showMessage(f"Predicted in {elapsed_ms:.0f} ms", 2000)
        elif self.canvas.content.background is not None:
            self.statusBar().showMessage("No ink found in the picture: nothing to read", 5000)
        else:  # an empty canvas: news about what was there is stale
            self.statusBar().clearMessage()

    # ----- files --------------------------------------------------------------------
    def open_image_file(self, path: str | Path) -> bool:
        """Put the image on the canvas and predict it, loading and reading it on this
        thread (scripts and tests; the menus, drops and the command line use
        ``open_image_file_in_background`` instead).

        On failure the banner says why and the drawing stays as it was.
        """
        path = Path(path)
        try:
            picture = read_picture(path)
        except ImageLoadError as error:
            self._on_picture_failed(path, error)
            return False
        self._on_picture_loaded(path, picture)
        self.predict_now()
        return True

    def open_image_file_in_background(self, path: str | Path) -> None:
        """Like ``open_image_file``, with the file loaded and then read on worker threads
        while a busy indicator shows, so a huge photo never freezes the window."""
        self.picture_loader.load(path)

    def _build_picture_loading(self) -> None:
        self.picture_loader = PictureLoader(self)
        self.busy_indicator = QProgressBar()
        self.busy_indicator.setRange(0, 0)  # no known length: a moving bar
        self.busy_indicator.setMaximumWidth(120)
        self.busy_indicator.setAccessibleName("Opening the picture")
        self.busy_indicator.hide()
        self.statusBar().addPermanentWidget(self.busy_indicator)
        self.picture_loader.loaded.connect(self._on_picture_loaded)
        self.picture_loader.failed.connect(self._on_picture_failed)
        self.picture_loader.busyChanged.connect(self._on_busy_changed)
        self.picture_reader = PictureReader(self)
        self.picture_reader.read.connect(self._on_picture_read)
        self.picture_reader.failed.connect(self._on_picture_read_failed)
        self.picture_reader.busyChanged.connect(self._on_busy_changed)

    def _on_busy_changed(self) -> None:
        busy = self.picture_loader.is_busy() or self.picture_reader.is_busy()
        self.busy_indicator.setVisible(busy)

    def _on_picture_loaded(self, path: Path, picture: QImage) -> None:
        self._settings.add_recent_file(path)
        self._set_picture(picture, f"Opened {path.name}")

    def _on_picture_failed(self, path: Path, error: ImageLoadError) -> None:
        self.banner.show_error(f"digitpad can't open {path.name}: {error.reason}.")

    def open_qimage(self, image: QImage, source: str) -> bool:
        """Put a pasted or dropped picture on the canvas (``source`` names it for messages)."""
        if image.isNull() or image.width() == 0 or image.height() == 0:
            self.banner.show_error(f"The {source} holds no usable image.")
            return False
        self._set_picture(image, f"Opened the {source} image")
        return True

    def _set_picture(self, image: QImage, message: str) -> None:
        self.banner.dismiss()
        self._forget_part()  # a box on the last picture means nothing on this one
        self.statusBar().showMessage(message, 4000)  # before predicting: its news comes last
        self.canvas.set_background(image)

    def save_drawing(self, path: str | Path) -> bool:
        """Write the drawing as a PNG (black ink on white) to ``path``, which is overwritten."""
        path = Path(path)
        failure = save_png_atomically(self.canvas.render_bitmap(), path)
        if failure is not None:  # the file that was there is untouched
            self.banner.show_error(f"Could not save the drawing to {path}: {failure}.")
            return False
        self._settings.add_recent_file(path)
        self.banner.dismiss_passing()
        self.statusBar().showMessage(f"Saved {path.name}", 4000)
        return True

    def open_mime_data(self, mime: QMimeData, source: str) -> bool:
        """Open the first local file (loaded and read on workers: a file copied in a file
        manager may be a huge photo) or the image carried by a drop or the clipboard."""
        files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        if files:
            self.open_image_file_in_background(files[0])
            return True
        if mime.hasImage():
            return self.open_qimage(QImage(mime.imageData()), source)
        self.banner.show_error(f"The {source} holds no image or image file.")
        return False

    # ----- dialogs ------------------------------------------------------------------
    def show_models_dialog(self) -> ModelsDialog:
        from digitpad.ui.models_dialog import ModelsDialog

        dialog = ModelsDialog(self._recognizer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_shortcuts_dialog(self) -> ShortcutsDialog:
        from digitpad.ui.shortcuts_dialog import ShortcutsDialog, window_actions_with_keys

        dialog = ShortcutsDialog(window_actions_with_keys(self), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about_dialog(self) -> AboutDialog:
        from digitpad.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self._recognizer.model_metadata, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ----- handlers -----------------------------------------------------------------
    def _on_stroke_moved(self) -> None:
        if not self._throttle.isActive():
            self._throttle.start()

    def _on_throttle_timeout(self) -> None:
        self._read_canvas(announce=False)

    def _on_canvas_changed(self) -> None:
        self.banner.dismiss_passing()  # drawing, clearing, undoing worked: old news goes
        self._update_edit_actions()
        self._read_canvas()

    def _on_undo_triggered(self) -> None:
        """Undo the last thing done: keeping a sample, or else the last canvas change."""
        if not self.handwriting.undo_sample():
            self.canvas.undo()

    def _update_edit_actions(self) -> None:
        sample = self.handwriting.can_undo_sample()
        self.commands.undo.setEnabled(sample or self.canvas.can_undo())
        self.commands.redo.setEnabled(self.canvas.can_redo())
        picture = self.canvas.content.background is not None
        self.read_part.setEnabled(picture)
        self.read_whole.setEnabled(picture and self.number.region() is not None)
        if not picture and self.number.region() is not None:
            self._forget_part()

    # ----- reading a part of a picture ----------------------------------------------
    def _build_part_reading(self) -> None:
        """Edit > Read a Part of the Picture: drag a box; Read the Whole Picture clears it."""
        self.region_selector = RegionSelector(self.canvas)
        self.read_part = QAction("Read a &Part of the Picture", self)
        self.read_part.setCheckable(True)
        self.read_part.setToolTip("Drag a box over the part of the picture to read")
        self.read_whole = QAction("Read the &Whole Picture", self)
        self.read_whole.setToolTip("Read everything in the picture again")
        edit_menu = self.commands.edit_menu
        edit_menu.addSeparator()
        edit_menu.addActions([self.read_part, self.read_whole])
        self.read_part.toggled.connect(self.region_selector.set_choosing)
        self.region_selector.regionChosen.connect(self._on_region_chosen)
        self.read_whole.triggered.connect(self._on_read_whole_triggered)

    def read_part_of_picture(self, region: QRectF | None) -> None:
        """Read only ``region`` (scene units) of the opened picture; None: all of it
        (on a worker thread: ``pictureRead`` follows)."""
        self.region_selector.set_region(region)
        self.number.set_region(region)
        with QSignalBlocker(self.read_part):
            self.read_part.setChecked(False)
        self.region_selector.set_choosing(False)
        self._update_edit_actions()
        self._read_canvas()

    def _on_region_chosen(self, region: QRectF) -> None:
        self.read_part_of_picture(region)
        self.statusBar().showMessage(
            "Reading the part in the box; Edit > Read the Whole Picture undoes it", 5000
        )

    def _on_read_whole_triggered(self) -> None:
        self.read_part_of_picture(None)

    def _forget_part(self) -> None:
        self.region_selector.set_region(None)
        self.number.set_region(None)

    def _on_headline_triggered(self, action: QAction) -> None:
        self._settings.set_headline_model(str(action.data()))
        self.results.set_headline_model(str(action.data()))
        self.number.set_headline_model(str(action.data()))

    def _on_explain_toggled(self, checked: bool) -> None:
        self._settings.set_explanations_shown(checked)
        self.explanations.setVisible(checked)

    def show_robustness(self) -> RobustnessDialog:
        """Open the Robustness window on what is drawn now; it follows the drawing."""
        if self.robustness is None:
            from digitpad.ui.robustness_dialog import RobustnessDialog

            self.robustness = RobustnessDialog(self._recognizer, self)
            self.predictionChanged.connect(self.robustness.show_prediction)
        self.robustness.set_recognizer(self._recognizer)
        self.robustness.show_prediction(self.prediction())
        self.robustness.show()
        self.robustness.raise_()
        self.robustness.activateWindow()
        return self.robustness

    def _on_show_all_toggled(self, checked: bool) -> None:
        self._settings.set_results_view(ResultsView.ALL if checked else ResultsView.HEADLINE_ONLY)
        self.results.set_show_all(checked)

    def _on_brush_size_changed(self, size: int) -> None:
        self.canvas.set_brush_size(size)
        self._settings.set_brush_size(size)

    def _on_number_focus_changed(self, prediction: Prediction) -> None:
        self.results.set_prediction(prediction)
        self.predictionChanged.emit(prediction)

    def _on_copy_triggered(self) -> None:
        number = self.number.number_text(self.headline_model())
        if number:
            QGuiApplication.clipboard().setText(number)
            self.statusBar().showMessage(f"Copied {number}", 3000)
            return
        answer = self.headline_answer()
        if answer is None:
            self.statusBar().showMessage("Nothing to copy yet: draw a digit first", 3000)
            return
        QGuiApplication.clipboard().setText(str(answer.digit))
        self.statusBar().showMessage(f"Copied {answer.digit}", 3000)

    def _on_paste_triggered(self) -> None:
        self.open_mime_data(QGuiApplication.clipboard().mimeData(), "clipboard")

    def _on_open_triggered(self) -> None:
        start = str(self._last_folder())
        path, _ = QFileDialog.getOpenFileName(self, "Open Image", start, OPEN_FILTER)
        if path:
            self.open_image_file_in_background(path)

    def _on_save_triggered(self) -> None:
        if self.canvas.is_empty():
            self.statusBar().showMessage("Nothing to save yet: the canvas is empty", 3000)
            return
        dialog = QFileDialog(self, "Save Drawing", str(self._last_folder() / "digit.png"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PNG image (*.png)")
        # The dialog adds the suffix itself, so its overwrite confirmation sees the real name.
        dialog.setDefaultSuffix("png")
        if dialog.exec() and dialog.selectedFiles():
            self.save_drawing(dialog.selectedFiles()[0])
        dialog.deleteLater()

    def _last_folder(self) -> Path:
        recent = self._settings.recent_files()
        return recent[0].parent if recent else Path.home()

    def _on_recent_menu_about_to_show(self) -> None:
        menu = self.commands.recent_menu
        menu.clear()
        recent = self._settings.recent_files()
        for number, path in enumerate(recent, start=1):
            action = menu.addAction(f"&{number} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_image_file_in_background(p))
        if not recent:
            menu.addAction("No recent files").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("Clear Menu").triggered.connect(self._settings.clear_recent_files)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasImage() or any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        event.acceptProposedAction()
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:  # a dropped file may be huge: read it off the GUI thread
            self.open_image_file_in_background(files[0])
        else:
            self.open_mime_data(event.mimeData(), "dropped")

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.set_window_geometry(self.saveGeometry())
        self._settings.sync()
        if self._explanations is not None:  # the process must not wait for Why?
            self._explanations.runner.shut_down()
        self.picture_loader.shut_down()  # nor for a picture still being loaded
        self.picture_reader.shut_down()  # or read
        super().closeEvent(event)
