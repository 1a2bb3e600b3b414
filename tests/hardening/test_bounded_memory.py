"""Undo history is bounded in steps and bytes; the canvas's cached picture stays exact.

The history cases commit real pictures (1024 x 1024, as big as an opened picture gets);
the cache case draws real strokes with mouse events, an eraser among them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from digitpad.core import Point, Stroke
from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.canvas_history import (
    MAX_HISTORY_BYTES,
    MAX_UNDO_STEPS,
    CanvasContent,
    CanvasHistory,
    history_bytes,
)
from tests.ui.input_events import ONE, SEVEN, ZERO, mouse_stroke


def _dot(x: float) -> Stroke:
    return Stroke((Point(x, 10.0),), 4.0)


def test_history_keeps_at_most_max_undo_steps():
    history = CanvasHistory()
    content = CanvasContent()
    for step in range(MAX_UNDO_STEPS + 50):
        content = content.with_stroke(_dot(step))
        history.commit(content)
    assert len(history) == MAX_UNDO_STEPS + 1
    assert history.current is content
    undone = 0
    while history.undo():
        undone += 1
    assert undone == MAX_UNDO_STEPS
    assert len(history.current.strokes) == 50  # the oldest 50 steps were forgotten


def test_history_keeps_pictures_within_max_history_bytes():
    history = CanvasHistory()
    for shade in range(40):
        picture = QImage(1024, 1024, QImage.Format.Format_ARGB32)
        picture.fill(shade)
        history.commit(CanvasContent(background=picture))
        assert history_bytes([history.current]) <= MAX_HISTORY_BYTES
    kept = []
    while True:
        kept.append(history.current)
        if not history.undo():
            break
    assert history_bytes(kept) <= MAX_HISTORY_BYTES
    assert len(kept) >= MAX_HISTORY_BYTES // (1024 * 1024 * 4) - 1


def test_opening_big_pictures_again_and_again_stays_bounded(qtbot):
    """The canvas's own history, fed real opened-size pictures as Open does."""
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    for shade in range(20):
        picture = QImage(1024, 1024, QImage.Format.Format_ARGB32)
        picture.fill(0xFF000000 | shade * 0x010101)
        canvas.set_background(picture)
    states = []
    while True:
        states.append(canvas.content)
        if not canvas.can_undo():
            break
        canvas.undo()
    assert history_bytes(states) <= MAX_HISTORY_BYTES
    assert len(states) < 20


def _rendered_afresh(canvas: DrawingCanvas) -> QImage:
    canvas._cache = None
    return canvas._committed_image()


def test_strokes_painted_onto_the_cache_match_a_full_repaint(qtbot):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.show()
    qtbot.waitExposed(canvas)
    mouse_stroke(qtbot, canvas, ZERO)
    canvas.set_eraser(True)
    mouse_stroke(qtbot, canvas, ONE)
    canvas.set_eraser(False)
    mouse_stroke(qtbot, canvas, SEVEN)
    canvas.repaint()
    cached = canvas._committed_image().copy()
    assert canvas._cache is not None
    fresh = _rendered_afresh(canvas)
    assert cached == fresh
    assert np.count_nonzero(np.frombuffer(bytes(fresh.constBits()), np.uint8)) > 0
