"""Hostile ``.npz`` files for fuzzing the reference reader and the neighbour cache.

Shared by the short run in the suite (``test_fuzz_npz.py``) and the long run done by
hand (``python -m tests.hardening.fuzz_long --target npz|cache``). Seeds are valid
files of both kinds (stored and deflated), so mutations reach the member headers and
the arrays, not only the zip signature.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from digitpad.core import ReferenceDataError, bundled_models_dir, read_reference_digits
from digitpad.core.explain import compute_features, model_sha256
from digitpad.core.explain._neighbours import CACHE_FORMAT, _read_cache, reference_digest
from digitpad.core.recognition import (
    OnnxModel,
    Recognizer,
    ReferenceDigits,
    load_reference_digits,
)
from tests.hardening.fuzz_inputs import refused_or_read

NPZ_REGRESSIONS = Path(__file__).with_name("regressions") / "npz"
CACHE_REGRESSIONS = Path(__file__).with_name("regressions") / "cache"
# The cache target reads an index of this many reference digits: small seeds, fast runs.
CACHE_DIGITS = 12


def _npz(compressed: bool, **arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


@cache
def reference_seeds() -> tuple[bytes, ...]:
    """Small valid reference files, stored and deflated."""
    reference = load_reference_digits()
    arrays = {
        "images": reference.images[:4],
        "labels": reference.labels[:4].astype(np.uint8),
        "indices": reference.indices[:4].astype(np.int32),
    }
    return (_npz(False, **arrays), _npz(True, **arrays))


@cache
def cache_model() -> OnnxModel:
    """The shipped CNN, whose features the cache target indexes."""
    loaded = Recognizer.from_folders([bundled_models_dir()], ("cnn",))
    return next(model for model in loaded.loaded_models if model.name == "cnn")


@cache
def cache_reference() -> ReferenceDigits:
    full = load_reference_digits()
    return ReferenceDigits(
        full.images[:CACHE_DIGITS], full.labels[:CACHE_DIGITS], full.indices[:CACHE_DIGITS]
    )


@cache
def cache_seeds() -> tuple[bytes, ...]:
    """Valid cache files for ``cache_model`` and ``cache_reference``, as the app writes."""
    model, reference = cache_model(), cache_reference()
    arrays = {
        "format_version": np.int64(CACHE_FORMAT),
        "model_sha256": np.str_(model_sha256(model)),
        "reference_digest": np.str_(reference_digest(reference)),
        "features": compute_features(model, reference.images).astype(np.float16),
    }
    return (_npz(False, **arrays), _npz(True, **arrays))


def read_hostile_reference(path: Path) -> None:
    """Only ``ReferenceDataError`` (one line) may escape; what is read must be valid."""
    reference = refused_or_read(lambda: read_reference_digits(path), ReferenceDataError)
    if reference is None:
        return
    assert reference.images.shape == (len(reference), 28, 28)
    assert reference.labels.min(initial=0) >= 0
    assert reference.labels.max(initial=0) <= 9
    assert reference.indices.min(initial=0) >= 0


def read_hostile_cache(path: Path) -> None:
    """The cache reader never raises; it returns a usable index or deletes the file."""
    reference = cache_reference()
    features = _read_cache(path, cache_model(), reference)
    if features is None:
        assert not path.exists(), "an odd cache file was kept"
        assert not path.is_symlink(), "an odd cache link was kept"
        return
    assert features.dtype == np.float32
    assert features.shape[0] == len(reference)
    assert np.isfinite(features).all()


@dataclass(frozen=True)
class FuzzTarget:
    """One reader to fuzz: its seeds, what it must survive, where its crashers are kept
    and the name its input file has."""

    seeds: Callable[[], tuple[bytes, ...]]
    read: Callable[[Path], None]
    regressions: Path
    file_name: str


NPZ_TARGETS = {
    "npz": FuzzTarget(reference_seeds, read_hostile_reference, NPZ_REGRESSIONS, "reference.npz"),
    "cache": FuzzTarget(cache_seeds, read_hostile_cache, CACHE_REGRESSIONS, "index.npz"),
}
