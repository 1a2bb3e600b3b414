"""Hostile ``.npz`` files: the reference reader refuses them with one error, in bounded
memory; the neighbour cache deletes them and rebuilds."""

from __future__ import annotations

import io
import os
import tracemalloc

import numpy as np
import pytest

from digitpad.core import ReferenceDataError, read_reference_digits
from digitpad.core.explain import NeighbourIndex, model_sha256
from digitpad.core.files import NpzMember, UntrustedFileError, read_npz_file
from digitpad.core.recognition import load_reference_digits
from tests.hardening.npz_files import (
    array_member,
    bomb_npz,
    huge_header_member,
    npy_header,
    npz_bytes,
    write,
)

# Reading any refused file here stays far below what np.load took (972 MB, 4 GB).
PEAK_LIMIT = 24 * 1024 * 1024


def _reference_members(**changes: bytes) -> bytes:
    members = {
        "images": array_member(np.zeros((3, 28, 28), np.uint8)),
        "labels": array_member(np.array([0, 5, 9], np.uint8)),
        "indices": array_member(np.array([4, 8, 15], np.int32)),
    }
    return npz_bytes({**members, **changes})


def _pickled(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def _peak_while(read) -> int:
    tracemalloc.start()
    try:
        read()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_a_plain_reference_file_reads(tmp_path):
    reference = read_reference_digits(write(tmp_path / "ok.npz", _reference_members()))
    assert reference.labels.tolist() == [0, 5, 9]
    assert reference.indices.tolist() == [4, 8, 15]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"labels": array_member(np.array([0, -1, 9], np.int64))}, "'labels' is int64"),
        ({"labels": array_member(np.array([0, 10, 9], np.uint8))}, "not a digit 0-9"),
        ({"indices": array_member(np.array([4, -8, 15], np.int32))}, "index is negative"),
        ({"images": array_member(np.zeros((3, 28, 28), np.float32))}, "'images' is float32"),
        ({"images": array_member(np.zeros((2, 28, 28), np.uint8))}, "documented shapes"),
        ({"labels": array_member(np.array([[0], [5], [9]], np.uint8))}, "'labels' is uint8"),
        ({"labels": array_member(np.asfortranarray(np.zeros((3, 2), np.uint8)))}, "plain array"),
        ({"labels": b""}, "cut short"),
        ({"images": huge_header_member()}, "declares a 4294967280-byte header"),
        ({"labels": npy_header("|u1", (3,), version=9) + bytes(3)}, "format version 9"),
        ({"labels": npy_header("|u1", (3,))}, "cut short"),
        ({"labels": _pickled(np.array([0, 5, 9], object))}, "'labels' is object"),
        ({"labels": npy_header("<x9", (3,)) + bytes(3)}, "unknown type"),
    ],
    ids=[
        "negative-labels",
        "label-10",
        "negative-index",
        "float-images",
        "counts-differ",
        "2d-labels",
        "fortran-order",
        "empty-member",
        "huge-header",
        "version-9",
        "no-data",
        "pickled-objects",
        "unknown-dtype",
    ],
)
def test_a_wrong_reference_file_is_one_error(tmp_path, changes, reason):
    path = write(tmp_path / "wrong.npz", _reference_members(**changes))
    with pytest.raises(ReferenceDataError, match=reason) as caught:
        read_reference_digits(path)
    assert "\n" not in str(caught.value)


def test_missing_members_and_other_files_are_one_error(tmp_path):
    cases = {
        "no-labels.npz": npz_bytes({"images": array_member(np.zeros((3, 28, 28), np.uint8))}),
        "not-a-zip.npz": b"PK\x03\x04" + os.urandom(300),
        "bad-crc.npz": _reference_members()[:-60] + os.urandom(60),
    }
    for name, data in cases.items():
        with pytest.raises(ReferenceDataError, match="not a readable reference file"):
            read_reference_digits(write(tmp_path / name, data))
    os.mkfifo(tmp_path / "pipe.npz")
    with pytest.raises(ReferenceDataError, match="named pipe"):
        read_reference_digits(tmp_path / "pipe.npz")
    with pytest.raises(ReferenceDataError, match="is a folder"):
        read_reference_digits(tmp_path)


