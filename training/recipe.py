"""How a model is trained, as plain values: no TensorFlow, so the model specs and the
command line can read recipes without importing it (``python -m training --help`` stays fast).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from digitpad.core.files import UntrustedFileError, read_json_file

DEFAULT_SEED = 1234
RECIPE_FORMAT = "digitpad-recipe"
MAX_RECIPE_BYTES = 1_000_000


@dataclass(frozen=True)
class Augmentation:
    """Ranges of the random changes; each image draws its own values."""

    max_rotation_degrees: float = 12.0
    min_scale: float = 0.85
    max_scale: float = 1.15
    max_shear: float = 0.15
    max_shift_pixels: float = 2.0
    thicken_probability: float = 0.15
    thin_probability: float = 0.1

    def describe(self) -> dict[str, float]:
        """The ranges as plain values, for the model metadata."""
        return asdict(self)


@dataclass(frozen=True)
class Recipe:
    """How a model is trained; recorded verbatim in the model's metadata."""

    epochs: int
    batch_size: int = 128
    peak_learning_rate: float = 3e-3
    warmup_epochs: float = 1.0
    weight_decay: float = 1e-4
    label_smoothing: float = 0.05
    validation_size: int = 5000
    augmentation: Augmentation = field(default_factory=Augmentation)
    pen_variants: int = 0
    """Renders of each training writer's pen digit (training.drawn_data); 0: MNIST only."""
    non_digit_share: float = 0.0
    """Non-digits (letters, scribbles, shapes) per digit image, trained to even answers."""
    interpolate_with_initial: bool = False
    """After fine-tuning from ``--init-from``, mix with the initial weights
    (``training.interpolate``: the mix chosen on validation, then calibrated)."""
    dropout_rate: float | None = None
    """The rate of the architecture's dropout layers (None: as the architecture has it);
    a rate is a training setting, the layers and weights stay the same."""

    def describe(self, train_size: int) -> dict[str, object]:
        """The recipe as plain values for ``<name>.json``."""
        return {
            "optimizer": f"AdamW (weight decay {self.weight_decay})",
            "schedule": (
                f"linear warm-up over {self.warmup_epochs:g} epoch(s) to "
                f"{self.peak_learning_rate:g}, then cosine decay to 1% of it"
            ),
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "augmentation": self.augmentation.describe(),
            "label_smoothing": self.label_smoothing,
            "validation_split": (
                f"last {self.validation_size} of the MNIST training images; "
                f"trained on the first {train_size}; best epoch kept by validation accuracy"
            ),
            "pen_variants": self.pen_variants,
            "non_digit_share": self.non_digit_share,
            "interpolate_with_initial": self.interpolate_with_initial,
            **({} if self.dropout_rate is None else {"dropout_rate": self.dropout_rate}),
        }


class RecipeFileError(ValueError):
    """A recipe file that cannot be used: unreadable, or naming an unknown setting."""


# The settings a recipe file may change, with their types; the rest (data, validation
# split, pen digits) stay as the model's spec has them.
_TUNABLE: dict[str, type] = {
    "epochs": int,
    "batch_size": int,
    "peak_learning_rate": float,
    "warmup_epochs": float,
    "weight_decay": float,
    "label_smoothing": float,
    "dropout_rate": float,
}
_AUGMENTATION: dict[str, type] = {f.name: float for f in fields(Augmentation)}


def _checked(values: Mapping[str, Any], allowed: dict[str, type], where: str) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for key, value in values.items():
        kind = allowed.get(key)
        if kind is None:
            raise RecipeFileError(f"{where}: unknown setting {key!r}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RecipeFileError(f"{where}: {key} must be a number")
        if kind is int and not float(value).is_integer():
            raise RecipeFileError(f"{where}: {key} must be a whole number")
        checked[key] = kind(value)
    return checked


def apply_overrides(recipe: Recipe, overrides: Mapping[str, Any]) -> Recipe:
    """``recipe`` with the settings in ``overrides`` (a recipe file's ``recipe`` object).

    Raises
    ------
    RecipeFileError
        An unknown setting, or a value of the wrong kind.
    """
    plain = {k: v for k, v in overrides.items() if k != "augmentation"}
    changed = _checked(plain, _TUNABLE, "recipe")
    augmentation = overrides.get("augmentation", {})
    if not isinstance(augmentation, Mapping):
        raise RecipeFileError("recipe: augmentation must be an object")
    ranges = _checked(augmentation, _AUGMENTATION, "recipe augmentation")
    return replace(recipe, **changed, augmentation=replace(recipe.augmentation, **ranges))


def read_recipe_file(path: Path) -> tuple[str, dict[str, Any]]:
    """The model and the settings a recipe file (``python -m training tune``) names.

    Raises
    ------
    RecipeFileError
        Not a readable recipe file.
    """
    try:
        document = read_json_file(path, MAX_RECIPE_BYTES)
    except (OSError, UntrustedFileError) as error:
        raise RecipeFileError(f"{path}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != RECIPE_FORMAT:
        raise RecipeFileError(f'{path}: not a recipe file (no "format": "{RECIPE_FORMAT}")')
    model, settings = document.get("model"), document.get("recipe")
    if not isinstance(model, str) or not isinstance(settings, dict):
        raise RecipeFileError(f"{path}: a recipe file names a model and holds a recipe object")
    return model, settings
