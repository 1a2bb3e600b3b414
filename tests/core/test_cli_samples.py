"""``digitpad samples ...`` and ``digitpad fine-tune``: output, files and exit codes."""

from __future__ import annotations

import json
import shutil

import numpy as np

from digitpad.cli import main
from digitpad.core import bundled_models_dir, samples_dir, user_models_dir
from digitpad.core.personal import SampleStore


def test_add_reports_each_file_and_fails_if_any_fails(tmp_path, capsys):
    good = samples_dir() / "digit-3.png"
    bad = tmp_path / "notes.png"
    bad.write_text("hello")
    assert main(["samples", "add", "--label", "3", str(good)]) == 0
    assert main(["samples", "add", "--label", "3", str(good), str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{good}: added as a 3 (")
    assert lines[2].startswith("error: ")
    assert "notes.png" in lines[2]
    assert SampleStore().counts()[3] == 2


def test_add_needs_a_digit_label(capsys):
    assert main(["samples", "add", "--label", "x", str(samples_dir() / "digit-3.png")]) == 2
    assert "not a digit" in capsys.readouterr().err
    assert SampleStore().samples() == []


def test_list_counts_per_digit_and_as_json(capsys):
    for digit in (3, 4, 4):
        main(["samples", "add", "--label", str(digit), str(samples_dir() / f"digit-{digit}.png")])
    capsys.readouterr()
    assert main(["samples", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[1].split() == ["count", "0", "0", "0", "1", "2", "0", "0", "0", "0", "0", "3"]
    assert main(["samples", "list", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [s["label"] for s in document["samples"]] == [3, 4, 4]
    assert {s["kind"] for s in document["samples"]} == {"picture"}
    assert document["store"] == str(SampleStore().root)


def test_export_and_clear(tmp_path, capsys):
    assert main(["samples", "export", "--format", "npz", str(tmp_path / "none.npz")]) == 1
    assert "no samples" in capsys.readouterr().err
    main(["samples", "add", "--label", "7", str(samples_dir() / "digit-7.png")])
    assert main(["samples", "export", "--format", "npz", str(tmp_path / "mine.npz")]) == 0
    with np.load(tmp_path / "mine.npz") as archive:
        assert archive["labels"].tolist() == [7]
    assert main(["samples", "clear"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert len(SampleStore().samples()) == 1
    assert main(["samples", "clear", "--yes"]) == 0
    assert "removed 1 sample" in capsys.readouterr().out
    assert SampleStore().samples() == []


def test_fine_tune_with_too_few_samples_exits_1_and_says_why(capsys):
    main(["samples", "add", "--label", "7", str(samples_dir() / "digit-7.png")])
    capsys.readouterr()
    assert main(["fine-tune"]) == 1
    assert "at least 10 samples" in capsys.readouterr().err
    assert not user_models_dir().exists()


def test_reset_removes_only_personal_models(capsys):
    folder = user_models_dir()
    folder.mkdir(parents=True)
    for suffix in (".onnx", ".json"):
        shutil.copy(bundled_models_dir() / f"cnn{suffix}", folder / f"cnn{suffix}")
    document = json.loads((folder / "cnn.json").read_text())
    (folder / "dense.json").write_text(json.dumps({**document, "fine_tuned_from": {}}))
    assert main(["fine-tune", "--reset"]) == 0
    assert "removed your models (dense)" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == ["cnn.json", "cnn.onnx"]
    assert main(["fine-tune", "--reset"]) == 0
    assert "no personal models" in capsys.readouterr().out
