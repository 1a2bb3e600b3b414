"""What ``digitpad predict`` loads to read a photo of paper: each module below costs
milliseconds of every reading's start-up (most of a reading's time), and none is needed
(issue 19: a 12 MP photo read by the CLI in 300 ms; ``python -m benchmarks.paper``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PHOTO = Path(__file__).parent.parent / "data" / "paper" / "shadow-2-seed1.jpg"
# numpy.ma: np.percentile / np.unique / np.median on floats import it (the writing
# finder has its own); secrets and zipfile: only writing a file and reading an .npz
# need them; PIL.ImageDraw (with FreeType's fonts): only drawing strokes does;
# difflib: only a mistyped command.
NOT_FOR_A_READING = ("numpy.ma", "secrets", "zipfile", "PIL.ImageDraw", "PIL.ImageFont", "difflib")


def test_reading_a_photo_loads_nothing_it_does_not_use() -> None:
    code = (
        "import sys\n"
        "from digitpad.cli import main\n"
        f"assert main(['predict', '--number', {str(PHOTO)!r}]) == 0\n"
        "print('\\n'.join(sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(result.stdout.split())
    assert "digitpad.core.preprocessing._writing" in loaded  # it did look for writing
    assert not [name for name in NOT_FOR_A_READING if name in loaded]
