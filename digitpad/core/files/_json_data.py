"""JSON files nobody vouches for: plain data of bounded size, depth and numbers.

Samples' metadata, model metadata, settings and caches are all JSON that anyone can
edit. Python's parser recurses once per nesting level (a file of ``[[[[...`` raises
RecursionError deep inside it), accepts ``NaN`` and ``Infinity``, and turns a
400-digit number into an int that overflows the first float it meets. Here the
nesting is counted before parsing, non-finite constants are refused and integers are
kept to 18 digits, so every failure is one ``UntrustedFileError`` with a one-line reason.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.files._untrusted_files import UntrustedFileError, read_regular_file

# Deeper than any file digitpad writes (its deepest is strokes: list, list, dict, list).
MAX_JSON_DEPTH = 32
_MAX_INT_DIGITS = 18
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
# Each byte's step in nesting depth: +1 opens an array or object, -1 closes one.
_STEP = np.zeros(256, dtype=np.int32)
_STEP[list(b"[{")] = 1
_STEP[list(b"]}")] = -1


def json_depth(data: bytes) -> int:
    """How deeply ``data``'s arrays and objects nest, counted without recursion."""
    structure = np.frombuffer(_STRING.sub(b'""', data), dtype=np.uint8)
    return int(np.cumsum(_STEP[structure]).max()) if structure.size else 0


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number digitpad accepts")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise ValueError(f"a {len(text)}-digit number is out of range")
    return int(text)


def parse_json_data(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``data`` parsed as JSON of plain values: finite numbers, bounded depth.

    Raises
    ------
    UntrustedFileError
        Not UTF-8 JSON, nested deeper than ``max_depth``, or holding ``NaN``,
        ``Infinity`` or an integer of more than 18 digits.
    """
    depth = json_depth(data)
    if depth > max_depth:
        raise UntrustedFileError(f"it nests {depth} levels deep (limit {max_depth})")
    try:
        value = json.loads(
            data.decode("utf-8"), parse_constant=_refuse_constant, parse_int=_bounded_int
        )
    except UnicodeDecodeError:
        raise UntrustedFileError("it is not UTF-8 text") from None
    except (ValueError, RecursionError) as error:
        reason = str(error).splitlines()[0] if str(error) else "damaged"
        raise UntrustedFileError(f"it is not valid JSON ({reason})") from None
    if _has_huge_float(value):
        raise UntrustedFileError("it holds a number too large to use")
    return value


def _has_huge_float(value: Any) -> bool:
    """Whether a float overflowed to infinity while parsing (``1e999``)."""
    pending = [value]
    while pending:
        item = pending.pop()
        # math's test, not numpy's: a model's metadata holds thousands of floats
        if isinstance(item, float) and not math.isfinite(item):
            return True
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
    return False


def read_json_file(path: str | Path, max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A regular JSON file of at most ``max_bytes``, through the same door as pictures."""
    return parse_json_data(read_regular_file(path, max_bytes), max_depth)
