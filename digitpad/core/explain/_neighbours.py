"""The reference training digits closest to an input in one model's own feature space.

A model's ``features`` output (what its last layer decides from) of every shipped
reference digit forms the index. It depends on the model's exact weights, so it is
computed on this machine, once per model file, and cached by the file's sha256 in the
user's cache folder. The cache is only ever a shortcut: a file that is missing, damaged,
made for other weights or other reference digits is rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitpad.core.files import NpzMember, UntrustedFileError, atomic_open, read_npz_file
from digitpad.core.recognition import OnnxModel, ReferenceDigits

FEATURES = "features"
CACHE_FORMAT = 1
_BATCH = 32  # measured: 0.22 ms a digit for the CNN against 0.36 ms in batches of 500
# Up to this many queries are matched without BLAS (see ``nearest_many``).
_FEW_QUERIES = 4
# Indexes kept in the cache folder (one per model file seen, 2-32 MB each); the least
# recently used go first, so retraining again and again does not fill the disk.
MAX_CACHED = 6
# Twice any real index (10,000 digits x 1,600 features x 2 bytes is 32 MB): a bigger file,
# or one that would decompress to more, is not read at all.
MAX_CACHE_BYTES = 64 * 1024 * 1024
# Rows re-computed on every cache read and compared with the stored ones: a cache made by
# other weights (or bit rot that kept the shapes) differs far beyond float16 rounding.
_SPOT_CHECKS = 8


@dataclass(frozen=True)
class Neighbour:
    """One reference digit: its MNIST training index, label, distance and picture."""

    index: int
    label: int
    distance: float
    image: np.ndarray = field(compare=False, repr=False)  # (28, 28) uint8, ink bright


def reference_digest(reference: ReferenceDigits) -> str:
    """sha256 of the reference digits' images, labels and indices."""
    digest = hashlib.sha256()
    for array in (reference.images, reference.labels, reference.indices):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def model_sha256(model: OnnxModel) -> str:
    """The model file's sha256 (from its metadata when it has one, already verified)."""
    return (
        model.metadata.sha256
        if model.metadata is not None
        else hashlib.sha256(model.path.read_bytes()).hexdigest()
    )


def compute_features(model: OnnxModel, images: np.ndarray) -> np.ndarray:
    """``features`` of ``images`` ``(N, 28, 28)``, in batches, float32 ``(N, D)``.

    Values are rounded to float16 precision: the cache stores them that way, so a
    freshly built index and a cached one give identical distances.
    """
    # Each batch goes straight into one float16 table: a list of float32 batches to
    # concatenate held the whole index twice over (+130 MB for the CNN's, kept by malloc).
    table: np.ndarray | None = None
    for start in range(0, len(images), _BATCH):
        batch = images[start : start + _BATCH].astype(np.float32)
        rows = model.run_outputs(batch, (FEATURES,))[FEATURES].reshape(len(batch), -1)
        if table is None:
            table = np.empty((len(images), rows.shape[1]), dtype=np.float16)
        table[start : start + len(batch)] = rows
    if table is None:
        return np.empty((0, 0), dtype=np.float32)
    return table.astype(np.float32)


