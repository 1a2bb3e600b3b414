"""The one seam between the app and the models: a picture in, every model's answer out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from digitpad.core.paths import bundled_models_dir, user_models_dir
from digitpad.core.preprocessing import preprocess_bitmap
from digitpad.core.recognition._accuracy_claim import checked_claim
from digitpad.core.recognition._model import (
    DEFAULT_DISPLAY_ORDER,
    ModelLoadError,
    ModelMetadata,
    OnnxModel,
    model_batch,
)
from digitpad.core.recognition._model_checks import ModelRunError, probe_digit
from digitpad.core.recognition._personal_set import (
    PERSONAL_DIR,
    POINTER_FILE,
    personal_set_folder,
)
from digitpad.core.recognition._rejection import DigitRule
from digitpad.core.types import ModelPrediction, Prediction, Stroke

if TYPE_CHECKING:
    from digitpad.core.preprocessing import StrokeLayer

# Said after a failure that fine-tuning may have left behind.
RESET_HINT = "if a fine-tune was interrupted, 'digitpad fine-tune --reset' removes what it left"


@dataclass(frozen=True)
class ModelLoadFailure:
    """A model that could not be loaded: which file, and why (one line)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _display_order(model: OnnxModel) -> tuple[int, str]:
    """Models sort by their metadata's ``display_order``, then by name."""
    order = model.metadata.display_order if model.metadata is not None else DEFAULT_DISPLAY_ORDER
    return order, model.name


def _digit_rule(model: OnnxModel) -> DigitRule | None:
    return None if model.metadata is None else DigitRule.from_metadata(model.metadata.raw)


def _load_pair(json_path: Path) -> OnnxModel:
    metadata = ModelMetadata.read(json_path)
    if metadata.name != json_path.stem:
        raise ModelLoadError(f"metadata names the model {metadata.name!r}, not {json_path.stem!r}")
    try:
        rule = DigitRule.from_metadata(metadata.raw)
    except ValueError as error:
        raise ModelLoadError(f"metadata: {error}") from None
    model = OnnxModel.load(json_path.with_name(metadata.onnx_file), metadata)
    if rule is not None and rule.outputs:
        _check_rule_fits(rule, model)
    return model


def _check_rule_fits(rule: DigitRule, model: OnnxModel) -> None:
    """Score a real digit once: a rule reading an output the model lacks, or one of
    another width (metadata copied from another model), is refused at load."""
    try:
        probabilities, outputs = model.predict_with(probe_digit()[np.newaxis], rule.outputs)
        rule.score_of(probabilities[0], {name: value[0] for name, value in outputs.items()})
    except (KeyError, ValueError, ModelRunError) as error:
        reason = error.args[0] if error.args else type(error).__name__
        raise ModelLoadError(f"its 'not a digit' rule does not fit the model: {reason}") from None


def user_model_folders(models_dir: Path) -> tuple[list[Path], list[ModelLoadFailure]]:
    """The folders to load a person's models from, in order: the personal set in use,
    then their own models (a model they put there wins over a personal one of the same
    name), and why the personal set cannot be found when its pointer is broken."""
    try:
        personal = personal_set_folder(models_dir)
    except ModelLoadError as error:
        pointer = models_dir / PERSONAL_DIR / POINTER_FILE
        return [models_dir], [ModelLoadFailure(pointer, f"{error}; {RESET_HINT}")]
    return [*([] if personal is None else [personal]), models_dir], []


def _with_hint(failure: ModelLoadFailure, models_dir: Path) -> ModelLoadFailure:
    """A personal model that fails, or a bundled model's name failing in the user's
    folder (what an interrupted fine-tune of an older version left): say how to fix it."""
    in_personal_set = failure.path.parent.parent == models_dir / PERSONAL_DIR
    bundled_name = failure.path.parent == models_dir and failure.path.stem in bundled_model_names()
    if in_personal_set or bundled_name:
        return ModelLoadFailure(failure.path, f"{failure.reason} ({RESET_HINT})")
    return failure


def _is_bundle(folder: Path) -> bool:
    try:
        return folder.resolve() == bundled_models_dir().resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False


