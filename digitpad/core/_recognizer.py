"""The one seam between the app and the models: a picture in, every model's answer out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from digitpad.core._model import ModelLoadError, ModelMetadata, OnnxModel
from digitpad.core._paths import bundled_models_dir, user_models_dir
from digitpad.core._preprocess import preprocess_bitmap
from digitpad.core._types import ModelPrediction, Prediction

# The models digitpad ships, in the order they are shown.
EXPECTED_MODELS = ("dense", "cnn")


@dataclass(frozen=True)
class ModelLoadFailure:
    """A model that could not be loaded: which file, and why (one line)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _display_order(name: str) -> tuple[int, str]:
    known = EXPECTED_MODELS.index(name) if name in EXPECTED_MODELS else len(EXPECTED_MODELS)
    return known, name


def _load_pair(json_path: Path) -> OnnxModel:
    metadata = ModelMetadata.read(json_path)
    if metadata.name != json_path.stem:
        raise ModelLoadError(f"metadata names the model {metadata.name!r}, not {json_path.stem!r}")
    return OnnxModel.load(json_path.with_name(metadata.onnx_file), metadata)


def _models_in(folder: Path) -> dict[str, Path]:
    """Every model named in ``folder`` by a ``.json`` or ``.onnx`` file, as name -> JSON path."""
    if not folder.is_dir():
        return {}
    names = {p.stem for p in folder.iterdir() if p.suffix in (".json", ".onnx") and p.is_file()}
    return {name: folder / f"{name}.json" for name in names}


class Recognizer:
    """Runs every loaded model on one picture after MNIST-style preprocessing.

    Sessions are created once, when the recogniser is built; ``predict`` only
    preprocesses and runs them.
    """

    def __init__(
        self, models: Sequence[OnnxModel], failures: Iterable[ModelLoadFailure] = ()
    ) -> None:
        self._models = tuple(sorted(models, key=lambda model: _display_order(model.name)))
        self.failures: tuple[ModelLoadFailure, ...] = tuple(failures)

    @classmethod
    def from_folders(
        cls, folders: Iterable[str | Path], required: Iterable[str] = ()
    ) -> Recognizer:
        """Load every ``<name>.json`` + ``<name>.onnx`` pair found in ``folders``.

        A later folder's model replaces an earlier one of the same name (a user's retrained
        model overrides the bundled one). A pair that fails is recorded in ``failures``
        with its reason and skipped, so a broken user model leaves the bundled one in
        use; each ``required`` model found nowhere is recorded too.
        """
        folders = [Path(folder) for folder in folders]
        loaded: dict[str, OnnxModel] = {}
        failures: list[ModelLoadFailure] = []
        for folder in folders:
            for name, json_path in sorted(_models_in(folder).items()):
                try:
                    loaded[name] = _load_pair(json_path)
                except ModelLoadError as error:
                    failures.append(ModelLoadFailure(json_path, str(error)))
        failed = {failure.path.stem for failure in failures}
        for name in required:
            if name not in loaded and name not in failed:
                where = folders[0] if folders else Path()
                failures.append(ModelLoadFailure(where / f"{name}.onnx", "model not found"))
        return cls(list(loaded.values()), failures)

    @classmethod
    def from_default_locations(cls) -> Recognizer:
        """The bundled models, overridden or extended by the user's models folder."""
        return cls.from_folders([bundled_models_dir(), user_models_dir()], EXPECTED_MODELS)

    @property
    def models(self) -> tuple[ModelMetadata, ...]:
        """Metadata of the loaded models, in display order (dense first)."""
        return tuple(m.metadata for m in self._models if m.metadata is not None)

    @property
    def onnx_models(self) -> tuple[OnnxModel, ...]:
        """The loaded models themselves, in display order."""
        return self._models

    def predict(self, image: np.ndarray | Image.Image) -> Prediction:
        """Every model's probabilities for ``image``; no guess when nothing is drawn."""
        model_input = preprocess_bitmap(image)
        if model_input is None:
            return Prediction(model_input=None, models={})
        batch = model_input[np.newaxis]
        answers = {}
        for model in self._models:
            probabilities = model.predict_batch(batch)[0]
            answers[model.name] = ModelPrediction(
                model=model.name, probabilities=tuple(probabilities.tolist())
            )
        return Prediction(model_input=model_input, models=answers)
