"""``digitpad --self-test``: prove an installed copy can load its models and read digits.

The packaged bundle and CI run it; it needs no window, so it checks the part that breaks
most often in a bundle (missing model files, a broken onnxruntime) in seconds.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TextIO

from digitpad.core._image_io import ImageLoadError, load_image
from digitpad.core._paths import assets_dir
from digitpad.core._recognizer import EXPECTED_MODELS, Recognizer

_EXPECTED_DIGIT = re.compile(r"digit-(\d)")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


def samples_dir() -> Path:
    """The bundled sample drawings; each file name holds its digit (``digit-7....png``)."""
    return assets_dir() / "samples"


def sample_files(folder: Path | None = None) -> list[tuple[Path, int]]:
    """Every sample image in ``folder`` with the digit its name says it shows."""
    folder = samples_dir() if folder is None else folder
    found = []
    for path in sorted(folder.glob("*")):
        match = _EXPECTED_DIGIT.match(path.name)
        if match and path.suffix.lower() in _IMAGE_SUFFIXES:
            found.append((path, int(match.group(1))))
    return found


def run_self_test(
    recognizer: Recognizer | None = None, folder: Path | None = None, out: TextIO | None = None
) -> int:
    """Predict every sample with every model; 0 only if all load and all are right."""
    out = sys.stdout if out is None else out
    recognizer = Recognizer.from_default_locations() if recognizer is None else recognizer
    ok = True
    for failure in recognizer.failures:
        print(f"FAIL model {failure}", file=out)
        ok = False
    names = [model.name for model in recognizer.onnx_models]
    missing = [name for name in EXPECTED_MODELS if name not in names]
    if missing:
        print(f"FAIL models not loaded: {', '.join(missing)}", file=out)
        ok = False
    samples = sample_files(folder)
    if not samples:
        print(f"FAIL no sample images in {samples_dir() if folder is None else folder}", file=out)
        return 1
    for path, expected in samples:
        try:
            prediction = recognizer.predict(load_image(path))
        except ImageLoadError as error:
            print(f"FAIL {error}", file=out)
            ok = False
            continue
        if prediction.nothing_drawn:
            print(f"FAIL {path.name}: nothing drawn found", file=out)
            ok = False
            continue
        for name, answer in prediction.models.items():
            right = answer.digit == expected
            ok = ok and right
            verdict = "ok  " if right else "FAIL"
            print(
                f"{verdict} {path.name:<28} {name:<6} expected {expected}, "
                f"got {answer.digit} ({answer.confidence:.1%})",
                file=out,
            )
    print("self-test passed" if ok else "self-test FAILED", file=out)
    return 0 if ok else 1
