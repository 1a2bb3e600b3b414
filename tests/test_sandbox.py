"""The suite never sees the real user's folders: they point into a per-test sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from digitpad.core import user_models_dir


def test_user_folders_point_into_a_fresh_sandbox(tmp_path_factory) -> None:
    home = Path(os.environ["HOME"])
    assert home.is_relative_to(tmp_path_factory.getbasetemp())
    assert list(home.rglob("*.json")) == []
    assert user_models_dir().is_relative_to(home)


def test_subprocesses_inherit_the_sandbox() -> None:
    code = "from digitpad.core import user_models_dir; print(user_models_dir())"
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(printed).is_relative_to(Path(os.environ["HOME"]))
