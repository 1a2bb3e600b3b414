"""Personal models on disk: hostile files in the user models folder, a full disk, a kill
mid-write and what an older version left half-written.

A set is written as one transaction (``save_personal_models``): whatever happens, the
models that load afterwards are the whole old set or the whole new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import Recognizer, bundled_models_dir, rasterise_strokes, user_models_dir
from digitpad.core.personal import (
    LEFTOVERS,
    FineTuneError,
    SampleStore,
    fine_tune,
    legacy_files,
    personal_model_names,
    read_onnx_graph,
    recipe_for,
    reset_personal_models,
    save_personal_models,
)
from digitpad.core.recognition import (
    PERSONAL_DIR,
    POINTER_FILE,
    RESET_HINT,
    personal_set_folder,
    user_model_folders,
)
from tests.shared_data import pendigits


def _within_10_s(call: Callable[[], object]) -> object:
    """``call()``'s result, asserted to come back (not hang) within 10 s."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as error:  # reported to the test thread
            result.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "it hung"
    (value,) = result
    if isinstance(value, BaseException):
        raise value
    return value


def _personal_files(tag: str) -> dict[str, bytes]:
    """The bundled dense model as a personal model, its display name telling the set."""
    data = (bundled_models_dir() / "dense.onnx").read_bytes()
    document = json.loads((bundled_models_dir() / "dense.json").read_text())
    document.update(display_name=f"Dense ({tag})", fine_tuned_from={"file": "dense.onnx"})
    return {"dense.onnx": data, "dense.json": json.dumps(document).encode()}


def _loaded_set(models_dir: Path) -> str | None:
    """The tag of the personal set that loads from ``models_dir`` (None: bundled)."""
    folders, problems = user_model_folders(models_dir)
    assert problems == []
    recognizer = Recognizer.from_folders([bundled_models_dir(), *folders])
    assert recognizer.failures == ()
    (dense,) = [m for m in recognizer.loaded_models if m.name == "dense"]
    shown = dense.display_name
    return shown[len("Dense (") : -1] if shown.startswith("Dense (") else None


def _entries(models_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(models_dir)) for p in models_dir.rglob("*"))


# ---- hostile files in the user models folder --------------------------------------------