def test_a_huge_header_in_a_small_file_is_refused_before_it_is_read(tmp_path):
    """The 839-byte file that made every explain raise MemoryError."""
    path = write(tmp_path / "small.npz", npz_bytes({"images": huge_header_member()}, False))
    assert path.stat().st_size < 1000
    members = {"images": NpzMember(np.dtype(np.uint8), (None, 28, 28))}

    def read() -> None:
        with pytest.raises(UntrustedFileError, match="4294967280-byte header"):
            read_npz_file(path, members, 1 << 26)

    assert _peak_while(read) < PEAK_LIMIT


def test_a_decompression_bomb_costs_nothing(tmp_path):
    """400 MB of zeros in a 400 KB file, behind a header promising them."""
    bomb = bomb_npz("images", "|u1", (510_000, 28, 28), 400 << 20)
    path = write(tmp_path / "bomb.npz", bomb)
    assert path.stat().st_size < 1 << 20

    def read() -> None:
        with pytest.raises(ReferenceDataError, match="would take 4194"):
            read_reference_digits(path)

    assert _peak_while(read) < PEAK_LIMIT


def test_a_bomb_behind_a_small_header_is_read_no_further_than_promised(tmp_path):
    """The header promises 3 images; the member decompresses to 64 MB: only 3 are read."""
    bomb = bomb_npz("images", "|u1", (3, 28, 28), 64 << 20)
    members = {"images": NpzMember(np.dtype(np.uint8), (None, 28, 28))}
    path = write(tmp_path / "bomb.npz", bomb)
    with pytest.raises(UntrustedFileError, match="would take"):  # zip says 64 MB: refused
        read_npz_file(path, members, 1 << 20)
    arrays: dict[str, np.ndarray] = {}
    peak = _peak_while(lambda: arrays.update(read_npz_file(path, members, 1 << 27)))
    assert arrays["images"].shape == (3, 28, 28)
    assert peak < PEAK_LIMIT


# ---- the neighbour cache ---------------------------------------------------------------


@pytest.fixture(scope="module")
def cnn(recognizer):
    return next(m for m in recognizer.loaded_models if m.name == "cnn")


@pytest.fixture(scope="module")
def cnn_index(cnn) -> NeighbourIndex:
    return NeighbourIndex.build(cnn, load_reference_digits())


def _cache_bomb(kind: str) -> bytes:
    count = len(load_reference_digits())
    if kind == "huge-header":
        return npz_bytes({"features": huge_header_member()}, compress=False)
    if kind == "bomb":
        return bomb_npz("features", "<f2", (count, 200_000), 256 << 20)
    if kind == "object-features":
        return npz_bytes({"features": npy_header("|O", (count, 4))})
    return os.urandom(839)


@pytest.mark.parametrize(
    "kind", ["huge-header", "bomb", "object-features", "random", "fifo", "folder"]
)
def test_an_odd_cache_file_is_deleted_and_rebuilt(cnn, cnn_index, tmp_path, monkeypatch, kind):
    reference = load_reference_digits()
    path = tmp_path / f"{model_sha256(cnn)}.npz"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
        (path / "inside").write_text("x")
    else:
        path.write_bytes(_cache_bomb(kind))
    index: list[NeighbourIndex] = []
    peak = _peak_while(lambda: index.append(NeighbourIndex.load_or_build(cnn, reference, tmp_path)))
    expected = cnn_index
    np.testing.assert_array_equal(index[0].features, expected.features)
    assert path.is_file()  # rebuilt: a real cache now stands where the odd file was
    assert peak < 4 * expected.features.nbytes + PEAK_LIMIT  # the index, never the bomb

    def must_not_rebuild(*args: object) -> NeighbourIndex:
        raise AssertionError("the rebuilt cache was not used")

    monkeypatch.setattr(NeighbourIndex, "build", classmethod(must_not_rebuild))
    again = NeighbourIndex.load_or_build(cnn, reference, tmp_path)
    np.testing.assert_array_equal(again.features, expected.features)


def test_a_cache_of_the_right_shape_with_other_members_is_not_trusted(cnn, cnn_index, tmp_path):
    reference = load_reference_digits()
    path = tmp_path / f"{model_sha256(cnn)}.npz"
    features = cnn_index.features.astype(np.float16)
    np.savez(path, format_version=np.int64(1), features=features)  # no sha256, no digest
    NeighbourIndex.load_or_build(cnn, reference, tmp_path)
    with np.load(path, allow_pickle=False) as archive:
        assert str(archive["model_sha256"]) == model_sha256(cnn)
