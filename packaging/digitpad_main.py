"""The bundle's entry point: PyInstaller starts the frozen app here.

It hands over to the command line (``run``: the process ends as soon as the answer is
out), so the bundle behaves exactly like the installed ``digitpad`` command (window,
``FILE``, ``predict``, ``--self-test``). One hidden case comes first: in a frozen app
``sys.executable`` is the bundle itself, so the child process that decodes a big picture
(``digitpad.core.files._picture_child``) is this binary started with ``CHILD_ARGUMENT``
as its first argument; it decodes and exits without reaching the command line.
"""

from __future__ import annotations

import sys

from digitpad.core.files import CHILD_ARGUMENT, child_main

if __name__ == "__main__":
    if sys.argv[1:2] == [CHILD_ARGUMENT]:
        sys.exit(child_main(sys.argv[1:]))
    from digitpad.cli import run

    run()
