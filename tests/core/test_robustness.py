"""The robustness transforms and sweep, on real MNIST digits and the shipped models."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core import TRANSFORMS, Recognizer, preprocess_bitmap, sweep_robustness
from digitpad.core.robustness import noise, scale, shift_x, shift_y, thickness, turn
from training.data import Split


@pytest.fixture(scope="module")
def model_input(mnist_test: Split) -> np.ndarray:
    """A real test digit through the app's own preprocessing, as ``predict`` feeds it."""
    prepared = preprocess_bitmap(mnist_test.images[0])
    assert prepared is not None
    return prepared


def _mass_centre(image: np.ndarray) -> np.ndarray:
    rows, cols = np.indices(image.shape)
    return np.array([(rows * image).sum(), (cols * image).sum()]) / image.sum()


def test_every_neutral_amount_is_the_input_itself(model_input: np.ndarray) -> None:
    for transform in TRANSFORMS:
        varied = transform.vary(model_input)
        assert varied.shape == (len(transform.amounts), 28, 28)
        np.testing.assert_array_equal(varied[transform.rest], model_input)
        # and apply itself changes nothing at the neutral amount either
        np.testing.assert_array_equal(
            transform.apply(model_input[np.newaxis], transform.neutral)[0], model_input
        )


def test_shifts_move_whole_pixels(model_input: np.ndarray) -> None:
    image = model_input[np.newaxis]
    np.testing.assert_array_equal(shift_x(image, 2)[0][:, 2:], model_input[:, :-2])
    np.testing.assert_array_equal(shift_x(image, 2)[0][:, :2], 0.0)
    np.testing.assert_array_equal(shift_y(image, -3)[0][:-3], model_input[3:])
    np.testing.assert_array_equal(shift_y(image, -3)[0][-3:], 0.0)


def test_turn_by_a_right_angle_is_a_quarter_turn_clockwise(model_input: np.ndarray) -> None:
    turned = turn(model_input[np.newaxis], 90)[0]
    np.testing.assert_allclose(turned, np.rot90(model_input, k=-1), atol=1e-3)


def test_scale_shrinks_and_grows_about_the_middle(model_input: np.ndarray) -> None:
    def ink_width(image: np.ndarray) -> int:  # the 7's columns stay on the field at 1.3
        cols = np.flatnonzero(image.max(axis=0) > 64)
        return int(cols[-1] - cols[0] + 1)

    width = ink_width(model_input)
    assert ink_width(scale(model_input[np.newaxis], 0.5)[0]) == pytest.approx(width / 2, abs=1.5)
    assert ink_width(scale(model_input[np.newaxis], 1.3)[0]) == pytest.approx(width * 1.3, abs=1.5)


def test_thickness_widens_and_narrows_without_moving_the_digit(model_input: np.ndarray) -> None:
    image = model_input[np.newaxis]
    thicker, thinner = thickness(image, 2)[0], thickness(image, -1)[0]
    assert np.all(thicker >= model_input)
    assert np.all(thinner <= model_input)
    assert (thicker > 128).sum() > 1.5 * (model_input > 128).sum()
    assert (thinner > 128).sum() < (model_input > 128).sum()
    np.testing.assert_allclose(_mass_centre(thicker), _mass_centre(model_input), atol=0.5)


def test_noise_is_seeded_and_grows_with_its_level(model_input: np.ndarray) -> None:
    image = model_input[np.newaxis]
    np.testing.assert_array_equal(noise(image, 32), noise(image, 32))
    low = np.abs(noise(image, 16) - image).mean()
    high = np.abs(noise(image, 64) - image).mean()
    assert 0 < low < high
    noisiest = noise(image, 128)
    assert noisiest.min() >= 0
    assert noisiest.max() <= 255


def test_the_sweep_is_every_model_run_on_every_varied_input(
    recognizer: Recognizer, model_input: np.ndarray
) -> None:
    report = sweep_robustness(recognizer, model_input)
    assert list(report.sweeps) == [t.name for t in TRANSFORMS]
    assert not report.errors
    predicted = recognizer.predict_model_inputs(model_input[np.newaxis])[0]
    for transform in TRANSFORMS:
        sweep = report.sweeps[transform.name]
        varied = transform.vary(model_input)
        for index, prediction in enumerate(sweep.predictions):
            np.testing.assert_array_equal(prediction.model_input, varied[index])
        for model in recognizer.loaded_models:
            direct = model.predict_batch(varied)
            np.testing.assert_allclose(sweep.probabilities(model.name), direct, atol=1e-6)
            np.testing.assert_allclose(
                sweep.probabilities(model.name)[transform.rest],
                predicted.answers[model.name].probabilities,
                atol=1e-6,
            )


def test_moving_the_digit_far_changes_the_dense_answer_more_than_staying(
    recognizer: Recognizer, mnist_test: Split
) -> None:
    """Sanity of the whole chain: at rest both models read a test digit right, and a
    six-pixel shift lowers the dense model's probability of the right digit."""
    label = int(mnist_test.labels[0])
    prepared = preprocess_bitmap(mnist_test.images[0])
    assert prepared is not None
    sweep = sweep_robustness(recognizer, prepared).sweeps["shift_x"]
    for model in recognizer.loaded_models:
        probabilities = sweep.probabilities(model.name)
        assert int(np.argmax(probabilities[sweep.transform.rest])) == label
    dense = sweep.probabilities("dense")
    assert dense[-1, label] < dense[sweep.transform.rest, label]