def bundled_model_names(folder: Path | None = None) -> tuple[str, ...]:
    """Names of the models shipped in ``folder`` (default: the bundle), sorted by name.

    The bundle's folder is the one registry of shipped models: adding a model is adding
    its ``.onnx`` + ``.json`` pair there, not editing code.
    """
    folder = bundled_models_dir() if folder is None else folder
    return tuple(sorted(_models_in(folder)))


def _models_in(folder: Path) -> dict[str, Path]:
    """Every model named in ``folder`` by a ``.json`` or ``.onnx`` entry, as name -> JSON path.

    Entries are not opened here (a pipe or a folder named ``x.onnx`` is reported when
    its model is loaded). Raises OSError when the folder exists but cannot be listed.
    """
    if not folder.is_dir():
        return {}
    names = {p.stem for p in folder.iterdir() if p.suffix in (".json", ".onnx")}
    return {name: folder / f"{name}.json" for name in names}


class Recognizer:
    """Runs every loaded model on one picture after MNIST-style preprocessing.

    Sessions are created once, when the recogniser is built; ``predict`` only
    preprocesses and runs them.
    """

    def __init__(
        self, models: Sequence[OnnxModel], failures: Iterable[ModelLoadFailure] = ()
    ) -> None:
        self._models = tuple(sorted(models, key=_display_order))
        self._digit_rules: Mapping[str, DigitRule | None] = {
            model.name: _digit_rule(model) for model in self._models
        }
        # What a reading runs: each model with its rule, reading the outputs it needs
        # from a session that computes only those.
        self._runs = tuple(
            (model, rule, model.reader(() if rule is None else rule.outputs, own_session=True))
            for model, rule in ((m, self._digit_rules[m.name]) for m in self._models)
        )
        self.failures: tuple[ModelLoadFailure, ...] = tuple(failures)
        # The last drawing's strokes stay rendered, so the next stroke is drawn alone;
        # made for the first drawing (a reading of files never renders strokes).
        self._stroke_layer: StrokeLayer | None = None

    @classmethod
    def from_folders(
        cls, folders: Iterable[str | Path], required: Iterable[str] = ()
    ) -> Recognizer:
        """Load every ``<name>.json`` + ``<name>.onnx`` pair found in ``folders``.

        A later folder's model replaces an earlier one of the same name (a user's retrained
        model overrides the bundled one). A model from outside the bundle keeps its
        claimed accuracy only if it reads the reference digits that well
        (``checked_claim``). A pair that fails is recorded in ``failures``
        with its reason and skipped, so a broken user model leaves the bundled one in
        use; each ``required`` model found nowhere is recorded too.
        """
        paths = [Path(folder) for folder in folders]
        loaded: dict[str, OnnxModel] = {}
        failures: list[ModelLoadFailure] = []
        for folder in paths:
            try:
                found = _models_in(folder)
            except OSError as error:  # e.g. a models folder without read permission
                failures.append(
                    ModelLoadFailure(folder, f"cannot list the folder: {error.strerror}")
                )
                continue
            shipped = _is_bundle(folder)
            for name, json_path in sorted(found.items()):
                try:
                    model = _load_pair(json_path)
                except ModelLoadError as error:
                    failures.append(ModelLoadFailure(json_path, str(error)))
                    continue
                if not shipped:  # only the bundle's accuracy figures are taken as read
                    model.metadata = checked_claim(model)
                loaded[name] = model
        failed = {failure.path.stem for failure in failures}
        for name in required:
            if name not in loaded and name not in failed:
                where = paths[0] if paths else Path()
                failures.append(ModelLoadFailure(where / f"{name}.onnx", "model not found"))
        return cls(list(loaded.values()), failures)

    @classmethod
    def from_default_locations(cls) -> Recognizer:
        """The bundled models, overridden or extended by the personal models in use
        (``personal_set_folder``), and those by the user's own models.

        Every model the bundle ships is required: one that loads from neither folder is
        reported as a failure, so a broken installation is never silent.
        """
        bundled, user = bundled_models_dir(), user_models_dir()
        folders, failures = user_model_folders(user)
        loaded = cls.from_folders([bundled, *folders], bundled_model_names(bundled))
        hinted = [_with_hint(failure, user) for failure in loaded.failures]
        return cls(loaded.loaded_models, [*failures, *hinted])

    @property
    def model_metadata(self) -> tuple[ModelMetadata, ...]:
        """Metadata of the loaded models, in display order."""
        return tuple(m.metadata for m in self._models if m.metadata is not None)

    @property
    def loaded_models(self) -> tuple[OnnxModel, ...]:
        """The loaded models themselves, in display order."""
        return self._models

    def digit_rule(self, name: str) -> DigitRule | None:
        """The "not a digit" rule of the loaded model ``name`` (None: it has none)."""
        return self._digit_rules.get(name)

    def predict(self, image: np.ndarray | Image.Image) -> Prediction:
        """Every model's probabilities for ``image``; no guess when nothing is drawn."""
        return self._answer(preprocess_bitmap(image))

    def predict_strokes(self, strokes: Sequence[Stroke]) -> Prediction:
        """Every model's answer for a drawing, read from its strokes rather than its pixels.

        The strokes are re-drawn with a pen in proportion to the digit's size, as MNIST's
        writers' pens were, whatever brush drew them (``render_for_model``), then
        preprocessed like any picture. Erase strokes rub out as on the canvas.
        """
        if self._stroke_layer is None:
            from digitpad.core.preprocessing import StrokeLayer

            self._stroke_layer = StrokeLayer()
        bitmap = self._stroke_layer.render(strokes)
        return self._answer(None if bitmap is None else preprocess_bitmap(bitmap))

    def _answer(self, model_input: np.ndarray | None) -> Prediction:
        """``predict_model_inputs`` of one picture, without a batch's bookkeeping: what a
        reading runs. Each model's row is checked and read out as Python floats once
        (``ModelReader.one``), and its "not a digit" score comes from ``score_of`` (the
        batch's arithmetic in Python floats, the very same numbers)."""
        if model_input is None:
            return Prediction(model_input=None, answers={})
        batch = model_batch(model_input[np.newaxis])
        answers: dict[str, ModelPrediction] = {}
        errors: dict[str, str] = {}
        for model, rule, read in self._runs:
            try:
                probabilities, outputs = read.one(batch)
            except ModelRunError as error:  # the others still answer, as in _read_all
                errors[model.name] = str(error)
                continue
            is_digit = rule is None or rule.score_of(probabilities, outputs) >= rule.threshold
            answers[model.name] = _model_answer(model.name, rule, probabilities, is_digit)
        return Prediction(model_input=batch[0], answers=answers, errors=errors)

    def predict_model_inputs(self, model_inputs: np.ndarray) -> tuple[Prediction, ...]:
        """Every model's answer for each of ``model_inputs`` ``(N, 28, 28)``, float 0..255.

        The inputs are taken as they are, already normalised (or changed on purpose, as
        the robustness explorer does): one batch per model, each model's "not a digit"
        rule applied as in ``predict``. A model that fails on the batch is named in every
        prediction's ``errors``.
        """
        batch = model_batch(model_inputs)
        answers: list[dict[str, ModelPrediction]] = [{} for _ in range(len(batch))]
        errors: dict[str, str] = {}
        for model, rule, values, outputs in self._read_all(batch, errors):
            # The rule scores the whole batch as it came out of the run: no conversions;
            # the rows become Python values in one call each, not one per picture.
            digit = (
                [True] * len(batch)
                if rule is None
                else [score >= rule.threshold for score in rule.scores(values, outputs).tolist()]
            )
            for answer, row, is_digit in zip(answers, values.tolist(), digit, strict=True):
                answer[model.name] = _model_answer(model.name, rule, row, is_digit)
        return tuple(
            Prediction(model_input=image, answers=answer, errors=dict(errors))
            for image, answer in zip(batch, answers, strict=True)
        )

    def _read_all(
        self, batch: np.ndarray, errors: dict[str, str]
    ) -> Iterator[tuple[OnnxModel, DigitRule | None, np.ndarray, dict[str, np.ndarray]]]:
        """Each model's probabilities and outputs for ``batch`` (``model_batch``'s), with
        its rule; a model that fails is named in ``errors`` and the others answer."""
        for model, rule, read in self._runs:
            try:
                values, outputs = read(batch)
            except ModelRunError as error:
                errors[model.name] = str(error)
                continue
            yield model, rule, values, outputs


def _model_answer(
    name: str, rule: DigitRule | None, probabilities: list[float], is_digit: bool
) -> ModelPrediction:
    return ModelPrediction(
        model=name,
        probabilities=tuple(probabilities),
        is_digit=is_digit,
        can_reject=rule is not None,
    )
