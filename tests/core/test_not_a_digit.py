"""'Not a digit': the rule in each model's metadata, applied by the Recognizer to real
models, and shown by the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from digitpad.cli import main
from digitpad.core import DigitRule, Point, Recognizer, Stroke, samples_dir
from tests.shared_data import pendigits
from training.non_digits import FONTS_DIR
from training.pendigits import split_by_writer


def strokes(*lines, width: float = 18.0) -> list[Stroke]:
    return [Stroke(tuple(Point(x, y) for x, y in line), width) for line in lines]


def test_the_rule_is_read_from_metadata() -> None:
    assert DigitRule.from_metadata({}) is None
    rule = DigitRule.from_metadata({"not_a_digit": {"score": "max_probability", "threshold": 0.5}})
    assert rule is not None
    assert rule.is_digit([0.6] + [0.04] * 10)
    assert not rule.is_digit([0.1] * 10)


@pytest.mark.parametrize(
    "entry",
    [
        {"score": "entropy", "threshold": 0.5},
        {"score": "max_probability", "threshold": "high"},
        {"score": "max_probability", "threshold": 1.5},
        {"score": "max_probability", "threshold": True},
        "max_probability",
    ],
)
def test_a_malformed_rule_keeps_the_model_out_with_a_reason(models_copy: Path, entry) -> None:
    path = models_copy / "dense.json"
    document = json.loads(path.read_text())
    document["not_a_digit"] = entry
    path.write_text(json.dumps(document))
    recognizer = Recognizer.from_folders([models_copy], ("dense", "cnn"))
    assert [m.name for m in recognizer.loaded_models] == ["cnn"]
    (failure,) = recognizer.failures
    assert "not_a_digit" in failure.reason


def detector_rule(weights: list[float], bias: float, output: str = "features") -> dict:
    detector = {"output": output, "weights": weights, "bias": bias}
    return {"score": "feature_detector", "threshold": 0.5, "detector": detector}


def test_a_feature_detector_rule_reads_the_models_features() -> None:
    rule = DigitRule.from_metadata({"not_a_digit": detector_rule([1.0, -2.0], 0.5)})
    assert rule is not None
    assert rule.outputs == ("features",)
    uniform = [0.1] * 10
    assert rule.is_digit(uniform, {"features": np.array([3.0, 0.0])})  # sigmoid(3.5)
    assert not rule.is_digit(uniform, {"features": np.array([0.0, 3.0])})  # sigmoid(-5.5)
    assert rule.score_of(uniform, {"features": [1e6, -1e6]}) == 1.0  # no overflow warning
    with pytest.raises(ValueError, match="needs the model's 'features'"):
        rule.is_digit(uniform)
    with pytest.raises(ValueError, match="3 values"):
        rule.is_digit(uniform, {"features": np.zeros(3)})


@pytest.mark.parametrize(
    "entry",
    [
        {"score": "feature_detector", "threshold": 0.5},
        detector_rule([], 0.0),
        detector_rule([1.0, float("nan")], 0.0),
        detector_rule([1.0, float("inf")], 0.0),
        detector_rule([1.0, 2], float("-inf")),
        detector_rule([1.0, "2"], 0.0),
        detector_rule([1.0, 2.0], True),
        detector_rule([1.0, 2.0], 0.0, output=""),
        {**detector_rule([1.0], 0.0), "detector": [1.0]},
    ],
)
def test_a_malformed_detector_is_refused(entry) -> None:
    with pytest.raises(ValueError, match="not_a_digit"):
        DigitRule.from_metadata({"not_a_digit": entry})


@pytest.mark.parametrize(
    ("weights", "output", "reason"),
    [([0.5] * 7, "features", "7"), ([0.5] * 10, "no_such_output", "no output 'no_such_output'")],
)
def test_a_detector_that_does_not_fit_its_model_keeps_the_model_out(
    models_copy: Path, weights: list[float], output: str, reason: str
) -> None:
    path = models_copy / "cnn.json"
    document = json.loads(path.read_text())
    document["not_a_digit"] = detector_rule(weights, 0.0, output)
    path.write_text(json.dumps(document))
    recognizer = Recognizer.from_folders([models_copy], ("dense", "cnn"))
    assert [m.name for m in recognizer.loaded_models] == ["dense"]
    (failure,) = recognizer.failures
    assert "'not a digit' rule does not fit" in failure.reason
    assert reason in failure.reason


def test_a_detector_on_the_logits_decides_per_picture(models_copy: Path) -> None:
    """A detector may read any extra output: here 'is the logit of 7 high?'."""
    path = models_copy / "cnn.json"
    document = json.loads(path.read_text())
    document["not_a_digit"] = detector_rule([0.0] * 7 + [1.0, 0.0, 0.0], -2.0, "logits")
    path.write_text(json.dumps(document))
    recognizer = Recognizer.from_folders([models_copy])
    seven = strokes([(80, 60), (200, 60), (120, 230)])
    zero = strokes([(140 + 60 * np.cos(t), 140 + 90 * np.sin(t)) for t in np.linspace(0, 6.4, 60)])
    assert recognizer.predict_strokes(seven).answers["cnn"].is_digit is True
    assert recognizer.predict_strokes(zero).answers["cnn"].is_digit is False


def test_the_threshold_in_the_metadata_is_what_decides(models_copy: Path) -> None:
    path = models_copy / "cnn.json"
    document = json.loads(path.read_text())
    document["not_a_digit"] = {"score": "max_probability", "threshold": 1.0}
    path.write_text(json.dumps(document))
    del document["not_a_digit"]
    (models_copy / "dense.json").write_text(json.dumps({**document, "name": "dense"}))
    recognizer = Recognizer.from_folders([models_copy])
    seven = strokes([(80, 60), (200, 60), (120, 230)])
    answers = recognizer.predict_strokes(seven).answers
    assert answers["cnn"].is_digit is False  # nothing reaches a probability of 1.0


DOT = strokes([(140, 140), (141, 140.5)])
SCRIBBLE = strokes(
    [(30 + 220 * t, 140 + 28 * np.sin(40 * t) + 9 * np.sin(11 * t)) for t in np.linspace(0, 1, 150)]
)
LETTER_A = strokes([(70, 230), (140, 50), (210, 230)], [(100, 160), (180, 160)])
X = strokes([(70, 70), (210, 210)], [(210, 70), (70, 210)])


def judges(recognizer: Recognizer) -> list[str]:
    """The shipped models that carry a "not a digit" rule (at least one must)."""
    names = [m.name for m in recognizer.loaded_models if recognizer.digit_rule(m.name)]
    assert names, "no shipped model has a not_a_digit rule"
    return names


@pytest.mark.parametrize("drawing", [DOT, SCRIBBLE, LETTER_A, X], ids=["dot", "scribble", "A", "X"])
def test_the_shipped_models_say_not_a_digit(recognizer: Recognizer, drawing) -> None:
    answers = recognizer.predict_strokes(drawing).answers
    for name in judges(recognizer):
        assert answers[name].is_digit is False, answers[name]


def test_real_digits_of_new_writers_are_digits(recognizer: Recognizer) -> None:
    digits = split_by_writer(pendigits(), "test")[::40]  # 44 digits, every writer
    answers = [recognizer.predict_strokes(d.canvas_strokes()).answers for d in digits]
    for name in judges(recognizer):
        accepted = sum(a[name].is_digit for a in answers)
        right = sum(a[name].digit == d.label for a, d in zip(answers, digits, strict=True))
        assert accepted >= len(digits) - 1, name
        assert right >= len(digits) - 2, name


def test_the_command_line_says_not_a_digit(tmp_path: Path, capsys) -> None:
    letter = tmp_path / "letter-k.png"
    picture = Image.new("L", (200, 200), 255)
    font = ImageFont.truetype(FONTS_DIR / "truetype/dejavu/DejaVuSans-Bold.ttf", 150)
    ImageDraw.Draw(picture).text((100, 100), "K", fill=0, font=font, anchor="mm")
    picture.save(letter)
    seven = str(samples_dir() / "digit-7.png")
    assert main(["predict", "--json", str(letter), seven]) == 0
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ruled = judges(Recognizer.from_default_locations())
    for name in ruled:
        assert documents[0]["predictions"][name]["is_digit"] is False
    assert all(a["is_digit"] for a in documents[1]["predictions"].values())
    assert main(["predict", str(letter)]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert row.count("not a digit") == len(ruled)
