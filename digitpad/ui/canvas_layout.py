"""The window's body: the canvas as large as the space allows, the answers beside it.

A grid with fixed column stretches gave the canvas 5/11 of the width whatever the
height, so a tall window left empty space under a small canvas and a wide one squeezed
it. Here the canvas gets the width its scene's shape needs to fill the full height
(square for a digit, wider for a written number or a wide picture), as long as the
answers keep their minimum width; the answers take the rest. In a tall, narrow window,
where the canvas would be bigger above the answers than beside them, it goes above;
so does a long written number, whose strip of a canvas needs the window's width. The
answers then scroll (``AnswersArea``) rather than push the canvas off the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QFrame, QLayout, QLayoutItem, QScrollArea, QWidget

# The canvas never gets narrower than its scene (280 units): one screen pixel per unit
# at least, so a small window still draws with every detail the models could see.
MIN_CANVAS_SIDE = 280
# Below a wide canvas the answers keep at least this height: the headline and the tops of
# the bars; the rest scrolls.
MIN_ANSWERS_HEIGHT = 180


class AnswersArea(QScrollArea):
    """The answers, scrolling vertically when the window gives them less than their full
    height (below a long number's canvas on a small screen); never narrower than they need.
    """

    def __init__(self, answers: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what is in it
        self.setWidget(answers)
        self._answers = answers

    def minimumSizeHint(self) -> QSize:
        inner = self._answers.minimumSizeHint()
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + scroll_bar, min(inner.height(), MIN_ANSWERS_HEIGHT))

    def sizeHint(self) -> QSize:
        inner = self._answers.sizeHint()
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width(), inner.height())


class CanvasBesideLayout(QLayout):
    """Two widgets: the canvas on the left, the answers on the right.

    Their layout items are made by Qt (``addWidget``), which also deletes them: a
    ``QWidgetItem`` made in Python and deleted by the layout's C++ destructor was freed
    twice, corrupting memory (a canvas painted through a dead wrapper crashed the tests).

    Parameters
    ----------
    canvas
        The drawing canvas; it centres its scene in whatever rectangle it is given.
    aspect
        The scene's width over its height, asked at every layout (1 for one digit).
    """

    def __init__(
        self, canvas: QWidget, aspect: Callable[[], float], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._aspect = aspect
        self._items: list[QLayoutItem] = []
        self.addWidget(canvas)

    def set_answers(self, answers: QWidget) -> None:
        """The right-hand side (added once, after construction)."""
        self.addWidget(answers)
        self.invalidate()

    def follow_scene(self) -> None:
        """Lay out again: the canvas's scene changed shape (a number grew wider)."""
        self.invalidate()
        self.activate()

    # ----- QLayout's interface ----------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def _held(self) -> list[QLayoutItem]:
        # Qt asks a layout for its items while destroying it, after this object's Python
        # attributes may already be gone: it then holds nothing.
        items: list[QLayoutItem] = getattr(self, "_items", [])
        return items

    def count(self) -> int:
        return len(self._held())

    def itemAt(self, index: int) -> QLayoutItem | None:
        items = self._held()
        return items[index] if 0 <= index < len(items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        items = self._held()
        return items.pop(index) if 0 <= index < len(items) else None

    def _margins_size(self) -> QSize:
        margins = self.contentsMargins()
        return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _combine(self, sizes: list[QSize]) -> QSize:
        width = sum(size.width() for size in sizes) + self.spacing() * (len(sizes) - 1)
        height = max((size.height() for size in sizes), default=0)
        return QSize(width, height) + self._margins_size()

    def minimumSize(self) -> QSize:
        canvas, *answers = (item.minimumSize() for item in self._items)
        return self._combine([canvas.expandedTo(QSize(MIN_CANVAS_SIDE, MIN_CANVAS_SIDE)), *answers])

    def sizeHint(self) -> QSize:
        return self._combine([item.sizeHint() for item in self._items])

    def canvas_width(self, area: QRect) -> int:
        """How wide the canvas is beside the answers in ``area`` (margins removed)."""
        canvas = self._items[0]
        answers_minimum = self._items[1].minimumSize().width() if len(self._items) > 1 else 0
        room = area.width() - answers_minimum - self.spacing()
        wanted = round(area.height() * max(1.0, self._aspect()))
        floor = max(canvas.minimumSize().width(), MIN_CANVAS_SIDE)
        return max(floor, min(wanted, room))

    def canvas_height_above(self, area: QRect) -> int:
        """How tall the canvas is with the answers below it instead (0: they do not fit)."""
        if len(self._items) < 2:
            return 0
        room = area.height() - self._items[1].minimumSize().height() - self.spacing()
        wanted = round(area.width() / max(1.0, self._aspect()))
        return max(0, min(wanted, room))

    def answers_below(self, area: QRect) -> bool:
        """Whether the canvas is bigger above the answers than beside them (a tall, narrow
        window, e.g. one tiled to half a landscape screen's width)."""
        aspect = max(1.0, self._aspect())
        beside_height = min(area.height(), self.canvas_width(area) / aspect)
        return self.canvas_height_above(area) > beside_height

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        area = self.contentsRect()
        if not self._items:
            return
        if self.answers_below(area):
            height = self.canvas_height_above(area)
            self._items[0].setGeometry(QRect(area.x(), area.y(), area.width(), height))
            top = area.y() + height + self.spacing()
            self._items[1].setGeometry(QRect(area.x(), top, area.width(), area.bottom() - top + 1))
            return
        width = self.canvas_width(area)
        self._items[0].setGeometry(QRect(area.x(), area.y(), width, area.height()))
        if len(self._items) > 1:
            left = area.x() + width + self.spacing()
            self._items[1].setGeometry(
                QRect(left, area.y(), area.right() - left + 1, area.height())
            )
