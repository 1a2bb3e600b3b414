"""Drawn on a canvas as a person would, MNIST test digits keep the models' accuracy.

This is the acceptance check for the whole preprocessing pipeline: 2,000 seeded test
digits redrawn at 40-100 % of a 280x280 canvas, off-centre, as dark-on-light, transparent
RGBA, JPEG, light-on-dark and noisy grey paper, must be read within half a point of the
models' accuracy on the original 28x28 images. ``python -m benchmarks.roundtrip`` prints
the same figures.
"""

from __future__ import annotations

from benchmarks.roundtrip import round_trip, sample

ALLOWED_DROP = 0.005


def test_round_trip_keeps_accuracy(recognizer, mnist_test):
    results = round_trip(recognizer, sample(mnist_test, 2000, seed=0), seed=0)
    assert [r.model for r in results] == ["dense", "cnn"]
    for result in results:
        assert result.pipeline >= result.original - ALLOWED_DROP, result