class NeighbourIndex:
    """Reference features of one model, searched by Euclidean distance."""

    def __init__(self, features: np.ndarray, reference: ReferenceDigits) -> None:
        self.features = np.ascontiguousarray(features, dtype=np.float32)
        self.reference = reference
        self._squared_norms = np.einsum("ij,ij->i", self.features, self.features)

    @classmethod
    def build(cls, model: OnnxModel, reference: ReferenceDigits) -> NeighbourIndex:
        """Compute the index from scratch (about a second for a small CNN on one core)."""
        return cls(compute_features(model, reference.images), reference)

    @classmethod
    def load_or_build(
        cls, model: OnnxModel, reference: ReferenceDigits, cache_dir: Path | None
    ) -> NeighbourIndex:
        """The cached index for this model file and these reference digits, else a new one.

        A new index is written to ``cache_dir`` (atomically) when the folder is writable;
        an unwritable cache only costs the rebuild next time.
        """
        if cache_dir is None:
            return cls.build(model, reference)
        path = cache_dir / f"{model_sha256(model)}.npz"
        cached = _read_cache(path, model, reference)
        if cached is not None:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: pruned last
            return cls(cached, reference)
        index = cls.build(model, reference)
        _write_cache(path, model, reference, index.features)
        _prune(cache_dir)
        return index

    def nearest(self, features: np.ndarray, count: int = 5) -> tuple[Neighbour, ...]:
        """The ``count`` reference digits closest to one input's ``features``, nearest first."""
        rows, distances = self.nearest_many(np.asarray(features).reshape(1, -1), count)
        return tuple(
            Neighbour(
                index=int(self.reference.indices[row]),
                label=int(self.reference.labels[row]),
                distance=float(distance),
                image=self.reference.images[row],
            )
            for row, distance in zip(rows[0], distances[0], strict=True)
        )

    def nearest_many(self, features: np.ndarray, count: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """Rows into the reference set ``(N, count)`` and distances of many inputs' neighbours."""
        queries = np.asarray(features, dtype=np.float32).reshape(len(features), -1)
        if queries.shape[1] != self.features.shape[1]:
            raise ValueError(
                f"features have {queries.shape[1]} values, the index {self.features.shape[1]}"
            )
        if len(queries) <= _FEW_QUERIES:
            # One pass over the features on this thread: a BLAS product would wake its
            # thread pool for a single row, which costs more than it saves on 2 cores.
            products = np.einsum("ij,kj->ki", self.features, queries)
        else:
            products = queries @ self.features.T
        squared = (
            self._squared_norms[None, :]
            - 2.0 * products
            + np.einsum("ij,ij->i", queries, queries)[:, None]
        )
        count = min(count, squared.shape[1])
        closest = np.argpartition(squared, count - 1, axis=1)[:, :count]
        order = np.argsort(np.take_along_axis(squared, closest, axis=1), axis=1, kind="stable")
        rows = np.take_along_axis(closest, order, axis=1)
        distances = np.sqrt(np.maximum(np.take_along_axis(squared, rows, axis=1), 0.0))
        return rows, distances


def _cache_members(reference: ReferenceDigits) -> dict[str, NpzMember]:
    """What a cache file must hold: exactly what ``_write_cache`` writes."""
    return {
        "format_version": NpzMember(np.dtype(np.int64), ()),
        "model_sha256": NpzMember(np.dtype("<U64"), ()),
        "reference_digest": NpzMember(np.dtype("<U64"), ()),
        "features": NpzMember(np.dtype(np.float16), (len(reference), None)),
    }


def _read_cache(path: Path, model: OnnxModel, reference: ReferenceDigits) -> np.ndarray | None:
    """The cached features if the file is whole and made for this model and reference.

    Anything else found at ``path`` (a damaged file, a bomb, a pipe, a folder, a cache
    of other weights) is deleted, so it is rebuilt once rather than refused every time.
    """
    try:
        arrays = read_npz_file(path, _cache_members(reference), MAX_CACHE_BYTES)
    except UntrustedFileError as error:
        if not error.missing:
            _discard(path)
        return None
    features = arrays["features"]
    if (
        int(arrays["format_version"]) != CACHE_FORMAT
        or str(arrays["model_sha256"]) != model_sha256(model)
        or str(arrays["reference_digest"]) != reference_digest(reference)
        or not np.isfinite(features).all()
    ):
        _discard(path)
        return None
    values = features.astype(np.float32)
    fresh = compute_features(model, reference.images[:_SPOT_CHECKS])
    if fresh.shape[1] != values.shape[1] or not np.allclose(
        fresh, values[:_SPOT_CHECKS], rtol=1e-2, atol=1e-2
    ):
        _discard(path)
        return None
    return values


def _discard(path: Path) -> None:
    """Remove whatever is at ``path`` in the cache (a folder too; links are not followed)."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _write_cache(
    path: Path, model: OnnxModel, reference: ReferenceDigits, features: np.ndarray
) -> None:
    """Write the index atomically; a folder that cannot be written only costs a rebuild."""
    with contextlib.suppress(OSError), atomic_open(path) as stream:
        np.savez(
            stream,
            format_version=np.int64(CACHE_FORMAT),
            model_sha256=np.str_(model_sha256(model)),
            reference_digest=np.str_(reference_digest(reference)),
            features=features.astype(np.float16),
        )


def _prune(cache_dir: Path) -> None:
    """Delete all but the ``MAX_CACHED`` most recently used indexes."""
    try:
        files = sorted(cache_dir.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in files[MAX_CACHED:]:
            stale.unlink()
    except OSError:
        return
