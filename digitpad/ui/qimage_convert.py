"""Moving pixels between Qt images and numpy arrays or PIL images, at the UI's edge.

Everything from the numpy array on (normalisation, the models) is the core's job; these
functions only copy pixels, minding Qt's padded scan lines.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtGui import QImage


def qimage_to_gray_array(image: QImage) -> np.ndarray:
    """The image as an (H, W) uint8 grayscale array, owning its memory."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    height, width, stride = gray.height(), gray.width(), gray.bytesPerLine()
    padded = np.frombuffer(gray.constBits(), dtype=np.uint8, count=stride * height)
    return padded.reshape(height, stride)[:, :width].copy()


def gray_array_to_qimage(array: np.ndarray) -> QImage:
    """An (H, W) array of 0..255 values as a grayscale QImage that owns a copy."""
    pixels = np.ascontiguousarray(np.clip(np.rint(array), 0, 255).astype(np.uint8))
    height, width = pixels.shape
    image = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8)
    return image.copy()


def pil_to_qimage(picture: Image.Image) -> QImage:
    """A PIL image as a QImage (RGBA, so transparency survives) that owns a copy."""
    rgba = np.ascontiguousarray(np.asarray(picture.convert("RGBA"), dtype=np.uint8))
    height, width, _ = rgba.shape
    image = QImage(rgba.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
    return image.copy()


def qimage_to_rgba_array(image: QImage) -> np.ndarray:
    """The image as an (H, W, 4) uint8 RGBA array (e.g. a pasted picture), owning its memory."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    height, width, stride = rgba.height(), rgba.width(), rgba.bytesPerLine()
    padded = np.frombuffer(rgba.constBits(), dtype=np.uint8, count=stride * height)
    return padded.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()
