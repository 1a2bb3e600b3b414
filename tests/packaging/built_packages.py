"""What one run of packaging/build.py produced, as the packaging tests see it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuiltPackages:
    """The bundle folder, its archive, the .deb (None without dpkg-deb), the build time."""

    bundle: Path
    archive: Path
    deb: Path | None
    seconds: float
