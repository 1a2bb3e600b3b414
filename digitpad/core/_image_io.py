"""Open any image file Pillow reads, or say in one line why it cannot be used."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# Far beyond any photo of a digit; refused from the header alone, before decoding,
# so a crafted file cannot exhaust memory.
MAX_PIXELS = 50_000_000
_SVG_SUFFIXES = (".svg", ".svgz")


class ImageLoadError(Exception):
    """An image file cannot be used; ``str(error)`` is a one-line message for people."""


def _looks_like_svg(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in _SVG_SUFFIXES:
        return True
    text = head.lstrip().lower()
    return text.startswith((b"<svg", b"<?xml")) and b"<svg" in text


def load_image(path: str | Path) -> Image.Image:
    """Read the first frame of an image, upright as its EXIF orientation says.

    Raises
    ------
    ImageLoadError
        Missing file, folder, empty file, not an image, SVG, truncated or corrupt data,
        or more than ``MAX_PIXELS`` pixels.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise ImageLoadError(f"{name}: file not found")
    if path.is_dir():
        raise ImageLoadError(f"{name}: is a folder, not an image file")
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError as error:
        raise ImageLoadError(f"{name}: cannot be read ({error.strerror or error})") from None
    if not head:
        raise ImageLoadError(f"{name}: the file is empty")
    if _looks_like_svg(path, head):
        raise ImageLoadError(f"{name}: SVG is not supported; export the drawing to PNG first")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageLoadError(
                        f"{name}: {width}x{height} pixels is too large "
                        f"(limit {MAX_PIXELS // 1_000_000} megapixels)"
                    )
                image.load()
                return ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageLoadError(f"{name}: the image is too large to open safely") from None
    except UnidentifiedImageError:
        raise ImageLoadError(f"{name}: not an image file Pillow can read") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ImageLoadError(f"{name}: the image data is damaged ({detail})") from None