def test_a_pipe_named_json_neither_hangs_the_start_nor_reset(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    os.mkfifo(models / "dense.json")
    assert _within_10_s(lambda: personal_model_names(models)) == ()
    assert _within_10_s(lambda: reset_personal_models(models)) == ()
    assert (models / "dense.json").exists()  # not ours: left alone


def test_deep_and_huge_json_are_skipped_in_bounded_memory(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    with (models / "huge.json").open("wb") as stream:  # 300 MB, sparse: costs no disk
        stream.truncate(300 * 1024 * 1024)
    tracemalloc.start()
    try:
        names = personal_model_names(models)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert names == ()
    assert peak < 16 * 1024 * 1024  # the 300 MB file is refused by its size, never read


def test_a_broken_pointer_is_reported_with_how_to_fix_it_and_reset_clears_it(tmp_path):
    models = tmp_path / "models"
    (models / PERSONAL_DIR).mkdir(parents=True)
    os.mkfifo(models / PERSONAL_DIR / POINTER_FILE)
    folders, problems = _within_10_s(lambda: user_model_folders(models))  # type: ignore[misc]
    assert folders == [models]
    (problem,) = problems
    assert "named pipe" in problem.reason
    assert RESET_HINT in problem.reason
    assert reset_personal_models(models) == (LEFTOVERS,)
    assert _entries(models) == []
    assert user_model_folders(models) == ([models], [])


@pytest.mark.parametrize(
    "pointer",
    [
        {"format_version": 1, "folder": "../../etc"},
        {"format_version": 1, "folder": "set-missing"},
        {"format_version": 2, "folder": "set-x"},
        ["set-x"],
    ],
    ids=["leaves-the-folder", "missing-set", "other-version", "not-an-object"],
)
def test_a_pointer_digitpad_did_not_write_is_not_followed(tmp_path, pointer):
    models = tmp_path / "models"
    (models / PERSONAL_DIR).mkdir(parents=True)
    (models / PERSONAL_DIR / POINTER_FILE).write_text(json.dumps(pointer))
    folders, problems = user_model_folders(models)
    assert folders == [models]
    assert len(problems) == 1


# ---- one set, one transaction ------------------------------------------------------------


def test_a_new_set_replaces_the_old_one_whole(tmp_path):
    models = tmp_path / "models"
    first = save_personal_models(_personal_files("old"), models)
    assert _loaded_set(models) == "old"
    second = save_personal_models(_personal_files("new"), models)
    assert _loaded_set(models) == "new"
    assert not first.exists()  # the old set is tidied away once the new one is current
    assert personal_set_folder(models) == second
    assert _entries(models) == sorted(
        [PERSONAL_DIR, f"{PERSONAL_DIR}/{POINTER_FILE}", str(second.relative_to(models))]
        + [str((second / name).relative_to(models)) for name in ("dense.json", "dense.onnx")]
    )
    assert personal_model_names(models) == ("dense",)
    assert reset_personal_models(models) == ("dense",)
    assert _entries(models) == []
    assert _loaded_set(models) is None


@contextlib.contextmanager
def _small_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_leaves_the_old_set_and_says_so(tmp_path):
    with _small_tmpfs(tmp_path / "disk", "700k") as disk:
        models = disk / "models"
        save_personal_models(_personal_files("old"), models)  # 480 KB of 700 KB
        with pytest.raises(OSError, match="No space left on device"):  # a real full disk
            save_personal_models(_personal_files("new"), models)
        assert _loaded_set(models) == "old"
        assert not [p for p in (models / PERSONAL_DIR).iterdir() if p.name.startswith(".tmp-")]

        # The whole fine-tune: one line that names the disk, never "cannot write the output".
        bundled = tmp_path / "bundled"
        bundled.mkdir()
        for suffix in (".onnx", ".json"):
            (bundled / f"dense{suffix}").write_bytes(
                (bundled_models_dir() / f"dense{suffix}").read_bytes()
            )
        store = SampleStore(tmp_path / "samples")
        digits = [d for d in pendigits() if d.writer == 2]
        for label in range(10):
            strokes = next(d for d in digits if d.label == label).canvas_strokes()
            store.add_drawing(label, strokes, 255 - rasterise_strokes(strokes, (280, 280)))
        with pytest.raises(FineTuneError) as failed:
            fine_tune(
                store,
                models_dir=models,
                bundled_dir=bundled,
                recipe=lambda net: replace(recipe_for(net), steps=4),
            )
        message = str(failed.value)
        assert "No space left on device" in message
        assert "the models you had are unchanged" in message
        assert "cannot write the output" not in message
        assert _loaded_set(models) == "old"


# Run in a child: save a new set, SIGKILLed at one point of the transaction (a real kill,
# placed by wrapping the call that point is made of).
_KILLED_SAVE = """
import json, os, shutil, signal, sys
from pathlib import Path
from digitpad.core.personal import save_personal_models
models, point, files = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
files = {name: Path(path).read_bytes() for name, path in files.items()}
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if point == "between-files":  # after the first file of the set reached the disk
    fsync = os.fsync
    def fsync_then_die(fd):
        fsync(fd)
        die()
    os.fsync = fsync_then_die
elif point == "before-pointer":  # the set is complete; the pointer not yet replaced
    os.replace = die
elif point == "before-tidying":  # the pointer replaced; the old set still on disk
    shutil.rmtree = die
save_personal_models(files, models)
"""


@pytest.mark.parametrize(
    ("point", "expected"),
    [("between-files", "old"), ("before-pointer", "old"), ("before-tidying", "new")],
)
def test_a_kill_mid_write_leaves_the_old_set_or_the_new_one(tmp_path, point, expected):
    models = tmp_path / "models"
    save_personal_models(_personal_files("old"), models)
    staged = {}
    for name, data in _personal_files("new").items():
        staged[name] = str(tmp_path / name)
        (tmp_path / name).write_bytes(data)
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_SAVE, str(models), point, json.dumps(staged)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert _loaded_set(models) == expected
    # The next save tidies whatever the killed one left.
    final = save_personal_models(_personal_files("next"), models)
    assert _loaded_set(models) == "next"
    assert sorted(p.name for p in (models / PERSONAL_DIR).iterdir()) == sorted(
        [POINTER_FILE, final.name]
    )


def test_a_kill_while_a_large_file_is_written_leaves_the_old_set(tmp_path):
    """SIGKILL from outside while the child writes 200 MB into the new set."""
    models = tmp_path / "models"
    save_personal_models(_personal_files("old"), models)
    big = tmp_path / "big.onnx"
    with big.open("wb") as stream:
        stream.write(np.random.default_rng(0).bytes(200 * 1024 * 1024))
    files = {"dense.onnx": str(big)}
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_SAVE, str(models), "none", json.dumps(files)]
    )
    personal = models / PERSONAL_DIR
    try:
        while child.poll() is None:
            staging = [p for p in personal.iterdir() if p.name.startswith(".tmp-")]
            if any(f.stat().st_size > 0 for s in staging for f in s.iterdir()):
                child.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
    finally:
        code = child.wait(timeout=60)
    assert code == -signal.SIGKILL, "the child finished before it could be killed"
    assert _loaded_set(models) == "old"


