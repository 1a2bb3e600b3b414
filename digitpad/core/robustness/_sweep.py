"""Every model's answer across every transform of one model input, in one batch per model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from digitpad.core.recognition import Recognizer
from digitpad.core.robustness._transforms import TRANSFORMS, Transform
from digitpad.core.types import Prediction


@dataclass(frozen=True)
class Sweep:
    """One transform across its amounts: ``predictions[i]`` is every model's answer to
    the input changed by ``transform.amounts[i]`` (its ``model_input`` is that input)."""

    transform: Transform
    predictions: tuple[Prediction, ...]

    def probabilities(self, model: str) -> np.ndarray:
        """``(len(amounts), 10)``: ``model``'s probabilities at each amount (KeyError if it
        gave no answer)."""
        return np.array([p.answers[model].probabilities for p in self.predictions])


@dataclass(frozen=True)
class RobustnessReport:
    """How every model's answer moves as the input is moved, turned, resized, thinned or
    made noisy, one thing at a time. ``sweeps`` follows ``TRANSFORMS``' order."""

    model_input: np.ndarray
    sweeps: Mapping[str, Sweep]

    @property
    def errors(self) -> Mapping[str, str]:
        """Models that failed on the varied inputs, with the reason."""
        found: dict[str, str] = {}
        for sweep in self.sweeps.values():
            found.update(sweep.predictions[0].errors)
        return found


def sweep_robustness(
    recognizer: Recognizer,
    model_input: np.ndarray,
    transforms: tuple[Transform, ...] = TRANSFORMS,
) -> RobustnessReport:
    """Run every model of ``recognizer`` on ``model_input`` changed by each transform.

    Parameters
    ----------
    recognizer
        The models, as the app and the command line load them.
    model_input
        The ``(28, 28)`` input ``predict`` fed the models (``Prediction.model_input``).

    All varied inputs go through each model as one batch; at each transform's neutral
    amount the input, and so every answer, is the one ``predict`` gave.
    """
    image = np.asarray(model_input, dtype=np.float32)
    if image.shape != (28, 28):
        raise ValueError(f"expected a 28x28 model input, got shape {image.shape}")
    varied = [transform.vary(image) for transform in transforms]
    predictions = recognizer.predict_model_inputs(np.concatenate(varied))
    sweeps: dict[str, Sweep] = {}
    start = 0
    for transform, inputs in zip(transforms, varied, strict=True):
        sweeps[transform.name] = Sweep(transform, predictions[start : start + len(inputs)])
        start += len(inputs)
    return RobustnessReport(model_input=image, sweeps=sweeps)
