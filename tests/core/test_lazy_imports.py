"""Start-up loads only what is used: ``digitpad.core``'s names load their subpackage on
first use, and ``digitpad predict`` never imports the explanations, fine-tuning or the
robustness sweep (the CLI's start-up time is most of a reading's)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import digitpad.core
from digitpad.core import samples_dir

SEVEN = str(samples_dir() / "digit-7.png")
# What a reading of a file never needs.
UNUSED_BY_PREDICT = (
    "digitpad.core.explain",
    "digitpad.core.personal",
    "digitpad.core.robustness",
    "digitpad.cli._explain",
    "digitpad.cli._fine_tune",
    "digitpad.cli._robustness",
    "digitpad.cli._samples",
    # Strokes, the paper's colour, the input's place and the self-test (lazy names of
    # their subpackages, ``digitpad.core._lazy``).
    "digitpad.core.number._segment_strokes",
    "digitpad.core.preprocessing._paper",
    "digitpad.core.preprocessing._placement",
    "digitpad.core.preprocessing._rasterise",
    "digitpad.core.preprocessing._stroke_bounds",
    "digitpad.core.preprocessing._stroke_layer",
    "digitpad.core.recognition._self_test",
    "PySide6",
)


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(result.stdout.split())


def test_predict_imports_only_what_a_reading_uses():
    loaded = _modules_after(
        f"from digitpad.cli import main\nassert main(['predict', {SEVEN!r}]) == 0"
    )
    assert "digitpad.core.number" in loaded  # it did read the file
    assert not [m for m in loaded if m.startswith(UNUSED_BY_PREDICT)]


def test_importing_the_core_loads_none_of_its_subpackages():
    loaded = _modules_after("import digitpad.core")
    assert not [m for m in loaded if m.startswith("digitpad.core.")]
    assert "numpy" not in loaded


@pytest.mark.parametrize("name", digitpad.core.__all__)
def test_every_public_name_is_its_subpackages_own(name):
    module = digitpad.core._SOURCE[name]
    assert getattr(digitpad.core, name) is getattr(importlib.import_module(module), name)


def _typed_imports(path: str | None) -> dict[str, str | None]:
    """The names a package's ``if TYPE_CHECKING:`` block imports, each with its module."""
    assert path is not None
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return {
        alias.name: node.module
        for block in tree.body
        if isinstance(block, ast.If)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_lazy_table_and_the_typed_imports_name_the_same_things():
    """mypy reads the TYPE_CHECKING imports, the interpreter the table: they must agree."""
    typed = _typed_imports(digitpad.core.__file__)
    assert typed == digitpad.core._SOURCE
    assert sorted(typed) == sorted(digitpad.core.__all__)


@pytest.mark.parametrize(
    "package", ["digitpad.core.number", "digitpad.core.preprocessing", "digitpad.core.recognition"]
)
def test_a_subpackages_lazy_names_are_typed_public_and_its_modules_own(package):
    """mypy reads the TYPE_CHECKING imports, the interpreter the lazy table: they agree,
    every lazy name is public, and each is its module's own object once loaded."""
    module = importlib.import_module(package)
    typed = _typed_imports(module.__file__)
    assert typed == module._LAZY
    assert set(typed) <= set(module.__all__) <= set(dir(module))
    for name, source in typed.items():
        assert getattr(module, name) is getattr(importlib.import_module(source), name)
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = module.Nothing


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = digitpad.core.Nothing  # type: ignore[attr-defined]
