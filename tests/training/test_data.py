"""MNIST loading: the real files load and validate; every kind of bad file is named."""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

from tests.training.idx_files import idx_bytes
from training.cli import main
from training.data import Mnist, MnistDataError, load_mnist, load_split

# md5 of the uncompressed files (shared/data/mnist/README.md)
TEST_IMAGES_MD5 = "2646ac647ad5339dbf082846283269ea"


def test_real_mnist_has_the_documented_counts_and_shapes(mnist: Mnist) -> None:
    assert mnist.train.images.shape == (60000, 28, 28)
    assert mnist.test.images.shape == (10000, 28, 28)
    assert mnist.train.images.dtype == np.uint8
    assert set(np.unique(mnist.train.labels)) == set(range(10))
    assert mnist.test.labels[:8].tolist() == [7, 2, 1, 0, 4, 1, 4, 9]
    header = struct.pack(">IIII", 2051, 10000, 28, 28)
    digest = hashlib.md5(header + mnist.test.images.tobytes()).hexdigest()
    assert digest == TEST_IMAGES_MD5


@pytest.mark.parametrize("gzipped", [True, False])
def test_tiny_folder_loads_gzipped_or_plain(write_mnist, gzipped: bool) -> None:
    folder = write_mnist(gzipped=gzipped)
    loaded = load_mnist(folder)
    assert len(loaded.train) == 5
    assert loaded.test.images.shape == (3, 28, 28)
    assert loaded.test.labels.max() < 10


def _labels_path(folder: Path) -> Path:
    return folder / "t10k-labels-idx1-ubyte.gz"


def _rewrite(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data))


def test_missing_file_is_named(write_mnist) -> None:
    folder = write_mnist()
    _labels_path(folder).unlink()
    with pytest.raises(MnistDataError, match=r"t10k-labels-idx1-ubyte.*not found"):
        load_split(folder, "test")


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(MnistDataError, match=r"nowhere: MNIST folder not found"):
        load_mnist(tmp_path / "nowhere")


def test_wrong_magic_is_named(write_mnist) -> None:
    folder = write_mnist()
    _rewrite(_labels_path(folder), idx_bytes(np.zeros(3, np.uint8), 2051))
    with pytest.raises(
        MnistDataError, match=r"t10k-labels.*wrong magic number 2051, expected 2049"
    ):
        load_split(folder, "test")


def test_truncated_header_is_named(write_mnist) -> None:
    folder = write_mnist()
    _rewrite(_labels_path(folder), b"\x00\x00\x08")
    with pytest.raises(MnistDataError, match=r"t10k-labels.*truncated.*header"):
        load_split(folder, "test")


def test_truncated_data_is_named(write_mnist) -> None:
    folder = write_mnist()
    images = folder / "t10k-images-idx3-ubyte.gz"
    data = gzip.decompress(images.read_bytes())
    _rewrite(images, data[:-100])
    with pytest.raises(MnistDataError, match=r"t10k-images.*truncated, 2252 data bytes.*2352"):
        load_split(folder, "test")


def test_wrong_image_size_is_named(write_mnist) -> None:
    folder = write_mnist()
    _rewrite(folder / "t10k-images-idx3-ubyte.gz", idx_bytes(np.zeros((3, 32, 32), np.uint8), 2051))
    with pytest.raises(MnistDataError, match=r"t10k-images.*item shape \(32, 32\)"):
        load_split(folder, "test")


def test_label_outside_0_to_9_is_named(write_mnist) -> None:
    folder = write_mnist()
    _rewrite(_labels_path(folder), idx_bytes(np.array([1, 12, 3], np.uint8), 2049))
    with pytest.raises(MnistDataError, match=r"t10k-labels.*label 12 is outside 0-9"):
        load_split(folder, "test")


def test_image_and_label_counts_must_agree(write_mnist) -> None:
    folder = write_mnist()
    _rewrite(_labels_path(folder), idx_bytes(np.array([1, 2], np.uint8), 2049))
    with pytest.raises(MnistDataError, match=r"holds 3 images but .* holds 2 labels"):
        load_split(folder, "test")


def test_corrupt_gzip_is_named(write_mnist) -> None:
    folder = write_mnist()
    _labels_path(folder).write_bytes(b"not gzip at all")
    with pytest.raises(MnistDataError, match=r"t10k-labels-idx1-ubyte.gz: cannot read"):
        load_split(folder, "test")


def test_command_line_reports_bad_data_in_one_line(write_mnist, capsys) -> None:
    folder = write_mnist()
    _labels_path(folder).unlink()
    assert main(["--data-dir", str(folder), "--smoke"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ")
    assert "t10k-labels-idx1-ubyte" in error
    assert "Traceback" not in error
    assert error.count("\n") == 1
