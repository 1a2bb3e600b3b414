"""The drawing surface: mouse, pen tablet (pressure, eraser end) and touch.

Strokes are kept as core ``Stroke`` values in a scene ``SCENE_SIZE`` units high (square for
a digit, wider as a number is written: ``canvas_growth``),
so resizing the window or a high-DPI screen never changes the drawing, and undo/redo
re-renders from the values. The canvas only draws; it knows nothing of the models.

The scene widens only between digits: once the pen has been lifted for
``SCENE_PAUSE_MS`` (never while it is down, nor just after a stroke, when the next stroke
of the same digit may follow), so the drawing never moves or shrinks under the pen.
Clear, undo, redo and opening a picture resize it at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPointingDevice,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core import Point, Stroke, picture_paper
from digitpad.ui.brush_cursor import brush_cursor
from digitpad.ui.canvas_growth import scene_width
from digitpad.ui.canvas_history import CanvasContent, CanvasHistory
from digitpad.ui.canvas_renderings import Renderings
from digitpad.ui.qimage_convert import qimage_to_rgba_array
from digitpad.ui.stroke_render import paint_content, paint_stroke

SCENE_SIZE = 280.0
ERASER_SCALE = 2.0  # the eraser is wider than the brush: rubbing out should be quick
MIN_SAMPLE_DISTANCE = 0.75  # scene units; closer samples add nothing but path length
HINT_TEXT = "Draw a digit"
PAPER = QColor(255, 255, 255)
INK = QColor(0, 0, 0)
MAX_BACKGROUND_SIDE = 1024
# How long the pen stays up before the scene may change shape: longer than the lift
# between two strokes of one digit (a 5's hat, a 7's bar), about the move to the next one.
SCENE_PAUSE_MS = 500


class DrawingCanvas(QWidget):
    """A square canvas that records strokes with undo/redo and renders them.

    Signals
    -------
    strokeMoved
        The stroke being drawn grew (many per second while drawing).
    strokeFinished
        A stroke was completed and committed to the history.
    cleared
        The canvas was cleared.
    changed
        The committed content changed: a stroke, clear, undo, redo or a new background.
    sceneResized
        The scene changed shape (a number grew wider, or undo shrank it): what is drawn
        where on screen moved.
    """

    strokeMoved = Signal()
    strokeFinished = Signal()
    cleared = Signal()
    changed = Signal()
    sceneResized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history = CanvasHistory()
        self._brush_size = 18.0
        self._eraser = False
        self._points: list[Point] = []
        self._stroke_erases = False
        self._cache: QImage | None = None
        # The cached picture's content, and earlier (content, picture) pairs for undo.
        self._cache_for: CanvasContent | None = None
        self._renderings = Renderings()
        self._scene_width = SCENE_SIZE
        self._scene_timer = QTimer(self)
        self._scene_timer.setSingleShot(True)
        self._scene_timer.setInterval(SCENE_PAUSE_MS)
        self._scene_timer.timeout.connect(self._on_scene_timer_timeout)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self.setAccessibleName("Drawing canvas")
        self.setAccessibleDescription(
            "Draw a digit with the mouse, a pen or a finger; the models read it as you draw."
        )

    # ----- public state -------------------------------------------------------------
    @property
    def content(self) -> CanvasContent:
        """The committed content (not the stroke being drawn)."""
        return self._history.current

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        return self._history.current.strokes

    def is_empty(self) -> bool:
        return self._history.current.is_empty and not self._points

    def is_drawing(self) -> bool:
        return bool(self._points)

    def brush_size(self) -> float:
        return self._brush_size

    def set_brush_size(self, size: float) -> None:
        """Brush width in scene units (the canvas is ``SCENE_SIZE`` units wide)."""
        self._brush_size = float(size)
        self._update_cursor()

    def is_eraser(self) -> bool:
        return self._eraser

    def set_eraser(self, on: bool) -> None:
        """Make mouse and pen-tip strokes erase (the pen's eraser end always erases)."""
        self._eraser = bool(on)
        self._update_cursor()

    def can_undo(self) -> bool:
        return self._history.can_undo()

    def can_redo(self) -> bool:
        return self._history.can_redo()

    # ----- editing ------------------------------------------------------------------
    def clear(self) -> None:
        """Empty the canvas (undoable); emits ``cleared`` and ``changed``."""
        self._points.clear()
        if not self._history.current.is_empty:
            self._history.commit(CanvasContent())
        self._content_changed()
        self.cleared.emit()

    def undo(self) -> None:
        if self._history.undo():
            self._content_changed()

    def redo(self) -> None:
        if self._history.redo():
            self._content_changed()

    def set_background(self, image: QImage) -> None:
        """Show a picture (scaled to fit) in place of the drawing; undo brings it back.

        Pictures larger than ``MAX_BACKGROUND_SIDE`` are scaled down once here: more
        pixels would only slow down every repaint and prediction.
        """
        if max(image.width(), image.height()) > MAX_BACKGROUND_SIDE:
            image = image.scaled(
                MAX_BACKGROUND_SIDE,
                MAX_BACKGROUND_SIDE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
        self._points.clear()
        paper = picture_paper(qimage_to_rgba_array(image))
        self._history.commit(
            CanvasContent(
                background=image,
                background_dark=paper.dark,
                background_paper=QColor(*paper.colour),
            )
        )
        self._content_changed()

    def prediction_image(self) -> QImage:
        """What the models should read: the canvas as it is, stroke in progress included.

        An opened picture nobody has drawn on is returned untouched, so the app predicts
        exactly what ``digitpad predict FILE`` does.
        """
        content = self._history.current
        if content.background is not None and not content.strokes and not self._points:
            return content.background
        return self.render_bitmap()

    def drawing_strokes(self) -> tuple[Stroke, ...] | None:
        """A drawing's strokes, the one in progress included, for the models to read from
        the strokes themselves; ``None`` when a picture is open (it is read as pixels,
        with any ink drawn over it)."""
        content = self._history.current
        if content.background is not None:
            return None
        return (*content.strokes, *self._stroke_in_progress())

    def render_bitmap(self, side: int = int(SCENE_SIZE)) -> QImage:
        """The canvas as an image ``side`` pixels high (stroke in progress included),
        square for a digit and as wide as the scene for a number.

        A drawing is black ink on white paper; around and over an opened picture, its own
        paper colour and an ink that shows on it (white on a dark picture). This is what
        Save writes.
        """
        content = self._history.current
        # The content's own shape, even just after a stroke, before the screen follows.
        scene = QRectF(0.0, 0.0, scene_width(content, SCENE_SIZE), SCENE_SIZE)
        aspect = scene.width() / SCENE_SIZE
        if content.background is not None:
            picture = content.background
            side = max(side, picture.height(), round(picture.width() / aspect))
        image = QImage(round(side * aspect), side, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        scale = side / SCENE_SIZE
        painter.scale(scale, scale)
        ink, paper = self._picture_colours() if content.background is not None else (INK, PAPER)
        paint_content(painter, content, scene, ink, paper, self._stroke_in_progress())
        painter.end()
        return image

    def _screen_colours(self) -> tuple[QColor, QColor]:
        """(ink, paper) on screen: the theme's text and base colours for a drawing, the
        picture's own polarity over an opened picture."""
        if self._history.current.background is not None:
            return self._picture_colours()
        palette = self.palette()
        return palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)

    def _picture_colours(self) -> tuple[QColor, QColor]:
        """(ink, paper) over an opened picture: its own paper, and ink that shows on it."""
        content = self._history.current
        ink, paper = (PAPER, INK) if content.background_dark else (INK, PAPER)
        return ink, paper if content.background_paper is None else content.background_paper

    # ----- geometry -----------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(360, 360)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def scene_rect(self) -> QRectF:
        """The scene: ``SCENE_SIZE`` high, square for a digit and wider as a number grows
        (``canvas_growth``; the width changes between digits, see ``is_scene_settled``)."""
        return QRectF(0.0, 0.0, self._scene_width, SCENE_SIZE)

    def is_scene_settled(self) -> bool:
        """Whether the scene has the shape the content asks for (False while a stroke is
        drawn or just after one, before the pen has rested for ``SCENE_PAUSE_MS``)."""
        return not self._points and self._scene_width == scene_width(self.content, SCENE_SIZE)

    def _settle_scene(self) -> bool:
        """Give the scene the width the content needs; True when it changed."""
        self._scene_timer.stop()
        width = scene_width(self._history.current, SCENE_SIZE)
        if width == self._scene_width:
            return False
        self._scene_width = width
        self._forget_renderings()
        return True

    def _on_scene_timer_timeout(self) -> None:
        if not self._points and self._settle_scene():
            self._update_cursor()
            self.update()
            self.sceneResized.emit()

    def scene_aspect(self) -> float:
        """The scene's width over its height: 1 for a digit, more for a number or a wide
        picture; the window's layout gives the canvas a width to match."""
        return self.scene_rect().width() / SCENE_SIZE

    def _view_rect(self) -> QRectF:
        """Where (widget pixels) the scene is shown: as large as fits, centred across."""
        aspect = self.scene_rect().width() / SCENE_SIZE
        height = max(1.0, min(self.height() - 2.0, (self.width() - 2.0) / aspect))
        # Centred across, top-aligned so the canvas lines up with the answer beside it.
        return QRectF((self.width() - height * aspect) / 2, 1.0, height * aspect, height)

    def map_from_scene(self, x: float, y: float) -> QPointF:
        """Widget position of the scene point (x, y); the scene is ``SCENE_SIZE`` square."""
        view = self._view_rect()
        scale = view.height() / SCENE_SIZE
        return QPointF(view.x() + x * scale, view.y() + y * scale)

    def _to_scene(self, position: QPointF) -> tuple[float, float]:
        view = self._view_rect()
        scale = SCENE_SIZE / view.height()
        return (position.x() - view.x()) * scale, (position.y() - view.y()) * scale

    # ----- strokes from any device --------------------------------------------------
    def _begin_stroke(self, position: QPointF, pressure: float, erase: bool) -> bool:
        """Start a stroke at ``position``; False (nothing drawn) outside the paper: a wide
        canvas widget shows the scene centred, and ink begun in the margin beside it would
        be out of sight."""
        if not self._view_rect().adjusted(-2, -2, 2, 2).contains(position):
            return False
        self._scene_timer.stop()  # the pen is down: the scene keeps its shape
        x, y = self._to_scene(position)
        self._stroke_erases = erase or self._eraser
        self._points = [Point(x, y, pressure)]
        self.update()
        self.strokeMoved.emit()
        return True

    def _extend_stroke(self, position: QPointF, pressure: float) -> None:
        if not self._points:
            return
        x, y = self._to_scene(position)
        last = self._points[-1]
        if abs(x - last.x) + abs(y - last.y) < MIN_SAMPLE_DISTANCE:
            return
        self._points.append(Point(x, y, pressure))
        self.update()
        self.strokeMoved.emit()

    def _end_stroke(self) -> None:
        if not self._points:
            return
        stroke = self._stroke_in_progress()[0]
        self._points = []
        self._history.commit(self._history.current.with_stroke(stroke))
        self._content_changed(added=stroke)
        if scene_width(self.content, SCENE_SIZE) != self._scene_width:
            self._scene_timer.start()  # once the pen has rested: between digits
        self.strokeFinished.emit()

    def _stroke_in_progress(self) -> tuple[Stroke, ...]:
        if not self._points:
            return ()
        width = self._brush_size * (ERASER_SCALE if self._stroke_erases else 1.0)
        return (Stroke(tuple(self._points), width, erase=self._stroke_erases),)

    # ----- Qt event handlers --------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._begin_stroke(
            event.position(), 1.0, erase=False
        ):
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend_stroke(event.position(), 1.0)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend_stroke(event.position(), 1.0)
            self._end_stroke()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepting the event stops Qt from also synthesising mouse events for the pen.
        kind = event.type()
        pressure = float(event.pressure())
        if kind == QEvent.Type.TabletPress:
            erase = event.pointerType() == QPointingDevice.PointerType.Eraser
            self._begin_stroke(event.position(), pressure, erase=erase)
        elif kind == QEvent.Type.TabletMove:
            self._extend_stroke(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end_stroke()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._forget_renderings()
        self._update_cursor()
        super().resizeEvent(event)

    def _update_cursor(self) -> None:
        """A circle as wide as the brush (or eraser) on screen, so you see what you will mark."""
        scale = self._view_rect().height() / SCENE_SIZE
        width = self._brush_size * (ERASER_SCALE if self._eraser else 1.0) * scale
        self.setCursor(brush_cursor(width, self.devicePixelRatioF()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._forget_renderings()
            self.update()
        super().changeEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()  # the focus frame
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(0, 0, self._committed_image())
        view = self._view_rect()
        palette = self.palette()
        if self.hasFocus():  # keyboard users see where Esc, Ctrl+Z and Ctrl+C go
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(view.adjusted(-1, -1, 1, 1))
        if self._points:
            painter.setClipRect(view)
            painter.translate(view.topLeft())
            painter.scale(view.height() / SCENE_SIZE, view.height() / SCENE_SIZE)
            ink, paper = self._screen_colours()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for stroke in self._stroke_in_progress():
                paint_stroke(painter, stroke, ink, paper)
        elif self._history.current.is_empty:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            painter.setFont(font)
            painter.drawText(view, Qt.AlignmentFlag.AlignCenter, HINT_TEXT)
        painter.end()

    # ----- rendering cache ----------------------------------------------------------
    def _committed_image(self) -> QImage:
        """The committed content at device resolution, re-rendered only when it changes."""
        ratio = self.devicePixelRatioF()
        if self._cache is not None and self._cache_for is not self.content:
            self._cache = self._from_kept_rendering(self.content)
        if self._cache is None or self._cache.devicePixelRatioF() != ratio:
            image = QImage(self.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            palette = self.palette()
            image.fill(palette.color(QPalette.ColorRole.Window))
            painter = QPainter(image)
            view = self._view_rect()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawRect(view.adjusted(-0.5, -0.5, 0.5, 0.5))
            self._to_scene_coordinates(painter)
            ink, paper = self._screen_colours()
            paint_content(painter, self.content, self.scene_rect(), ink, paper)
            painter.end()
            self._cache = image
            self._cache_for = self.content
        return self._cache

    def _keep_rendering(self) -> None:
        """Keep the cached picture of the content it shows: undo and redo start from kept
        pictures (``canvas_renderings``) instead of painting every stroke again."""
        if self._cache is not None and self._cache_for is not None:
            self._renderings.keep(self._cache_for, self._cache)

    def _from_kept_rendering(self, content: CanvasContent) -> QImage | None:
        """``content``'s picture from a kept one plus the strokes after it, or None."""
        found = self._renderings.closest(content)
        if found is None:
            return None
        image, strokes = found
        if strokes:
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._to_scene_coordinates(painter)
            ink, paper = self._screen_colours()
            for stroke in strokes:
                paint_stroke(painter, stroke, ink, paper)
            painter.end()
        self._cache_for = content
        return image

    def _forget_renderings(self) -> None:
        """The pictures no longer match the screen (resized, restyled, rescaled)."""
        self._cache = None
        self._cache_for = None
        self._renderings.clear()

    def _to_scene_coordinates(self, painter: QPainter) -> None:
        """Clip to the view and map scene units onto it."""
        view = self._view_rect()
        painter.setClipRect(view)
        painter.translate(view.topLeft())
        painter.scale(view.height() / SCENE_SIZE, view.height() / SCENE_SIZE)

    def _content_changed(self, added: Stroke | None = None) -> None:
        """Repaint and announce. A stroke ``added`` on top is painted onto the cached
        picture alone (painting goes in order, so that is what a full repaint gives), so
        drawing stays as fast after thousands of strokes as after one; the picture before
        it is kept for undo. Anything else (clear, undo, redo, a picture) may reshape the
        scene at once: the pen is up and the person asked for it."""
        resized = False
        if added is not None and self._cache is not None:
            self._keep_rendering()
            painter = QPainter(self._cache)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._to_scene_coordinates(painter)
            paint_stroke(painter, added, *self._screen_colours())
            painter.end()
            self._cache_for = self.content
        elif added is None:
            self._keep_rendering()
            resized = self._settle_scene()
        self._update_cursor()
        self.update()
        if resized:
            self.sceneResized.emit()
        self.changed.emit()
