"""load_image: every format Pillow reads opens upright; every bad file gets one line."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core import MAX_PIXELS, ImageLoadError, load_image, preprocess_bitmap


@pytest.fixture
def digit_image() -> Image.Image:
    """A "7", black on white, 120x80 (wider than tall, so a rotation is visible)."""
    image = Image.new("RGB", (120, 80), "white")
    ImageDraw.Draw(image).line([(30, 10), (90, 10), (50, 70)], fill="black", width=6)
    return image


@pytest.mark.parametrize(
    ("suffix", "save_options"),
    [
        (".png", {}),
        (".jpg", {"quality": 90}),
        (".bmp", {}),
        (".gif", {}),
        (".tiff", {}),
        (".webp", {"lossless": True}),
        (".ppm", {}),
    ],
)
def test_common_formats_load(tmp_path, digit_image, suffix, save_options):
    path = tmp_path / f"seven{suffix}"
    digit_image.save(path, **save_options)
    loaded = load_image(path)
    assert loaded.size == (120, 80)
    assert preprocess_bitmap(loaded) is not None


def test_animated_gif_gives_its_first_frame(tmp_path, digit_image):
    blank = Image.new("RGB", digit_image.size, "white")
    path = tmp_path / "animated.gif"
    digit_image.save(path, save_all=True, append_images=[blank, blank], duration=100)
    assert preprocess_bitmap(load_image(path)) is not None


def test_exif_orientation_is_applied(tmp_path, digit_image):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display needs a 90 degree turn clockwise
    path = tmp_path / "rotated.jpg"
    digit_image.save(path, exif=exif.tobytes())
    loaded = load_image(path)
    assert loaded.size == (80, 120)


def test_the_returned_image_does_not_keep_the_file_open(tmp_path, digit_image):
    path = tmp_path / "seven.png"
    digit_image.save(path)
    loaded = load_image(path)
    path.unlink()
    assert np.asarray(loaded).shape == (80, 120, 3)


def _assert_one_line(error: ImageLoadError, *fragments: str) -> None:
    message = str(error)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_missing_file(tmp_path):
    with pytest.raises(ImageLoadError) as caught:
        load_image(tmp_path / "nope.png")
    _assert_one_line(caught.value, "nope.png", "not found")


def test_folder(tmp_path):
    with pytest.raises(ImageLoadError) as caught:
        load_image(tmp_path)
    _assert_one_line(caught.value, "folder")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ImageLoadError) as caught:
        load_image(path)
    _assert_one_line(caught.value, "empty")


def test_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("these are not pixels\n" * 20)
    with pytest.raises(ImageLoadError) as caught:
        load_image(path)
    _assert_one_line(caught.value, "notes.png", "not a picture")


def test_truncated_file(tmp_path, digit_image):
    whole = tmp_path / "whole.png"
    digit_image.resize((600, 400)).save(whole)
    data = whole.read_bytes()
    path = tmp_path / "truncated.png"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageLoadError) as caught:
        load_image(path)
    _assert_one_line(caught.value, "truncated.png", "damaged")


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_svg_is_refused_with_advice(tmp_path, suffix):
    path = tmp_path / f"drawing{suffix}"
    path.write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
        'height="10"><path d="M1 1 L9 9" stroke="black"/></svg>\n'
    )
    with pytest.raises(ImageLoadError) as caught:
        load_image(path)
    _assert_one_line(caught.value, "SVG is not supported", "PNG")


def _huge_png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height``; decoding it would need gigabytes."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "size",
    [(10_000, 6_000), (20_000, 20_000)],  # above our limit; above Pillow's own bomb limit
    ids=["over-50-megapixels", "decompression-bomb"],
)
def test_oversized_images_are_refused_before_decoding(tmp_path, size):
    assert size[0] * size[1] > MAX_PIXELS
    path = tmp_path / "bomb.png"
    path.write_bytes(_huge_png_header(*size))
    with pytest.raises(ImageLoadError) as caught:
        load_image(path)
    _assert_one_line(caught.value, "bomb.png", "too large")
