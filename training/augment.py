"""Per-batch augmentation that prepares the models for digits people draw in the app.

It runs in the tf.data pipeline, outside the models, so the exported graphs hold only the
fixed layer stacks. Every batch draws its random numbers from ``(seed, step)`` with
stateless ops: the same seed gives the same augmented stream on every run.

The changes stay small enough that a digit still looks MNIST-normalised (about a 20x20
box, centred), because the app's preprocessing hands the models exactly that.
"""

from __future__ import annotations

import math

import tensorflow as tf

from training.recipe import Augmentation

_CENTRE = 13.5  # the middle of a 28-pixel axis, in pixel-centre coordinates
_DEFAULT_SETTINGS = Augmentation()


def _affine_transforms(uniform: tf.Tensor, settings: Augmentation) -> tf.Tensor:
    """Output-to-input pixel maps (N, 8) for ImageProjectiveTransformV3.

    ``uniform`` holds five U(0, 1) columns per image: rotation, scale, shear, x and y shift.
    """

    def spread(column: int, low: float, high: float) -> tf.Tensor:
        return low + (high - low) * uniform[:, column]

    angle = spread(0, -1.0, 1.0) * (settings.max_rotation_degrees * math.pi / 180.0)
    scale = spread(1, settings.min_scale, settings.max_scale)
    shear = spread(2, -settings.max_shear, settings.max_shear)
    shift_x = spread(3, -settings.max_shift_pixels, settings.max_shift_pixels)
    shift_y = spread(4, -settings.max_shift_pixels, settings.max_shift_pixels)
    # Forward map: out = R(angle) @ Shear(shear) @ (scale * (in - c)) + c + shift.
    # The op wants the inverse, in = F^-1 (out - c - shift) + c.
    cos, sin = tf.cos(angle), tf.sin(angle)
    # F = scale * [[cos, cos*shear - sin], [sin, sin*shear + cos]], det F = scale^2.
    f00, f01 = scale * cos, scale * (cos * shear - sin)
    f10, f11 = scale * sin, scale * (sin * shear + cos)
    det = f00 * f11 - f01 * f10
    a0, a1, b0, b1 = f11 / det, -f01 / det, -f10 / det, f00 / det
    dx, dy = _CENTRE + shift_x, _CENTRE + shift_y
    a2 = _CENTRE - (a0 * dx + a1 * dy)
    b2 = _CENTRE - (b0 * dx + b1 * dy)
    zeros = tf.zeros_like(a0)
    return tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def _change_stroke_width(
    images: tf.Tensor, uniform: tf.Tensor, settings: Augmentation
) -> tf.Tensor:
    """Thicken (grey dilation) or thin (grey erosion) some images' strokes by a 2x2 window."""
    thick = tf.nn.max_pool2d(images, ksize=2, strides=1, padding="SAME")
    thin = -tf.nn.max_pool2d(-images, ksize=2, strides=1, padding="SAME")
    choice = tf.reshape(uniform, (-1, 1, 1, 1))
    images = tf.where(choice < settings.thicken_probability, thick, images)
    thin_from = 1.0 - settings.thin_probability
    return tf.where(choice > thin_from, thin, images)


def augment_batch(
    images: tf.Tensor, seed: tf.Tensor, settings: Augmentation = _DEFAULT_SETTINGS
) -> tf.Tensor:
    """Randomly rotate, scale, shear, shift and re-stroke a batch of raw 0..255 images.

    Parameters
    ----------
    images
        float32 (N, 28, 28, 1), raw pixel values, ink bright on dark.
    seed
        int32/int64 shape (2,): the run's seed and the batch's step number.
    settings
        The ranges of the random changes.
    """
    uniform = tf.random.stateless_uniform((tf.shape(images)[0], 6), seed=seed)
    images = _change_stroke_width(images, uniform[:, 5], settings)
    transformed = tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=_affine_transforms(uniform, settings),
        output_shape=tf.constant([28, 28], tf.int32),
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )
    return tf.clip_by_value(transformed, 0.0, 255.0)
