"""How a model is trained, as plain values: no TensorFlow, so the model specs and the
command line can read recipes without importing it (``python -m training --help`` stays fast).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DEFAULT_SEED = 1234


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
        }
