"""Ending the process as soon as its work is done, for the command and the window alike.

A normal interpreter exit tears down every module one by one: numpy, Pillow, the Qt
wrappers and the onnxruntime sessions, after which onnxruntime updates its usage
database. After ``digitpad predict`` printed its answer that cost 50-90 ms of CPU
(150 ms on one busy core), a third of reading a photo; after the window closed, 1-2 s.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """Run the exit handlers, flush the output, and end the process with ``code``."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed or broken: nothing to keep
            stream.flush()
    os._exit(code)