# ---- what an older version left ---------------------------------------------------------


def _fine_tuned_copy() -> bytes:
    """The bundled dense model with other weights: what an older version's fine-tune wrote
    as dense.onnx before it was killed (its dense.json never written)."""
    graph = read_onnx_graph((bundled_models_dir() / "dense.onnx").read_bytes())
    weights = {name: value * np.float32(0.99) for name, value in graph.weights().items()}
    return graph.with_weights(weights)


def test_an_older_versions_half_written_set_is_reported_and_reset_clears_it(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "dense.onnx").write_bytes(_fine_tuned_copy())
    (models / "cnn.onnx").write_bytes((bundled_models_dir() / "cnn.onnx").read_bytes())
    (models / "mine.onnx").write_bytes(_fine_tuned_copy())  # not a bundled name: theirs
    assert set(legacy_files(models)) == {"dense"}  # the CNN is the bundled file itself

    user = user_models_dir()  # the sandbox's
    user.mkdir(parents=True)
    (user / "dense.onnx").write_bytes(_fine_tuned_copy())
    failures = Recognizer.from_default_locations().failures
    (failure,) = [f for f in failures if f.path.stem == "dense"]
    assert "metadata file not found" in failure.reason
    assert RESET_HINT in failure.reason
    assert reset_personal_models() == ("dense",)
    assert Recognizer.from_default_locations().failures == ()

    assert reset_personal_models(models) == ("dense",)
    assert sorted(p.name for p in models.iterdir()) == ["cnn.onnx", "mine.onnx"]


def test_a_new_set_tidies_an_older_versions_personal_models(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    for name, data in _personal_files("older version").items():
        (models / name).write_bytes(data)
    assert personal_model_names(models) == ("dense",)
    save_personal_models(_personal_files("new"), models)
    assert _loaded_set(models) == "new"
    assert sorted(p.name for p in models.iterdir()) == [PERSONAL_DIR]


def test_a_model_put_in_the_folder_by_hand_wins_over_a_personal_one(tmp_path):
    models = tmp_path / "models"
    save_personal_models(_personal_files("personal"), models)
    for name, data in _personal_files("by hand").items():
        document = json.loads(data) if name.endswith(".json") else None
        if document is not None:  # a model of their own: not marked as fine-tuned
            del document["fine_tuned_from"]
            data = json.dumps(document).encode()
        (models / name).write_bytes(data)
    assert _loaded_set(models) == "by hand"
