"""Open an untrusted image file safely, or say in one line why it cannot be used.

Files come from anywhere (a download, a drop, a shell glob), so this reads them the way
careful desktop tools do: the path is stat'ed and opened without blocking, and only a
regular file of sane size is read; only formats Pillow decodes by itself are tried
(PostScript/EPS would run Ghostscript, so it is never even identified); the size is
checked from the header before decoding; a big picture is reduced while it decodes
(JPEG's DCT scaling) or right after, and one that Pillow can only decode whole is
decoded in a child process with resource limits (``_picture_child``), so its full-size
pixels never live in the caller's process. Every failure is one ``ImageLoadError``.
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from digitpad.core.files._picture_child import PictureChildError, decode_in_child
from digitpad.core.files._pixel_values import to_uint8
from digitpad.core.files._untrusted_files import (
    UntrustedFileError,
    first_line,
    open_regular_file,
    os_reason,
)

# Far beyond any photo of a digit; refused from the header alone, before decoding,
# so a crafted file cannot exhaust memory.
MAX_PIXELS = 50_000_000
# No image of a digit needs more; a bigger file is refused before a byte is read.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Pictures are reduced so their longer side is at most this: the preprocessing shrinks a
# digit's crop to 64-128 pixels anyway, and the window and the command line must read
# the very same pixels (the canvas shows pictures at most this big).
MAX_SIDE = 1024
# A picture of more pixels that Pillow cannot reduce while decoding (anything but JPEG)
# is decoded in a child process. Decoded whole it costs up to 4 bytes a pixel: 64 MB at
# 16 MP, which keeps the window (130 MB idle) under 300 MB in process; below it, starting
# a child (0.3-0.5 s) would cost more than it saves, and typical photos and screenshots
# (12 MP and less) open as fast as ever.
CHILD_DECODE_ABOVE_PIXELS = 16_000_000
# A JPEG decodes at 1/2, 1/4 or 1/8 of its size (DCT scaling) for a fraction of the cost
# of decoding it whole. A scale that still gives this share of the side wanted is taken
# as it is: a 12 MP photo read at 4 MP (2,309 pixels across) decodes at 2,000 instead of
# whole and then averaged down, 5 times faster, and no reading needs those last pixels.
JPEG_DRAFT_SHARE = 0.8
# The Pillow plugins tried, in this order: formats Pillow decodes with its own code and
# the libraries its wheels bundle. Left out: EPS (runs Ghostscript), WMF/EMF, the
# scientific stubs (BUFR, GRIB, HDF5) that need outside handlers, and rarities.
ALLOWED_FORMATS = (
    "PNG",
    "JPEG",
    "GIF",
    "BMP",
    "DIB",
    "TIFF",
    "WEBP",
    "AVIF",
    "JPEG2000",
    "PPM",
    "ICO",
    "QOI",
    "PCX",
    "SGI",
    "TGA",  # last: TGA has no signature, so it must not shadow the others
)
_SVG_SUFFIXES = (".svg", ".svgz")
# What a file Pillow cannot identify is, in words for people (the window and the CLI).
NOT_A_PICTURE = "not a picture digitpad can read (it reads PNG, JPEG, GIF, BMP, TIFF, WebP, ...)"
# PostScript as text, and the binary header of DOS EPS files.
_POSTSCRIPT_MAGIC = (b"%!", b"\xc5\xd0\xd3\xc6")


class ImageLoadError(Exception):
    """An image file cannot be used; ``str(error)`` is a one-line message for people.

    ``path`` and ``reason`` are its two halves, for callers that show the path already
    (a table row, a JSON document): the message names the path once.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _looks_like_svg(suffix: str, head: bytes) -> bool:
    if suffix.lower() in _SVG_SUFFIXES:
        return True
    text = head.lstrip().lower()
    return text.startswith((b"<svg", b"<?xml")) and b"<svg" in text


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit and float pictures as 8-bit luminance, scaled by their type's range.

    Pillow's own conversion clips them at 255, which turns most 16-bit pictures white;
    the core's scaling is the one ``preprocess_bitmap`` uses, so every caller (the
    window included) sees the same grey levels.
    """
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        values = np.asarray(image.convert("I") if image.mode.startswith("I;16") else image)
        return Image.fromarray(to_uint8(values))
    return image


def decodes_in_a_child(image: Image.Image) -> bool:
    """Whether ``load_image`` decodes this opened (not yet loaded) picture in a child:
    it is big, and Pillow cannot decode it at a fraction of its size (JPEG's draft)."""
    reduces_while_decoding = type(image).draft is not Image.Image.draft
    return image.width * image.height > CHILD_DECODE_ABOVE_PIXELS and not reduces_while_decoding


def fitting_side(width: int, height: int, max_side: int, max_pixels: int | None) -> int:
    """The longest side a ``width`` x ``height`` picture is reduced to: at most
    ``max_side``, and small enough to hold at most ``max_pixels`` pixels (when given).

    A long strip of digits keeps its height this way: 20,000 x 200 pixels stays whole
    under a 4-megapixel budget, where a 1,024-pixel side would leave digits 10 pixels
    tall.
    """
    side = max_side
    if max_pixels is not None and width * height > max_pixels:
        side = min(side, int(max(width, height) * math.sqrt(max_pixels / (width * height))))
    return max(side, 1)


def _decode(
    file: BinaryIO, name: str, max_side: int, in_child: bool, max_pixels: int | None = None
) -> Image.Image:
    """Identify (allowed formats only), check the size, then decode at most ``max_side``
    (and ``max_pixels``, see ``fitting_side``).

    A big picture Pillow can only decode whole goes to a child process (``in_child``).
    """
    with Image.open(file, formats=ALLOWED_FORMATS) as image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageLoadError(
                name,
                f"{width}x{height} pixels is too large "
                f"(limit {MAX_PIXELS // 1_000_000} megapixels)",
            )
        max_side = fitting_side(width, height, max_side, max_pixels)
        if in_child and decodes_in_a_child(image):
            try:
                return decode_in_child(file, max_side)
            except PictureChildError as error:
                raise ImageLoadError(name, str(error)) from None
        if max(width, height) > max_side:
            share = JPEG_DRAFT_SHARE * max_side / max(width, height)
            image.draft(None, (math.ceil(width * share), math.ceil(height * share)))
            # thumbnail() asks JPEG to decode at 1/2-1/8 scale (draft) and area-averages
            # the rest with reduce(), so a 50-megapixel photo never exists in memory. A
            # reducing gap of 1 lets the draft go down to the size wanted (the default, 2,
            # decodes a 12 MP photo whole: 2.5 times the time, no better to read). A draft
            # already at most max_side is left as it is.
            image.thumbnail((max_side, max_side), Image.Resampling.BOX, reducing_gap=1.0)
        # Turned upright in place: the decoded pixels are the picture handed back (the
        # file is closed, the pixels stay), not copied once more into fresh memory.
        ImageOps.exif_transpose(image, in_place=True)
        return _eight_bit(image)


def load_image(
    path: str | Path, max_side: int = MAX_SIDE, max_pixels: int | None = None
) -> Image.Image:
    """Read the first frame of an image, upright as its EXIF orientation says.

    A picture whose longer side exceeds ``max_side``, or that holds more than
    ``max_pixels`` pixels, comes back reduced to fit; 16-bit and float pictures come
    back as 8-bit luminance.

    Raises
    ------
    ImageLoadError
        Missing or unreadable file, folder, pipe, device or socket, empty or oversized
        file, not an image in an allowed format (``ALLOWED_FORMATS``), SVG, truncated or
        corrupt data, or more than ``MAX_PIXELS`` pixels. Nothing else, whatever the
        file holds.
    """
    if not str(path):  # Path("") would quietly mean the current folder
        raise ImageLoadError("", "no file name given")
    path = Path(path)
    name = str(path)
    try:
        opened = open_regular_file(path, MAX_FILE_BYTES)
    except UntrustedFileError as error:
        raise ImageLoadError(name, str(error)) from None
    with opened as file:
        return _read_picture(
            file, path.suffix, name, max_side, in_child=True, max_pixels=max_pixels
        )


def load_image_stream(
    stream: BinaryIO,
    name: str = "standard input",
    max_side: int = MAX_SIDE,
    max_pixels: int | None = None,
) -> Image.Image:
    """``load_image`` for a picture arriving on a stream (``digitpad predict -``).

    The same rules apply: at most ``MAX_FILE_BYTES`` are read (a longer stream is
    refused, not buffered), an empty stream is refused, and the bytes go through the
    same sniffing and decoding as a file. ``name`` stands for the stream in messages.

    Raises
    ------
    ImageLoadError
        As ``load_image`` does.
    """
    try:
        data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImageLoadError(name, os_reason(error)) from None
    if not data:
        raise ImageLoadError(name, "nothing arrived (the input is empty)")
    if len(data) > MAX_FILE_BYTES:
        raise ImageLoadError(
            name,
            f"more than {MAX_FILE_BYTES // (1024 * 1024)} MB is too large for a picture of a digit",
        )
    return _read_picture(io.BytesIO(data), "", name, max_side, in_child=True, max_pixels=max_pixels)


def read_picture_in_process(file: BinaryIO, max_side: int) -> Image.Image:
    """What ``load_image`` does with an open file, all of it in this process.

    The decoding child runs this, so it reads every file as ``load_image`` would.
    ``ImageLoadError.reason`` says why a file cannot be used (its path is empty).
    """
    return _read_picture(file, "", "", max_side, in_child=False)


def _read_picture(
    file: BinaryIO,
    suffix: str,
    name: str,
    max_side: int,
    *,
    in_child: bool,
    max_pixels: int | None = None,
) -> Image.Image:
    """Sniff, refuse what is not pixels, then decode; every failure an ``ImageLoadError``.

    ``in_child``: a big picture that Pillow can only decode whole goes to a child process.
    """
    try:
        head = file.read(512)
        file.seek(0)
    except OSError as error:
        raise ImageLoadError(name, os_reason(error)) from None
    if _looks_like_svg(suffix, head):
        raise ImageLoadError(name, "SVG is not supported; export the drawing to PNG first")
    if head.startswith(_POSTSCRIPT_MAGIC):
        raise ImageLoadError(
            name,
            "PostScript/EPS is not supported (it is a program, not pixels); "
            "export the drawing to PNG first",
        )
    try:
        # Pillow warns about every oddity of a damaged file (corrupt EXIF, skipped
        # tags); what it could decode is used, and a terminal stays quiet. Its
        # DecompressionBombWarning needs no handling: it starts above MAX_PIXELS.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _decode(file, name, max_side, in_child, max_pixels)
    except ImageLoadError:
        raise
    except (Image.DecompressionBombError, MemoryError):
        raise ImageLoadError(name, "the image is too large to open safely") from None
    except UnidentifiedImageError:
        raise ImageLoadError(name, NOT_A_PICTURE) from None
    except Exception as error:
        # Pillow's decoders report malformed data with whatever exception the parsing
        # step raised (OSError, SyntaxError, struct.error, IndexError, ...); for an
        # untrusted file every one of them means the same thing.
        detail = first_line(error)
        raise ImageLoadError(name, f"the image data is damaged ({detail})") from None
