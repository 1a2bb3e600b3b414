"""``python -m training tune`` end to end on a tiny budget, and training with its recipe."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from PIL import Image

pytest.importorskip("tensorflow", reason="needs TensorFlow: install the train extra")
pytest.importorskip("keras_tuner", reason="needs KerasTuner: install the train extra")

from training.cli import main
from training.data import Mnist
from training.recipe import apply_overrides, read_recipe_file
from training.specs import spec_for
from training.tune import SearchSpace, tune

pytestmark = [pytest.mark.slow, pytest.mark.training]

TINY = ["--max-epochs", "1", "--train-images", "400"]


@pytest.fixture(scope="module")
def tuned(tmp_path_factory, mnist_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("tune")
    code = main(
        ["tune", "--model", "cnn", "--trials", "2", "--time-budget", "3600", *TINY,
         "--data-dir", str(mnist_dir), "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    return out


def test_tune_writes_the_best_recipe_and_every_trial(tuned: Path):
    trials = json.loads((tuned / "trials.json").read_text())["trials"]
    assert [t["trial"] for t in trials] == [1, 2]
    space = SearchSpace(max_epochs=1)
    for trial in trials:
        assert set(trial) == {"trial", "validation_accuracy", "best_epoch", "seconds", "recipe"}
        assert 0.0 <= trial["validation_accuracy"] <= 1.0
        recipe = apply_overrides(spec_for("cnn").recipe, trial["recipe"])
        assert recipe.epochs == 1
        assert recipe.batch_size in space.batch_sizes
        assert space.learning_rates[0] <= recipe.peak_learning_rate <= space.learning_rates[1]
        assert recipe.dropout_rate is not None
        assert space.dropout_rates[0] <= recipe.dropout_rate <= space.dropout_rates[1]
    # Two trials drew different recipes.
    assert trials[0]["recipe"] != trials[1]["recipe"]

    model, settings = read_recipe_file(tuned / "best_recipe.json")
    best = max(trials, key=lambda t: t["validation_accuracy"])
    assert model == "cnn"
    assert settings == best["recipe"]
    document = json.loads((tuned / "best_recipe.json").read_text())
    assert document["validation_accuracy"] == best["validation_accuracy"]
    assert "320 trained on, the last 80 validating" in document["tuned_on"]
    table = (tuned / "trials.md").read_text()
    assert table.count("\n| ") == 4  # header, rule, two trials
    with Image.open(tuned / "trials.png") as plot:
        assert plot.size == (840, 300)


def test_the_time_budget_stops_the_search_between_trials(mnist: Mnist):
    ticks = itertools.count(0.0, 100.0)  # each look at the clock is 100 s later
    result = tune(
        "dense",
        mnist.train.head(300),
        trials=5,
        budget_seconds=150,
        seed=1,
        space=SearchSpace(max_epochs=1),
        validation_size=60,
        log=lambda _line: None,
        clock=lambda: next(ticks),
    )
    assert len(result.trials) == 1  # started at 100 s; at 200 s the budget was spent
    assert "dropout_rate" not in result.best.settings  # the dense net has no dropout


def test_training_with_the_recipe_file_uses_its_settings(tuned: Path, tmp_path: Path, mnist_dir):
    code = main(
        ["--model", "cnn", "--recipe", str(tuned / "best_recipe.json"), "--smoke",
         "--data-dir", str(mnist_dir), "--output", str(tmp_path), "--reports", str(tmp_path)]
    )  # fmt: skip
    assert code == 0
    _, settings = read_recipe_file(tuned / "best_recipe.json")
    written = json.loads((tmp_path / "cnn.json").read_text())["training"]["recipe"]
    assert written["dropout_rate"] == settings["dropout_rate"]
    assert written["augmentation"] == pytest.approx(settings["augmentation"])


def test_a_recipe_for_another_model_is_a_usage_error(tuned: Path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--model", "dense", "--recipe", str(tuned / "best_recipe.json")])
    assert exit_.value.code == 2
    assert "a recipe for cnn: use --model cnn" in capsys.readouterr().err
