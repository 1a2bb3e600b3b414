"""User model folders holding anything: every bad model is reported and skipped.

Real files throughout: models built with onnx.helper that fail only when run, metadata
of every wrong shape, and file system objects where a model file should be. The bundled
models keep answering whatever the user's folder holds.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from digitpad.core import (
    Prediction,
    Recognizer,
    bundled_models_dir,
    load_image,
    samples_dir,
    user_models_dir,
)
from digitpad.core.recognition import MAX_MODEL_BYTES
from digitpad.core.recognition import _model as model
from digitpad.core.recognition import _model_checks as model_checks
from digitpad.core.recognition import _run_watchdog as run_watchdog
from tests.hardening.broken_models import copy_bundled, write_broken_model, write_metadata
from tests.hardening.unprivileged import run_unprivileged

DIGIT = samples_dir() / "digit-7-transparent.png"


@pytest.fixture
def user_folder() -> Path:
    folder = user_models_dir()
    folder.mkdir(parents=True)
    return folder


def _load_within_5_s(folders: list[Path]) -> Recognizer:
    """Recognizer.from_folders, asserted to return (not raise, not hang) within 5 s."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(_try_load(folders)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "loading the models hung"
    (recognizer,) = result
    assert isinstance(recognizer, Recognizer), recognizer
    return recognizer


def _try_load(folders: list[Path]) -> object:
    try:
        return Recognizer.from_folders(folders)
    except BaseException as error:  # reported to the test thread
        return error


def _only_failure(recognizer: Recognizer) -> str:
    (failure,) = recognizer.failures
    reason = str(failure)
    assert "\n" not in reason
    return reason


def _with_broken_user_cnn(folder: Path, kind: str) -> tuple[Recognizer, Prediction]:
    """Load the bundled models plus a user ``cnn`` broken as ``kind``; predict a 7."""
    write_broken_model(folder / "cnn.onnx", kind)
    write_metadata(folder, "cnn")
    recognizer = _load_within_5_s([bundled_models_dir(), folder])
    return recognizer, recognizer.predict(load_image(DIGIT))


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("fixed-batch-2", "fails on a test digit: failed to run"),
        ("runtime-reshape", "fails on a test digit: failed to run"),
        ("width-0", "output of shape [1, 0]"),
        ("width-3", "output of shape [1, 3]"),
    ],
)
def test_a_model_that_cannot_run_is_refused_at_load(user_folder, kind, reason):
    recognizer, prediction = _with_broken_user_cnn(user_folder, kind)
    assert reason in _only_failure(recognizer)
    # The bundled CNN stays in use; both models answer.
    assert {name: answer.digit for name, answer in prediction.answers.items()} == {
        "dense": 7,
        "cnn": 7,
    }


def test_a_model_that_never_finishes_is_stopped_and_refused(user_folder, monkeypatch):
    monkeypatch.setattr(model_checks, "RUN_SECONDS", 0.5)
    recognizer, prediction = _with_broken_user_cnn(user_folder, "endless-loop")
    assert "took longer than 1 s and was stopped" in _only_failure(recognizer)
    assert prediction.answers["cnn"].digit == 7  # the bundled CNN, still in use


def test_an_endless_run_after_an_idle_pause_is_stopped(tmp_path, monkeypatch):
    """The supervisor sleeps once nothing has run for a while; the next run wakes it."""
    monkeypatch.setattr(run_watchdog, "IDLE_SECONDS", 0.0)
    monkeypatch.setattr(run_watchdog, "WATCHDOG", run_watchdog.RunWatchdog())
    monkeypatch.setattr(model_checks, "RUN_SECONDS", 0.5)
    monkeypatch.setattr(model, "WATCHDOG", run_watchdog.WATCHDOG)
    write_broken_model(tmp_path / "cnn.onnx", "endless-loop")
    write_metadata(tmp_path, "cnn")
    assert "took longer than 1 s and was stopped" in _only_failure(_load_within_5_s([tmp_path]))
    assert _sleeps_within_5_s(run_watchdog.WATCHDOG)
    assert "took longer than 1 s and was stopped" in _only_failure(_load_within_5_s([tmp_path]))


def _sleeps_within_5_s(watchdog: run_watchdog.RunWatchdog) -> bool:
    for _ in range(500):
        if watchdog.asleep:
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("nan", "NaN or infinite"),
        ("negative", "negative probability"),
        ("unnormalised", "summing to 50"),
    ],
)
def test_a_bad_answer_is_an_error_for_that_model_only(user_folder, kind, reason):
    recognizer, prediction = _with_broken_user_cnn(user_folder, kind)
    assert recognizer.failures == ()  # it answers its load-time test digit correctly
    assert reason in prediction.errors["cnn"]
    assert "cnn" not in prediction.answers
    assert prediction.answers["dense"].digit == 7


_DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("[]", "not a JSON object"),
        ('"cnn"', "not a JSON object"),
        ("{", "not valid JSON"),
        (_DEEP, "nests 100000 levels deep"),
        ('{"format_version": 1}', "missing the key"),
        ('{"format_version": NaN}', "not valid JSON"),
        ('{"format_version": 1e999}', "a number too large to use"),
    ],
    ids=["list", "string", "truncated", "deeply-nested", "empty-object", "nan", "huge-version"],
)
def test_metadata_that_is_not_metadata(user_folder, document, reason):
    copy_bundled(user_folder, "cnn")
    (user_folder / "cnn.json").write_text(document)
    assert reason in _only_failure(_load_within_5_s([user_folder]))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"parameters": float("inf")}, "a number too large to use"),
        ({"parameters": "many"}, "'parameters' must be a whole number"),
        ({"evaluation": {"accuracy": float("inf")}}, "a number too large to use"),
        ({"evaluation": [1]}, "must be objects"),
        ({"input": {"shape": "28x28"}}, "'input.shape' must be a short list"),
        ({"name": ["cnn"]}, "'name' must be a string"),
        ({"display_order": 10**30}, "31-digit number is out of range"),
        ({"display_order": 10**12}, "'display_order' must be a whole number"),
        ({"onnx_file": "../../cnn.onnx"}, "must be a file name in the model's folder"),
        ({"onnx_file": "/etc/passwd"}, "must be a file name in the model's folder"),
        ({"onnx_file": "sub\\cnn.onnx"}, "must be a file name in the model's folder"),
        ({"onnx_file": ".."}, "must be a file name in the model's folder"),
        ({"onnx_file": ""}, "'onnx_file' must be a file name"),
        ({"onnx_file": 5}, "'onnx_file' must be a file name"),
    ],
)
def test_metadata_values_of_the_wrong_kind(user_folder, changes, reason):
    copy_bundled(user_folder, "cnn")
    json_path = write_metadata(user_folder, "cnn")
    document = json.loads(json_path.read_text())
    document.update(changes)
    # json.dumps writes inf as "Infinity"; a file with 1e999 reads back as inf too.
    json_path.write_text(json.dumps(document).replace("Infinity", "1e999"))
    assert reason in _only_failure(_load_within_5_s([user_folder]))


def test_metadata_that_is_not_text(user_folder):
    copy_bundled(user_folder, "cnn")
    (user_folder / "cnn.json").write_bytes(b"\xff\xfe{\x00")
    assert "not UTF-8 text" in _only_failure(_load_within_5_s([user_folder]))


def _replace_model_file(folder: Path, make) -> None:
    copy_bundled(folder, "cnn")
    (folder / "cnn.onnx").unlink()
    make(folder / "cnn.onnx")


@pytest.mark.skipif(os.name != "posix", reason="POSIX file system objects")
@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (os.mkfifo, "is a named pipe"),
        (os.mkdir, "is a folder"),
        (lambda path: path.symlink_to("/dev/zero"), "is a device"),
        (lambda path: path.symlink_to(path), "symbolic links"),
        (lambda path: path.symlink_to(path.with_name("gone.onnx")), "not found"),
    ],
    ids=["fifo", "folder", "device", "symlink-loop", "dangling-symlink"],
)
def test_model_file_that_is_not_a_file(user_folder, make, reason):
    _replace_model_file(user_folder, make)
    assert reason in _only_failure(_load_within_5_s([user_folder]))


def test_huge_model_file_is_refused_before_hashing(user_folder):
    def sparse(path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(3 * 1024**3)  # 3 GB, no disk space used

    _replace_model_file(user_folder, sparse)
    reason = _only_failure(_load_within_5_s([user_folder]))
    assert f"limit {MAX_MODEL_BYTES // 1024**2} MB" in reason


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(
    ("locked", "reason"),
    [("", "cannot list the folder"), ("cnn.onnx", "Permission denied"), ("cnn.json", "denied")],
    ids=["folder", "model-file", "metadata-file"],
)
def test_unreadable_models_folder_or_file(reachable_tmp, monkeypatch, locked, reason):
    """Run as an ordinary user (root drops to nobody: root ignores permission bits)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(reachable_tmp / "data"))
    folder = user_models_dir()
    folder.mkdir(parents=True)
    copy_bundled(folder, "cnn")

    def load() -> str:
        recognizer = _load_within_5_s([bundled_models_dir(), folder])
        reasons = [str(failure) for failure in recognizer.failures]
        return json.dumps({"failures": reasons, "loaded": len(recognizer.loaded_models)})

    # The same user loads the folder while it is open: only the lock stops it below.
    assert json.loads(run_unprivileged(load)) == {"failures": [], "loaded": 2}
    (folder / locked).chmod(0)
    try:
        outcome = json.loads(run_unprivileged(load))
    finally:
        (folder / locked).chmod(0o700)
    (failure,) = outcome["failures"]
    assert reason in failure
    assert "\n" not in failure
    assert outcome["loaded"] == 2  # the bundled pair keeps answering
