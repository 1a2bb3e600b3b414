"""The core must stay importable without Qt or TensorFlow (the app bundle ships neither
TensorFlow nor, for the command line, needs Qt)."""

from __future__ import annotations

import subprocess
import sys


def test_core_and_cli_import_neither_qt_nor_tensorflow():
    code = (
        "import sys, digitpad.core, digitpad.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'tensorflow')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
