"""The command line never shows a traceback: bad models, closed pipes, full disks, odd names.

The output cases run the real ``digitpad`` in a subprocess with real pipes and
``/dev/full``, since that is where Python's own stream handling fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digitpad.cli import main
from digitpad.core import samples_dir, user_models_dir
from tests.hardening.broken_models import write_broken_model, write_metadata
from tests.hardening.unprivileged import run_unprivileged

SAMPLES = sorted(str(path) for path in samples_dir().glob("digit-*.png"))
SEVEN = str(samples_dir() / "digit-7-transparent.png")


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not strict JSON")


@pytest.fixture
def nan_cnn() -> None:
    """A user CNN that loads, then answers NaN for every picture but its test digit."""
    folder = user_models_dir()
    folder.mkdir(parents=True)
    write_broken_model(folder / "cnn.onnx", "nan")
    write_metadata(folder, "cnn")


@pytest.mark.usefixtures("nan_cnn")
def test_a_model_error_is_an_entry_in_strict_json_and_exit_1(capsys):
    assert main(["predict", "--json", SEVEN]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    document = json.loads(line, parse_constant=_refuse_constant)
    assert document["predictions"]["dense"]["digit"] == 7
    assert "NaN" in document["predictions"]["cnn"]["error"]


@pytest.mark.usefixtures("nan_cnn")
def test_a_model_error_in_the_table_names_the_model(capsys):
    assert main(["predict", SEVEN]) == 1
    row = capsys.readouterr().out.splitlines()[1]
    assert row.split()[1:4] == ["7", row.split()[2], "error"]
    assert "(cnn: gave NaN or infinite probabilities)" in row


def test_error_lines_name_the_path_once(tmp_path, capsys):
    text = tmp_path / "notes.png"
    text.write_text("not pixels")
    os.mkfifo(tmp_path / "pipe.png")
    assert main(["predict", str(text), str(tmp_path / "pipe.png")]) == 1
    for line in capsys.readouterr().out.splitlines()[1:]:
        assert line.count(str(tmp_path)) == 1, line


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_file_in_a_locked_folder_does_not_stop_the_others(reachable_tmp, monkeypatch, capsys):
    """Run as an ordinary user (root drops to nobody: root ignores permission bits)."""
    for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(reachable_tmp / variable))
    folder = reachable_tmp / "locked"
    folder.mkdir()
    locked = folder / "digit-3.png"
    shutil.copy(samples_dir() / "digit-3.png", locked)
    seven = shutil.copy(SEVEN, reachable_tmp)  # the checkout may be closed to nobody
    folder.chmod(0)

    def predict() -> str:
        code = main(["predict", str(locked), str(seven)])
        return json.dumps({"code": code, "out": capsys.readouterr().out})

    try:
        outcome = json.loads(run_unprivileged(predict))
    finally:
        folder.chmod(0o700)
    assert outcome["code"] == 1
    _, locked_row, seven_row = outcome["out"].splitlines()
    assert "Permission denied" in locked_row
    assert locked_row.count(str(folder)) == 1
    assert seven_row.split()[1:2] == ["7"]


def _digitpad(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "digitpad", *args], capture_output=True, timeout=60, **kwargs
    )


def test_closed_stdout_ends_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "digitpad", "predict", *SAMPLES * 4],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"file")
    process.stdout.close()  # as `| head -1` does
    _, stderr = process.communicate(timeout=60)
    assert stderr == b""
    assert process.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_one_line_and_exit_1():
    with open("/dev/full", "wb") as full:
        finished = subprocess.run(
            [sys.executable, "-m", "digitpad", "predict", SEVEN],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert finished.returncode == 1
    assert finished.stderr.decode().splitlines() == [
        "digitpad: cannot write the output: No space left on device"
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux")
def test_names_that_are_not_utf8_print_escaped(tmp_path):
    name = os.fsdecode(b"caf\xe9\n.png")
    (tmp_path / name).write_bytes(Path(SEVEN).read_bytes())
    finished = _digitpad(
        "predict", name, cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr == b""
    row = finished.stdout.decode("utf-8").splitlines()[1]
    assert row.startswith("caf\\xe9\\x0a.png")
    assert row.split()[1] == "7"
