"""The reading's short cuts give the very answers of the long way round: a grey array
reads as its Pillow image does, and ``Recognizer.predict`` hands on exactly what the
models' own runs and "not a digit" rules say, for real digits and a photo of paper."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.canvas import STYLES, draw_on_canvas
from digitpad.core import Recognizer, load_image, preprocess_bitmap
from digitpad.core.preprocessing import StrokeLayer
from digitpad.core.preprocessing._canvas_box import non_white_box
from digitpad.core.preprocessing._ink import _find_ink, _plain_canvas_ink
from digitpad.core.preprocessing._ink_crop import _white_canvas_reading, crop_to_ink
from digitpad.core.preprocessing._writing import looks_clean
from tests.shared_data import pendigits
from training.pendigits import split_by_writer

PAPER = Path(__file__).parent.parent / "data" / "paper"


def _pictures(mnist_test) -> list[np.ndarray]:
    """Grey pictures of each kind a reading meets: MNIST digits as they are, digits drawn
    on a 280x280 canvas (some crossing its edges), pen digits rendered from their strokes,
    and photos of paper."""
    rng = np.random.default_rng(3)
    canvases = [
        np.asarray(draw_on_canvas(mnist_test.images[i], rng, "dark-on-light").convert("L"))
        for i in range(40)
    ]
    layer = StrokeLayer()
    rendered = [layer.render(d.canvas_strokes()) for d in split_by_writer(pendigits(), "test")[:40]]
    photos = [np.asarray(load_image(path).convert("L")) for path in sorted(PAPER.glob("*.jpg"))]
    assert photos, "the committed paper photos are missing"
    return [
        *mnist_test.images[:100],
        *canvases,
        *(r for r in rendered if r is not None),
        *photos,
    ]


def test_a_grey_array_reads_exactly_as_its_pillow_image(mnist_test) -> None:
    # An array skips Pillow; a Pillow image goes through its conversion. Same input, bit
    # for bit, or the models would see something else depending on who called.
    for picture in _pictures(mnist_test):
        from_array = preprocess_bitmap(picture)
        from_image = preprocess_bitmap(Image.fromarray(picture))
        assert (from_array is None) == (from_image is None)
        if from_array is not None:
            np.testing.assert_array_equal(from_array, from_image)


def test_predict_hands_on_the_models_own_answers(mnist_test, recognizer: Recognizer) -> None:
    verdicts = set()
    for picture in _pictures(mnist_test):
        prediction = recognizer.predict(picture)
        model_input = preprocess_bitmap(picture)
        assert model_input is not None
        np.testing.assert_array_equal(prediction.model_input, model_input)
        for model in recognizer.loaded_models:
            rule = recognizer.digit_rule(model.name)
            assert rule is not None, f"{model.name} ships a 'not a digit' rule"
            shape = (1, *model.session.get_inputs()[0].shape[1:])
            probabilities, *extras = model.session.run(
                ["probabilities", *rule.outputs], {"image": model_input.reshape(shape)}
            )
            # The batch's scores (numpy all through); a reading scores its one picture
            # with one dot product and Python floats (score_of): the same number but
            # for its last bits, and the same verdict.
            outputs = dict(zip(rule.outputs, extras, strict=True))
            score = float(rule.scores(probabilities, outputs)[0])
            one = rule.score_of(probabilities[0], {n: v[0] for n, v in outputs.items()})
            assert abs(one - score) <= 1e-12
            answer = prediction.answers[model.name]
            assert answer.probabilities == tuple(probabilities[0].tolist())
            assert answer.is_digit == (score >= rule.threshold)
            verdicts.add(answer.is_digit)
    assert verdicts == {True, False}, "the pictures should hold digits and non-digits alike"


def test_a_plain_canvas_is_read_as_the_general_way_reads_it(mnist_test) -> None:
    # White or black all round: the fused path settles "clean" and finds the ink from the
    # column extremes; the general path asks looks_clean and then _find_ink. Same verdict,
    # same box, same table, on every picture the fused path takes, and it takes most.
    taken = 0
    for picture in _pictures(mnist_test):
        values = np.ascontiguousarray(picture)
        settled, found = _plain_canvas_ink(values)
        if not settled:
            continue
        taken += 1
        assert looks_clean(values)
        general = _find_ink(values)
        assert (found is None) == (general is None)
        if found is not None and general is not None:
            assert found[1] == general[1]
            np.testing.assert_array_equal(found[0], general[0])
    assert taken >= 150, f"the fused path read only {taken} of the pictures"


def test_the_plain_canvas_path_leaves_every_other_picture_to_the_general_one() -> None:
    # A grey border, a border with one dark pixel, and a white border around a picture
    # mostly dark (where looks_clean must count its levels) are not settled by it.
    grey = np.full((40, 40), 200, np.uint8)
    speck = np.full((40, 40), 255, np.uint8)
    speck[0, 5] = 0
    dark_inside = np.full((40, 40), 255, np.uint8)
    dark_inside[2:-2, 2:-2] = 30
    for values in (grey, speck, dark_inside):
        assert _plain_canvas_ink(values) == (False, None)


def test_a_colour_canvas_array_reads_exactly_as_its_pillow_image(mnist_test) -> None:
    # An opaque RGB or RGBA array is converted straight into a numpy array; its Pillow
    # image goes through as_luminance. A canvas with transparency takes the general way
    # for both. Every style of canvas, bit for bit the same model input.
    rng = np.random.default_rng(5)
    read = 0
    for style in STYLES:
        for i in range(12):
            image = draw_on_canvas(mnist_test.images[i], rng, style)
            for mode in ("RGB", "RGBA"):
                converted = image.convert(mode)
                from_array = preprocess_bitmap(np.asarray(converted))
                from_image = preprocess_bitmap(converted)
                assert (from_array is None) == (from_image is None)
                if from_array is not None:
                    np.testing.assert_array_equal(from_array, from_image)
                    read += 1
    assert read >= 100, "the canvases should hold digits"


def test_an_empty_colour_array_holds_no_ink() -> None:
    for shape in ((0, 0, 4), (0, 7, 3), (5, 0, 4), (0, 3, 2)):
        assert preprocess_bitmap(np.zeros(shape, np.uint8)) is None


def _white_canvases(mnist_test) -> list[np.ndarray]:
    """Opaque RGBA canvases, white round a digit: drawn small and large (some reaching
    the border), with grey-255 pixels that are not white, and with a transparent pixel."""
    rng = np.random.default_rng(8)
    canvases = [
        np.asarray(draw_on_canvas(mnist_test.images[i], rng, "dark-on-light").convert("RGBA"))
        for i in range(120)
    ]
    near_white = canvases[0].copy()
    near_white[3:9, 200:230, 0] = 254  # grey 255, yet not opaque white
    faint = canvases[1].copy()
    faint[140, 1:279, :3] = 250  # a line too faint to be ink, from side to side
    translucent = canvases[2].copy()
    translucent[5, 5, 3] = 200
    blank = np.full((280, 280, 4), 255, np.uint8)
    dot = blank.copy()
    dot[100:103, 50:52, :3] = 0
    ruled = blank.copy()
    ruled[40::30, :, :3] = 90  # lines across, a digit between them
    ruled[100:180, 120:126, :3] = 0
    stem = blank.copy()
    stem[0:280, 130:136, :3] = 0  # a "1" from edge to edge
    stems = stem.copy()
    stems[0:260, 30:34, :3] = 0  # and another one, a bar's width apart
    teeth = blank.copy()
    teeth[0:40, 20:200:30, :3] = 0  # a comb crossing the top edge six times
    return [*canvases, near_white, faint, translucent, blank, dot, ruled, stem, stems, teeth]


def test_a_white_canvas_is_read_from_its_box_as_the_whole_picture_is(mnist_test) -> None:
    # An opaque white RGBA canvas is read from the box round what is not white; its
    # Pillow image is read whole. Same model input, bit for bit, on every canvas; the
    # box way takes most of them and leaves those it cannot settle to the general way.
    taken = at_border = 0
    for canvas in _white_canvases(mnist_test):
        read = _white_canvas_reading(canvas) is not None
        taken += read
        box = non_white_box(canvas)
        touches = box is not None and (min(box[:2]) == 0 or box[2] == 280 or box[3] == 280)
        at_border += read and touches
        from_box = preprocess_bitmap(canvas)
        whole = preprocess_bitmap(Image.fromarray(canvas))
        assert (from_box is None) == (whole is None)
        if from_box is not None:
            np.testing.assert_array_equal(from_box, whole)
    assert taken >= 100, f"the box way read only {taken} of the canvases"
    assert at_border >= 5, "the box way should read drawings that reach the border"


def test_the_box_way_leaves_what_it_cannot_settle_to_the_general_way() -> None:
    blank = np.full((40, 40, 4), 255, np.uint8)
    translucent = blank.copy()
    translucent[20, 20] = (0, 0, 0, 128)
    crowded = blank.copy()
    crowded[2:38, 2:38, :3] = 0  # less than half the picture is background
    stems = blank.copy()
    stems[:, 10:12, :3] = stems[:, 25:27, :3] = 0  # two lines from edge to edge
    comb = blank.copy()
    comb[0:8, 5:30:6, :3] = 0  # marks running off the top edge five times
    for canvas in (translucent, crowded, stems, comb, blank[..., :3]):
        assert _white_canvas_reading(canvas) is None
    assert non_white_box(translucent) is None
    assert non_white_box(comb) == (5, 0, 30, 8)
    at_border = blank.copy()
    at_border[0:10, 10:12, :3] = 0
    for canvas in (blank, at_border):
        read = _white_canvas_reading(canvas)
        assert read is not None
        np.testing.assert_array_equal(crop_to_ink(canvas), crop_to_ink(Image.fromarray(canvas)))
    assert crop_to_ink(blank) is None


def test_the_box_round_what_is_not_white_is_found_on_odd_and_even_widths() -> None:
    # Even widths are searched two pixels at a time: a pixel that differs in one byte,
    # first or last in its row, at either end of the picture, bounds the box all the same.
    rng = np.random.default_rng(11)
    for _ in range(400):
        height, width = (int(n) for n in rng.integers(3, 24, 2))
        canvas = np.full((height, width, 4), 255, np.uint8)
        for _ in range(int(rng.integers(1, 4))):
            row, col = (
                int(rng.integers(height)),
                int(rng.choice([0, width - 1, rng.integers(width)])),
            )
            canvas[row, col, int(rng.integers(3))] = int(rng.integers(255))
        rows = np.flatnonzero((canvas != 255).any(axis=(1, 2)))
        cols = np.flatnonzero((canvas != 255).any(axis=(0, 2)))
        expected = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
        assert non_white_box(canvas) == expected


def test_without_pillows_map_buffer_the_pixels_are_the_same(monkeypatch, mnist_test) -> None:
    # map_buffer is no public Pillow name: a Pillow without it gets the very same grey
    # values and reduced crops through the public Image calls.
    from digitpad.core.preprocessing import _pillow_buffers

    rng = np.random.default_rng(11)
    canvases = [
        np.asarray(draw_on_canvas(mnist_test.images[i], rng, style).convert(mode))
        for i, style in enumerate(STYLES * 3)
        for mode in ("RGB", "RGBA")
    ]
    values = np.asarray(draw_on_canvas(mnist_test.images[0], rng, "dark-on-light").convert("L"))
    boxes = [(5, 9, 5 + factor * 30, 9 + factor * 20) for factor in (2, 3, 7)]
    fast = [preprocess_bitmap(canvas) for canvas in canvases]
    fast_reduced = [_pillow_buffers.reduced_values(values, b[2] // 30, b) for b in boxes]
    monkeypatch.setattr(_pillow_buffers, "_MAP_BUFFER", None)
    slow = [preprocess_bitmap(canvas) for canvas in canvases]
    assert sum(f is not None for f in fast) >= len(canvases) // 2
    for a, b in zip(fast, slow, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)
    for box, reduced in zip(boxes, fast_reduced, strict=True):
        factor = box[2] // 30
        expected = np.asarray(Image.fromarray(values).reduce(factor, box))
        np.testing.assert_array_equal(reduced, expected)
        np.testing.assert_array_equal(_pillow_buffers.reduced_values(values, factor, box), expected)


def test_a_colour_photo_reads_its_grey_levels_as_pillow_converts_them(monkeypatch) -> None:
    # A photo as load_image gives it (RGB) is converted straight into an array; the grey
    # levels are Pillow's convert("L")'s, and so is the whole reading, with or without
    # Pillow's map_buffer.
    from digitpad.core.number import NUMBER_MAX_PIXELS, NUMBER_MAX_SIDE
    from digitpad.core.preprocessing import _pillow_buffers, picture_ink

    photos = [
        load_image(path, NUMBER_MAX_SIDE, NUMBER_MAX_PIXELS) for path in sorted(PAPER.glob("*.jpg"))
    ]
    rng = np.random.default_rng(5)
    odd = Image.fromarray(rng.integers(0, 256, (7, 3, 3), dtype=np.uint8))
    for photo in [*photos, odd]:
        assert photo.mode == "RGB"
        grey = _pillow_buffers.rgb_image_grey_values(photo)
        assert grey is not None
        np.testing.assert_array_equal(grey, np.asarray(photo.convert("L")))
    assert _pillow_buffers.rgb_image_grey_values(odd.convert("L")) is None
    found = [picture_ink(photo) for photo in photos]
    monkeypatch.setattr(_pillow_buffers, "_MAP_BUFFER", None)
    assert _pillow_buffers.rgb_image_grey_values(photos[0]) is None
    for photo, fast in zip(photos, found, strict=True):
        slow = picture_ink(photo)
        assert fast is not None
        assert slow is not None
        np.testing.assert_array_equal(fast[0], slow[0])
        assert fast[1] == slow[1]
