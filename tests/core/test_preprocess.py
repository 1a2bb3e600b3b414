"""preprocess_bitmap: any picture of a digit becomes MNIST's 28x28 input, or None."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from benchmarks.canvas import draw_on_canvas
from digitpad.core import has_dark_background, preprocess_bitmap
from digitpad.core.preprocessing import MNIST_WIDTH_HIGH, MNIST_WIDTH_LOW, stroke_width

CANVAS = 280


def _mass_centre(field: np.ndarray) -> tuple[float, float]:
    total = field.sum()
    return (
        float(field.sum(axis=1) @ np.arange(28)) / total,
        float(field.sum(axis=0) @ np.arange(28)) / total,
    )


def _draw_seven(brush: int, *, size: int = CANVAS) -> Image.Image:
    """A "7" drawn with a round brush of ``brush`` pixels, black on white."""
    image = Image.new("L", (size, size), 255)
    pen = ImageDraw.Draw(image)
    pen.line([(70, 60), (210, 60), (120, 235)], fill=0, width=brush, joint="curve")
    return image


@pytest.fixture(scope="module")
def mnist_digit(mnist_test, recognizer) -> np.ndarray:
    """A clear MNIST test "3" (uint8 28x28, ink bright): the one the models are surest of."""
    threes = mnist_test.images[mnist_test.labels == 3][:50].astype(np.float32)
    least_sure = np.min([m.predict_batch(threes)[:, 3] for m in recognizer.loaded_models], axis=0)
    return threes[np.argmax(least_sure)].astype(np.uint8)


@pytest.fixture(scope="module")
def drawn_digit(mnist_digit) -> Image.Image:
    """That digit drawn black on a white 280x280 canvas (L mode)."""
    return draw_on_canvas(mnist_digit, np.random.default_rng(1), "dark-on-light").convert("L")


def test_output_is_mnist_shaped(drawn_digit):
    field = preprocess_bitmap(drawn_digit)
    assert field.shape == (28, 28)
    assert field.dtype == np.float32
    assert field.max() == pytest.approx(255.0)
    assert field.min() >= 0.0
    rows, cols = np.nonzero(field > 0)
    # Fitted into the 20x20 box: the longer side is 20 pixels (give or take the edge).
    assert 19 <= max(np.ptp(rows), np.ptp(cols)) + 1 <= 21
    assert _mass_centre(field) == pytest.approx((14.0, 14.0), abs=0.6)


def _modes(drawn: Image.Image) -> dict[str, Image.Image]:
    ink = 255 - np.asarray(drawn)
    rgba = np.zeros((*ink.shape, 4), dtype=np.uint8)
    rgba[..., 3] = ink
    palette_transparent = drawn.convert("P")
    palette_transparent.info["transparency"] = 255
    light_on_dark = Image.fromarray(ink)
    return {
        "L": drawn,
        "LA": drawn.convert("LA"),
        "RGB": drawn.convert("RGB"),
        "RGBA opaque": drawn.convert("RGBA"),
        "RGBA strokes on transparent": Image.fromarray(rgba),
        "RGBa premultiplied": Image.fromarray(rgba).convert("RGBa"),
        "La premultiplied": Image.fromarray(rgba).convert("LA").convert("La"),
        "P": drawn.convert("P"),
        "P with transparency": palette_transparent,
        "I;16": Image.fromarray(np.asarray(drawn).astype(np.uint16) * 257),
        "I": drawn.convert("I"),
        "F 0..1": Image.fromarray(np.asarray(drawn, dtype=np.float32) / 255),
        "CMYK": drawn.convert("CMYK"),
        "1": drawn.point(lambda v: 255 if v > 128 else 0).convert("1"),
        "light ink on dark": light_on_dark,
        "numpy uint8 RGBA": np.asarray(drawn.convert("RGBA")),
        "numpy float 0..255": np.asarray(drawn, dtype=np.float32),
        "numpy (H, W, 1)": np.asarray(drawn)[..., np.newaxis],
    }


def test_every_mode_and_polarity_reads_the_same(drawn_digit, recognizer):
    reference = preprocess_bitmap(drawn_digit)
    for mode, image in _modes(drawn_digit).items():
        field = preprocess_bitmap(image)
        assert field is not None, mode
        # Bilevel "1" loses the antialiasing, so it may differ more, but not in shape.
        tolerance = 20.0 if mode == "1" else 3.0
        assert np.abs(field - reference).mean() < tolerance, mode
        prediction = recognizer.predict(image)
        assert {answer.digit for answer in prediction.answers.values()} == {3}, mode


@pytest.mark.parametrize(
    "blank",
    [
        Image.new("L", (280, 280), 255),
        Image.new("L", (280, 280), 0),
        Image.new("RGB", (280, 280), (120, 130, 140)),
        Image.new("RGBA", (280, 280), (0, 0, 0, 0)),
        Image.new("RGBA", (280, 280), (255, 255, 255, 0)),
        Image.new("1", (64, 64), 1),
        np.zeros((0, 0), dtype=np.uint8),
        np.full((28, 28), 0.5, dtype=np.float32),
    ],
    ids=["white", "black", "grey", "transparent", "transparent-white", "bilevel", "empty", "flat"],
)
def test_no_ink_gives_none(blank):
    assert preprocess_bitmap(blank) is None


@pytest.mark.parametrize("shape", [(1, 50), (2, 2), (28, 28), (280, 280, 3), (9, 7, 2)])
def test_pure_noise_is_not_a_digit(shape):
    noise = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    assert preprocess_bitmap(noise) is None


def test_paper_noise_and_faint_marks_are_not_ink():
    rng = np.random.default_rng(0)
    paper = np.clip(rng.normal(225, 6, (280, 280)), 0, 255).astype(np.uint8)
    assert preprocess_bitmap(paper) is None
    paper[100, 100] = 210  # a faint smudge within the paper's own noise range
    assert preprocess_bitmap(paper) is None


def test_a_digit_filling_the_canvas_and_crossing_its_edges_is_read(recognizer):
    image = Image.new("L", (280, 280), 255)
    # A "7" whose bar and stem run off the top, right and bottom edges.
    ImageDraw.Draw(image).line([(-20, 15), (265, 15), (90, 300)], fill=0, width=34)
    border = np.concatenate([np.asarray(image)[0], np.asarray(image)[:, -1]])
    assert np.mean(border < 128) > 0.25
    assert [a.digit for a in recognizer.predict(image).answers.values()] == [7, 7]


def test_jpeg_artefacts_do_not_widen_the_crop(drawn_digit):
    buffer = io.BytesIO()
    drawn_digit.save(buffer, format="JPEG", quality=40)
    jpeg = Image.open(buffer)
    field = preprocess_bitmap(jpeg)
    reference = preprocess_bitmap(drawn_digit)
    assert np.abs(field - reference).mean() < 5.0


def test_a_one_stays_thin_and_centred():
    image = Image.new("L", (280, 280), 255)
    ImageDraw.Draw(image).line([(150, 40), (140, 240)], fill=0, width=14)
    field = preprocess_bitmap(image)
    columns = np.flatnonzero(field.max(axis=0) > 64)
    rows = np.flatnonzero(field.max(axis=1) > 64)
    assert len(rows) >= 19
    assert len(columns) <= 5  # not stretched to the box's width
    assert _mass_centre(field)[1] == pytest.approx(14.0, abs=0.6)


@pytest.mark.parametrize("brush", [1, 3, 12, 30, 60])
def test_any_brush_gives_mnist_stroke_width(brush, recognizer):
    field = preprocess_bitmap(_draw_seven(brush))
    width = stroke_width(field / 255.0)
    # The decision is taken on the full-resolution drawing; measured again on the 28x28
    # result the width can read a little differently.
    assert MNIST_WIDTH_LOW - 0.15 <= width <= MNIST_WIDTH_HIGH + 0.15
    prediction = recognizer.predict(_draw_seven(brush))
    assert [answer.digit for answer in prediction.answers.values()] == [7, 7]


def test_a_normal_brush_is_left_alone():
    # 16 and 26 px brushes on a 280 canvas give 1.6-2.6 px strokes in the 20x20 box:
    # within MNIST's range, so their thickness comes from the drawing, not from dilation.
    thin = stroke_width(preprocess_bitmap(_draw_seven(16)) / 255.0)
    thicker = stroke_width(preprocess_bitmap(_draw_seven(26)) / 255.0)
    assert thicker > thin + 0.5


def test_small_drawings_are_scaled_up():
    image = Image.new("L", (280, 280), 255)
    ImageDraw.Draw(image).line([(120, 120), (135, 120), (126, 140)], fill=0, width=2)
    field = preprocess_bitmap(image)
    rows = np.flatnonzero(field.max(axis=1) > 32)
    assert len(rows) >= 19


def test_mnist_digits_pass_through_nearly_unchanged(mnist_test, recognizer):
    digits = mnist_test.images[:500]
    fields = np.stack([preprocess_bitmap(digit) for digit in digits])
    change = np.abs(fields - digits).mean(axis=(1, 2))
    assert np.mean(change < 1.0) >= 0.9  # grey levels out of 255
    for model in recognizer.loaded_models:
        before = model.predict_batch(digits.astype(np.float32)).argmax(axis=1)
        after = model.predict_batch(fields).argmax(axis=1)
        assert np.mean(before == after) >= 0.99, model.name


def test_rejects_arrays_that_are_not_images():
    with pytest.raises(ValueError, match="expected an"):
        preprocess_bitmap(np.zeros((4, 4, 7), dtype=np.uint8))


def test_strokes_on_transparent_are_ink_however_much_they_cover(recognizer):
    # A bold "0" covering more than half of the picture: still strokes on transparent.
    layer = Image.new("L", (100, 100), 0)
    ImageDraw.Draw(layer).ellipse((8, 2, 92, 98), outline=255, width=30)
    rgba = Image.new("RGBA", layer.size, (0, 0, 0, 0))
    rgba.putalpha(layer)
    assert np.mean(np.asarray(layer) > 127) > 0.5
    assert [a.digit for a in recognizer.predict(rgba).answers.values()] == [0, 0]


def test_transparent_corners_of_paper_are_not_ink():
    # White paper with rounded transparent corners and a dark "1" drawn on it.
    paper = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    pen = ImageDraw.Draw(paper)
    pen.rounded_rectangle((0, 0, 199, 199), radius=40, fill=(255, 255, 255, 255))
    pen.line([(100, 30), (100, 170)], fill=(0, 0, 0, 255), width=12)
    field = preprocess_bitmap(paper)
    assert len(np.flatnonzero(field.max(axis=0) > 64)) <= 5  # just the stroke, no corners


def test_dark_background_is_judged_by_the_paper_not_the_amount_of_ink():
    seven = _draw_seven(12)
    assert not has_dark_background(seven)
    assert has_dark_background(ImageOps.invert(seven))
    # Mostly covered by dark ink, yet on white paper: the border decides, as for the crop.
    covered = Image.new("L", (CANVAS, CANVAS), 255)
    ImageDraw.Draw(covered).rectangle((20, 20, CANVAS - 20, CANVAS - 20), fill=0)
    assert not has_dark_background(covered)
    assert preprocess_bitmap(covered).max() == pytest.approx(255.0)
