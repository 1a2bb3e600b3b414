"""The bundle's entry point: PyInstaller starts the frozen app here.

It only hands over to the command line, so the bundle behaves exactly like the
installed ``digitpad`` command (window, ``FILE``, ``predict``, ``--self-test``).
"""

from __future__ import annotations

import sys

from digitpad.cli import main

if __name__ == "__main__":
    sys.exit(main())
