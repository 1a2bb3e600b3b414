"""``python -m digitpad``: the same as the ``digitpad`` command."""

from __future__ import annotations

from digitpad.cli import run

run()
