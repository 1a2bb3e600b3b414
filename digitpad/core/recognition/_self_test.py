"""``digitpad --self-test``: prove an installed copy can load its models and read digits.

The packaged bundle and CI run it; it needs no window, so it checks the part that breaks
most often in a bundle (missing model files, a broken onnxruntime) in seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from digitpad.core.files import ImageLoadError, load_image
from digitpad.core.paths import assets_dir
from digitpad.core.recognition._recognizer import Recognizer, bundled_model_names

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


@dataclass(frozen=True)
class SelfTestCheck:
    """One line of the self-test: what was checked and whether it held."""

    ok: bool
    message: str


@dataclass(frozen=True)
class SelfTestResult:
    """Every check of one self-test run; it passed only if every check did."""

    checks: tuple[SelfTestCheck, ...]

    @property
    def passed(self) -> bool:
        """True when models loaded, samples were found and every answer was right."""
        return bool(self.checks) and all(check.ok for check in self.checks)


def run_self_test(
    recognizer: Recognizer | None = None, folder: Path | None = None
) -> SelfTestResult:
    """Predict every sample with every model; the result says what held and what failed."""
    recognizer = Recognizer.from_default_locations() if recognizer is None else recognizer
    checks = [SelfTestCheck(False, f"model {failure}") for failure in recognizer.failures]
    names = [model.name for model in recognizer.loaded_models]
    missing = [name for name in bundled_model_names() if name not in names]
    if missing:
        checks.append(SelfTestCheck(False, f"models not loaded: {', '.join(missing)}"))
    samples = sample_files(folder)
    if not samples:
        where = samples_dir() if folder is None else folder
        checks.append(SelfTestCheck(False, f"no sample images in {where}"))
        return SelfTestResult(tuple(checks))
    for path, expected in samples:
        try:
            prediction = recognizer.predict(load_image(path))
        except ImageLoadError as error:
            checks.append(SelfTestCheck(False, str(error)))
            continue
        if prediction.nothing_drawn:
            checks.append(SelfTestCheck(False, f"{path.name}: nothing drawn found"))
            continue
        for name, reason in prediction.errors.items():
            checks.append(SelfTestCheck(False, f"{path.name:<28} {name:<6} {reason}"))
        for name, answer in prediction.answers.items():
            checks.append(
                SelfTestCheck(
                    answer.digit == expected,
                    f"{path.name:<28} {name:<6} expected {expected}, "
                    f"got {answer.digit} ({answer.confidence:.1%})",
                )
            )
    return SelfTestResult(tuple(checks))
