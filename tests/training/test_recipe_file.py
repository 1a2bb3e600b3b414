"""Recipe files (``python -m training tune`` writes them): what they may change, and how a
bad one is refused. No TensorFlow needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.cli import main
from training.recipe import RecipeFileError, apply_overrides, read_recipe_file
from training.specs import spec_for


def test_overrides_change_only_what_they_name():
    base = spec_for("cnn").recipe
    changed = apply_overrides(
        base, {"epochs": 3, "dropout_rate": 0.3, "augmentation": {"max_shift_pixels": 2.5}}
    )
    assert (changed.epochs, changed.dropout_rate) == (3, 0.3)
    assert changed.augmentation.max_shift_pixels == 2.5
    assert changed.augmentation.max_rotation_degrees == base.augmentation.max_rotation_degrees
    assert changed.pen_variants == base.pen_variants
    assert changed.describe(100)["dropout_rate"] == 0.3
    assert "dropout_rate" not in base.describe(100)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"pen_variants": 2}, "unknown setting 'pen_variants'"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"batch_size": "64"}, "batch_size must be a number"),
        ({"augmentation": {"max_zoom": 1.0}}, "unknown setting 'max_zoom'"),
        ({"augmentation": [1]}, "augmentation must be an object"),
    ],
)
def test_bad_overrides_are_refused(overrides, reason):
    with pytest.raises(RecipeFileError, match=reason):
        apply_overrides(spec_for("dense").recipe, overrides)


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_read_recipe_file_needs_its_format(tmp_path: Path):
    good = {"format": "digitpad-recipe", "model": "dense", "recipe": {"epochs": 2}}
    assert read_recipe_file(_write(tmp_path / "r.json", good)) == ("dense", {"epochs": 2})
    with pytest.raises(RecipeFileError, match="not a recipe file"):
        read_recipe_file(_write(tmp_path / "x.json", {"model": "dense"}))
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(RecipeFileError, match="not valid JSON"):
        read_recipe_file(tmp_path / "broken.json")


def test_a_bad_recipe_file_stops_training_before_any_work(tmp_path: Path, capsys):
    bad = {"format": "digitpad-recipe", "model": "dense", "recipe": {"momentum": 0.9}}
    code = main(["--model", "dense", "--recipe", str(_write(tmp_path / "r.json", bad))])
    assert code == 2
    assert "unknown setting 'momentum'" in capsys.readouterr().err
