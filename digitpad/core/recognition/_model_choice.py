"""Which loaded model speaks first: derived from the models' metadata, never from a name.

The window's headline answer asks this, so a third model, or a personal variant of one,
takes the lead when its metadata earns it, and no model name is written in the app.
"""

from __future__ import annotations

from collections.abc import Sequence

from digitpad.core.recognition._accuracy_claim import ACCURACY_CHECK_KEY
from digitpad.core.recognition._model import ModelMetadata


def _evaluated_on(model: ModelMetadata) -> object:
    evaluation = model.raw.get("evaluation")
    return evaluation.get("dataset") if isinstance(evaluation, dict) else None


def preferred_model(models: Sequence[ModelMetadata]) -> str | None:
    """The name of the model whose answer should be the headline; None without models.

    The most accurate one, because the headline is the answer most people read, when
    every model's accuracy was measured on the same data set (MNIST test for the shipped
    ones); accuracies from different data sets do not compare, and then, like for ties,
    the display order decides. A model whose claimed accuracy failed its check at load
    (``checked_claim``) comes last and is left out of the comparison.
    """
    if not models:
        return None
    believed = [m for m in models if ACCURACY_CHECK_KEY not in m.raw]
    comparable = all(m.accuracy is not None for m in believed) and (
        len({repr(_evaluated_on(m)) for m in believed}) == 1
    )

    def rank(model: ModelMetadata) -> tuple[bool, float, int, str]:
        accuracy = model.accuracy if comparable and model.accuracy is not None else 0.0
        return (ACCURACY_CHECK_KEY in model.raw, -accuracy, model.display_order, model.name)

    return min(models, key=rank).name
