"""digitpad's desktop app (PySide6): the window, the canvas and the result panels.

Start it with :func:`digitpad.ui.app.main`; the recognition itself lives in
:mod:`digitpad.core`.
"""
