"""``digitpad explain``, run for real: strict JSON lines, text summary, PNGs, exit codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.cli import main
from digitpad.core import Recognizer, load_image, samples_dir, user_models_dir
from digitpad.core.explain import neighbour_cache_dir
from digitpad.core.files import NOT_A_PICTURE
from tests.model_files import breaks_on_heavy_ink

SEVEN = str(samples_dir() / "digit-7.png")
THREE = str(samples_dir() / "digit-3-photo.jpg")


pytestmark = pytest.mark.usefixtures("shared_user_cache")  # indexes built once


def _strict_json(line: str) -> dict:
    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(line, parse_constant=refuse)


def test_json_lines_follow_the_documented_schema(capsys, tmp_path, recognizer: Recognizer):
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("a seven")

    code = main(["explain", "--json", SEVEN, THREE, str(not_an_image), str(blank)])

    assert code == 1
    documents = [_strict_json(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["file"] for d in documents] == [SEVEN, THREE, str(not_an_image), str(blank)]
    for document, digit in zip(documents[:2], (7, 3), strict=True):
        assert set(document) == {"file", "input", "explanations"}
        seen = recognizer.predict(load_image(document["file"])).model_input
        assert seen is not None
        np.testing.assert_allclose(np.array(document["input"]), seen, atol=1e-4)
        assert list(document["explanations"]) == ["dense", "cnn"]
        for explained in document["explanations"].values():
            assert set(explained) == {"digit", "probabilities", "saliency", "neighbours"}
            assert explained["digit"] == digit
            assert sum(explained["probabilities"]) == pytest.approx(1.0, abs=1e-4)
            saliency = np.array(explained["saliency"])
            assert saliency.shape == (28, 28)
            assert saliency.max() > 0
            assert len(explained["neighbours"]) == 5
            for neighbour in explained["neighbours"]:
                assert set(neighbour) == {"index", "label", "distance"}
                assert 0 <= neighbour["index"] < 60000
                assert isinstance(neighbour["distance"], float)
            assert [n["label"] for n in explained["neighbours"]].count(digit) >= 3
    assert set(documents[2]) == {"file", "error"}
    assert documents[2]["error"] == NOT_A_PICTURE
    assert documents[3]["error"] == "nothing drawn (no ink found)"
    assert neighbour_cache_dir().is_dir(), "the indexes were cached for the next run"


def test_text_summary_and_pictures_in_the_out_folder(capsys, tmp_path):
    out = tmp_path / "why"
    twin = tmp_path / "twin"
    twin.mkdir()
    same_stem = twin / Path(SEVEN).name
    same_stem.write_bytes(Path(SEVEN).read_bytes())

    code = main(["explain", "--out", str(out), SEVEN, str(same_stem)])

    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{SEVEN}: Dense reads 7 (")
    assert "CNN reads 7" in lines[0]
    assert "nearest training digits:" in lines[0]
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(
        f"{stem}-{model}-{kind}.png"
        for stem in ("digit-7", "digit-7-2")
        for model in ("dense", "cnn")
        for kind in ("heatmap", "neighbours")
    )
    with Image.open(out / "digit-7-cnn-heatmap.png") as heat:
        assert heat.size == (280, 280)
        assert heat.mode == "RGB"
        pixels = np.asarray(heat).astype(int)
        assert (pixels[..., 0] - pixels[..., 2]).max() > 100, "orange evidence is drawn"
    with Image.open(out / "digit-7-dense-neighbours.png") as strip:
        assert strip.width > 4 * strip.height, "five digits side by side"


def test_an_out_folder_that_cannot_be_made_is_an_error(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")

    assert main(["explain", "--out", str(blocker / "sub"), SEVEN]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_no_files_is_a_usage_error(capsys):
    assert main(["explain"]) == 2
    assert "usage: digitpad explain" in capsys.readouterr().err


def test_standard_input_is_explained_like_the_file(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(Path(SEVEN).read_bytes())))

    assert main(["explain", "--json", "--out", str(tmp_path), "-"]) == 0
    from_stdin = _strict_json(capsys.readouterr().out)
    assert main(["explain", "--json", SEVEN]) == 0
    from_file = _strict_json(capsys.readouterr().out)

    assert from_stdin["file"] == "-"
    assert from_stdin["explanations"] == from_file["explanations"]
    assert (tmp_path / "stdin-cnn-heatmap.png").is_file()


def test_a_model_that_fails_on_a_file_is_that_models_error(capsys, tmp_path):
    breaks_on_heavy_ink(user_models_dir())
    blot = tmp_path / "blot.png"
    picture = Image.new("L", (64, 64), 255)
    picture.paste(0, (20, 20, 44, 44))
    picture.save(blot)

    code = main(["explain", "--json", str(blot), SEVEN])

    assert code == 1
    lines = capsys.readouterr().out.splitlines()
    blot_document, seven_document = (_strict_json(line) for line in lines)
    assert set(blot_document["explanations"]["fragile"]) == {"error"}
    assert "NaN" in blot_document["explanations"]["fragile"]["error"]
    assert blot_document["explanations"]["cnn"]["saliency"]
    assert seven_document["explanations"]["fragile"]["digit"] in range(10)
