"""Why each model answered what it did: heat map, nearest training digits, inner layers.

``Explainer.explain(model_input)`` gives, per loaded model, an ``Explanation``: the
occlusion heat map (``digitpad.core.explain._saliency``), the five reference training digits
closest in that model's own feature space (``digitpad.core.explain._neighbours``) and the
activations of its inner layers. A model that lacks an extra output still gets what can
be computed without it; ``Explanation.missing`` says in plain words what cannot be shown.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitpad.core.explain._neighbours import FEATURES, Neighbour, NeighbourIndex
from digitpad.core.explain._saliency import occlusion_saliency
from digitpad.core.paths import user_cache_dir
from digitpad.core.recognition import (
    OUTPUT_NAME,
    ModelRunError,
    OnnxModel,
    ReferenceDataError,
    ReferenceDigits,
    check_probabilities,
    load_reference_digits,
)

# The inner layers shown "inside the models", in the order a picture flows through them.
INSIDE_OUTPUTS = ("conv_1", "conv_2", "hidden_1", "hidden_2")
NEIGHBOUR_COUNT = 5


@dataclass(frozen=True)
class Explanation:
    """One model's explanation of its answer for one input.

    Attributes
    ----------
    saliency
        ``(28, 28)`` float32: how much the ink at each pixel raised the log-probability
        of ``digit`` (negative: it argued against it; zero: no ink there).
    neighbours
        The closest reference training digits in this model's feature space, nearest
        first; empty when the model has no ``features`` output or no reference digits.
    activations
        Inner layer name (``conv_1``, ``hidden_1``, ...) -> its values for this input,
        without the batch axis; only the layers the model offers.
    missing
        Plain sentences saying what cannot be shown for this model, and why.
    """

    model: str
    digit: int
    probabilities: tuple[float, ...]
    saliency: np.ndarray = field(compare=False, repr=False)
    neighbours: tuple[Neighbour, ...] = ()
    activations: Mapping[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    missing: tuple[str, ...] = ()


def neighbour_cache_dir() -> Path:
    """Where the per-model neighbour indexes are cached (rebuildable)."""
    return user_cache_dir() / "neighbours"


class Explainer:
    """Explains every given model's answer; safe to call from a worker thread.

    The neighbour indexes are built (or read from the cache) on first use, or ahead of it
    with ``prepare()``, which takes about a second per model the first time.

    Parameters
    ----------
    models
        The loaded models, in display order.
    reference
        The reference digits to search, or a ``ReferenceDataError`` when they could not be
        read (the explanations then say so); ``None`` reads the shipped ones.
    cache_dir
        Where indexes are cached; ``None`` keeps them in memory only.
    """

    def __init__(
        self,
        models: Sequence[OnnxModel],
        reference: ReferenceDigits | ReferenceDataError | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.models = tuple(models)
        self._reference = reference  # None: read the shipped ones when first needed
        self._cache_dir = cache_dir
        self._indexes: dict[str, NeighbourIndex | str] = {}
        self._lock = threading.Lock()

    @classmethod
    def default(cls, models: Sequence[OnnxModel]) -> Explainer:
        """The shipped reference digits, indexes cached in the user's cache folder."""
        return cls(models, cache_dir=neighbour_cache_dir())

    @property
    def reference(self) -> ReferenceDigits | None:
        """The reference digits searched, or None when they could not be read."""
        with self._lock:
            reference = self._resolved_reference()
        return reference if isinstance(reference, ReferenceDigits) else None

    def _resolved_reference(self) -> ReferenceDigits | ReferenceDataError:
        """The reference digits, read on first use (the caller holds the lock)."""
        if self._reference is None:
            try:
                self._reference = load_reference_digits()
            except ReferenceDataError as error:
                self._reference = error
        return self._reference

    def is_prepared(self) -> bool:
        """Whether every neighbour index is ready, so ``explain`` is fast."""
        return all(model.name in self._indexes for model in self.models)

    def prepare(self) -> None:
        """Build or load every model's neighbour index now (slow the first time)."""
        for model in self.models:
            self._index(model)

    def prepare_in_background(self) -> threading.Thread:
        """Start ``prepare`` on a daemon thread, and return it.

        For callers without Qt (``python -m benchmarks`` measures the first explanation
        with it); the window does the same on its own worker (``ExplanationRunner.prepare``)
        once it is shown. The thread never holds up quitting, and onnxruntime runs without
        the GIL, so readings made meanwhile go on.
        """
        thread = threading.Thread(
            target=self.prepare, name="digitpad-explainer-prepare", daemon=True
        )
        thread.start()
        return thread

    def neighbour_index(self, name: str) -> NeighbourIndex | None:
        """The named model's neighbour index (built now if need be), None if it has none."""
        model = next((m for m in self.models if m.name == name), None)
        index = None if model is None else self._index(model)
        return index if isinstance(index, NeighbourIndex) else None

    def _index(self, model: OnnxModel) -> NeighbourIndex | str:
        """The model's index, or the sentence saying why it has none."""
        with self._lock:
            if model.name not in self._indexes:
                self._indexes[model.name] = self._make_index(model)
            return self._indexes[model.name]

    def _make_index(self, model: OnnxModel) -> NeighbourIndex | str:
        if FEATURES not in model.output_names:
            return "Nearest training digits: this model file has no 'features' output."
        reference = self._resolved_reference()
        if not isinstance(reference, ReferenceDigits):
            return f"Nearest training digits: the reference digits could not be read ({reference})."
        try:
            return NeighbourIndex.load_or_build(model, reference, self._cache_dir)
        except (ValueError, ModelRunError) as error:  # features of an unusable shape
            return f"Nearest training digits: the model's features cannot be indexed ({error})."

    def explain(self, model_input: np.ndarray) -> dict[str, Explanation]:
        """Every model's explanation for one 28x28 input (float 0..255, ink bright).

        A model that fails to run on the input is left out (``explain_model`` says why).
        """
        explanations = {}
        for model in self.models:
            try:
                explanations[model.name] = self.explain_model(model, model_input)
            except ModelRunError:
                continue
        return explanations

    def explain_model(self, model: OnnxModel, model_input: np.ndarray) -> Explanation:
        """One model's explanation for one 28x28 input.

        Raises
        ------
        ModelRunError
            The model failed to run on the input.
        """
        image = np.asarray(model_input, dtype=np.float32)
        if image.shape != (28, 28):
            raise ValueError(f"expected a 28x28 model input, got shape {image.shape}")
        index = self._index(model)
        inside = [name for name in INSIDE_OUTPUTS if name in model.output_names]
        wanted = [OUTPUT_NAME, *inside]
        if isinstance(index, NeighbourIndex):
            wanted.append(FEATURES)
        raw = model.run_outputs(image[None], wanted)
        # A broken answer is an error for this model, as in Recognizer.predict.
        probabilities = tuple(float(p) for p in check_probabilities(raw[OUTPUT_NAME], 1)[0])
        outputs = {name: values[0] for name, values in raw.items()}
        digit = int(np.argmax(probabilities))
        missing = []
        neighbours: tuple[Neighbour, ...] = ()
        if not isinstance(index, NeighbourIndex):
            missing.append(index)
        elif not np.isfinite(outputs[FEATURES]).all():
            missing.append("Nearest training digits: the model's features are not numbers here.")
        else:
            neighbours = index.nearest(outputs[FEATURES], NEIGHBOUR_COUNT)
        if not inside:
            missing.append(
                "Inside the model: this model file offers none of its inner layers "
                f"({', '.join(INSIDE_OUTPUTS)})."
            )
        return Explanation(
            model=model.name,
            digit=digit,
            probabilities=probabilities,
            saliency=np.nan_to_num(occlusion_saliency(model, image, digit), posinf=0, neginf=0),
            neighbours=neighbours,
            activations={name: outputs[name] for name in inside},
            missing=tuple(missing),
        )


def explain(model_input: np.ndarray, models: Sequence[OnnxModel]) -> dict[str, Explanation]:
    """Each model's ``Explanation`` for one 28x28 input, in one call.

    Uses the shipped reference digits and the user's index cache; to explain many inputs,
    keep one ``Explainer`` instead, so the indexes are read once.
    """
    return Explainer.default(models).explain(model_input)
