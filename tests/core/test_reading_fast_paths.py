"""The reading's short cuts give the very answers of the long way round: a grey array
reads as its Pillow image does, and ``Recognizer.predict`` hands on exactly what the
models' own runs and "not a digit" rules say, for real digits and a photo of paper."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.canvas import draw_on_canvas
from digitpad.core import Recognizer, load_image, preprocess_bitmap
from digitpad.core.preprocessing import StrokeLayer
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
            score = rule.score_of(
                probabilities[0], {n: v[0] for n, v in zip(rule.outputs, extras, strict=True)}
            )
            answer = prediction.answers[model.name]
            assert answer.probabilities == tuple(probabilities[0].tolist())
            assert answer.is_digit == (score >= rule.threshold)
            verdicts.add(answer.is_digit)
    assert verdicts == {True, False}, "the pictures should hold digits and non-digits alike"
