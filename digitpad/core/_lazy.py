"""Public names of a package loaded from their module only when first asked for (PEP 562).

A package's ``__init__`` is its public face, but importing every module behind it costs
start-up: ``digitpad predict`` reads a file and never draws strokes or tests the
installation, yet imported the stroke renderer, the stroke splitter and the self-test
with their classes (a frozen dataclass costs half a millisecond to make). A package lists
those names in a table (name -> module) and imports them under ``TYPE_CHECKING`` for
mypy; ``lazy_names`` gives it the ``__getattr__`` and ``__dir__`` that load them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, table: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` for the names in ``table``
    (each name -> the module that defines it): a name is imported on first use and then
    kept in the package, so later look-ups find it directly."""
    namespace = sys.modules[package].__dict__

    def load(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # asked once: later look-ups find it without this call
        return value

    def names() -> list[str]:
        return sorted({*namespace, *namespace.get("__all__", ()), *table})

    return load, names
