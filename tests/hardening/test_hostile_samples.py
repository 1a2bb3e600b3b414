"""A samples store someone tampered with: every file is read through the hardened door.

Real files throughout: named pipes where pictures and strokes should be, deeply nested
and huge-number JSON, strokes with NaN or far-away points, erasers of millions of pixels,
too many points, a label folder that links elsewhere, export over a pipe, a real full
tmpfs (root only, as mounting needs it). Each is skipped or refused with a one-line
reason; nothing hangs, crashes or fails the whole batch.
"""

from __future__ import annotations

import itertools
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.cli import main
from digitpad.core import Point, Sample, SampleError, SampleStore, Stroke, samples_dir
from digitpad.core.personal import FineTuneError, fine_tune
from digitpad.core.preprocessing import (
    MAX_DRAWING_POINTS,
    check_strokes,
    pressure_width,
    rasterise_strokes,
    render_for_model,
    smooth_polyline,
    surviving_ink_points,
)
from tests.hardening.tmpfs import mounted_tmpfs, needs_mounts

SEVEN = (Stroke((Point(20, 20), Point(80, 20), Point(45, 110)), 10.0),)


def _picture() -> np.ndarray:
    picture = np.full((120, 100), 255, np.uint8)
    picture[20:110, 40:50] = 0
    return picture


def _drawing(store: SampleStore, label: int = 7) -> Sample:
    return store.add_drawing(label, SEVEN, _picture())


def _sample_files(store: SampleStore, label: int, sample_id: str) -> tuple[Path, Path]:
    folder = store.root / str(label)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{sample_id}.png", folder / f"{sample_id}.json"


def _finishes(work: Callable[[], object], pipes: list[Path]) -> object:
    """``work()``'s result; fails (and frees the reader) if it blocks on a pipe."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(30)
    if thread.is_alive():  # blocked opening a pipe: a writer end lets it go
        for pipe in pipes:
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading the store blocked on a named pipe")
    return result[0]


@pytest.fixture
def store(tmp_path) -> SampleStore:
    return SampleStore(tmp_path / "samples")


# ----- named pipes --------------------------------------------------------------------------
def test_pipes_named_like_a_picture_or_strokes_are_skipped_not_waited_on(store, tmp_path):
    kept = _drawing(store)
    pipe_picture, _ = _sample_files(store, 4, "20260101T000000000000-aaaaaa")
    os.mkfifo(pipe_picture)
    picture, pipe_strokes = _sample_files(store, 5, "20260101T000000000001-bbbbbb")
    Image.fromarray(_picture()).save(picture)
    os.mkfifo(pipe_strokes)

    samples = _finishes(store.samples, [pipe_picture, pipe_strokes])

    assert samples == [kept]
    assert sorted(store.problems) == sorted(
        [
            f"{pipe_picture}: is a named pipe, not a file, skipped",
            f"{pipe_strokes}: is a named pipe, not a file, skipped",
        ]
    )
    out = tmp_path / "out.npz"
    written = _finishes(lambda: store.export("npz", out), [pipe_picture, pipe_strokes])
    assert written == [out]
    with np.load(out) as archive:
        assert archive["labels"].tolist() == [7]


def test_the_command_line_lists_past_a_pipe(capsys):
    store = SampleStore()
    _drawing(store, 3)
    pipe, _ = _sample_files(store, 3, "20260101T000000000000-cccccc")
    os.mkfifo(pipe)

    code = _finishes(lambda: main(["samples", "list"]), [pipe])

    assert code == 0
    captured = capsys.readouterr()
    assert captured.err == f"digitpad: {pipe}: is a named pipe, not a file, skipped\n"
    assert captured.out.splitlines()[1].split()[-1] == "1"


# ----- hostile strokes files --------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '{"format_version": 1, "label": 3, "strokes": ' + "[" * 50000 + "]" * 50000 + "}",
            "it nests 50001 levels deep (limit 32)",
        ),
        (
            '{"format_version": 1, "label": ' + "3" * 400 + ', "strokes": []}',
            "it is not valid JSON (a 400-digit number is out of range",
        ),
        (
            '{"format_version": 1, "label": 3, "strokes": [{"width": 8, "points": [[NaN, 1, 1]]}]}',
            "it is not valid JSON (NaN is not a number digitpad accepts",
        ),
    ],
    ids=["deep", "400-digit", "nan"],
)
def test_a_hostile_strokes_file_is_skipped_with_one_line(store, capsys, monkeypatch, text, reason):
    monkeypatch.setattr(SampleStore, "__init__", _rooted(store.root))
    kept = _drawing(store, 3)
    picture, strokes = _sample_files(store, 3, "20260101T000000000000-dddddd")
    Image.fromarray(_picture()).save(picture)
    strokes.write_text(text)

    assert main(["samples", "list"]) == 0
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"digitpad: {strokes}: {reason}")
    assert store.samples() == [kept]


def _rooted(root: Path) -> Callable[[SampleStore, Path | None], None]:
    original = SampleStore.__init__

    def init(self: SampleStore, _: Path | None = None) -> None:
        original(self, root)

    return init


def _write_strokes(store: SampleStore, sample_id: str, strokes: list[dict]) -> Path:
    picture, path = _sample_files(store, 3, sample_id)
    Image.fromarray(_picture()).save(picture)
    path.write_text(json.dumps({"format_version": 1, "label": 3, "strokes": strokes}))
    return path


INK = {"width": 8, "erase": False, "points": [[10, 10, 1], [40, 50, 1], [15, 90, 1]]}


@pytest.mark.parametrize(
    ("strokes", "reason"),
    [
        (
            [INK, {"width": 1e7, "erase": True, "points": [[6e6, 0, 1]]}],
            "stroke width 1e+07 is not between 0 and 1000",
        ),
        (
            [{"width": 8, "points": [[1e308, 1, 1], [2, 3, 1]]}],
            "point (1e+308, 1) is outside the drawing area (limit 1e+06)",
        ),
        (
            [{"width": 8, "points": [[1, 1, 1]] * 10_001}],
            "a stroke of 10001 points is too long (limit 10000)",
        ),
        (
            [{"width": 8, "points": [[i % 50, i % 7, 1] for i in range(10_000)]}] * 3,
            f"the drawing has more than {MAX_DRAWING_POINTS} points",
        ),
        (
            [
                {"width": 8, "points": [[i % 50, i % 7, 1] for i in range(5000)]},
                {"width": 8, "erase": True, "points": [[i % 50, 20, 1] for i in range(5000)]},
            ],
            "its erasers cross too many points to be drawn in time",
        ),
        (
            [{"width": "8", "points": [[1, 1, 1]]}],
            "a stroke's width is not a number or its erase not true/false",
        ),
        ([{"width": 8, "points": [[True, 1, 1]]}], "a point is not [x, y, pressure]"),
    ],
    ids=["wide-far-eraser", "1e308", "long-stroke", "many-points", "eraser-work", "text", "bool"],
)
def test_strokes_out_of_bounds_are_skipped_with_the_reason(store, strokes, reason):
    path = _write_strokes(store, "20260101T000000000000-eeeeee", strokes)

    assert store.samples() == []
    assert store.problems == (f"{path.with_suffix('.png')}: {reason}, skipped",)


def test_a_strokes_file_has_a_size_cap(store):
    path = _write_strokes(store, "20260101T000000000000-ffffff", [INK])
    path.write_text(path.read_text() + " " * (3 * 1024 * 1024))

    assert store.samples() == []
    assert store.problems == (f"{path}: 3.0 MB is too large (limit 2.0 MB), skipped",)


def test_drawings_beyond_the_bounds_are_not_kept(store):
    far = (Stroke((Point(0, 0), Point(2e6, 5)), 8.0),)
    with pytest.raises(SampleError, match="outside the drawing area"):
        store.add_drawing(3, far, _picture())
    assert not store.root.exists()


# ----- NaN strokes and bad samples in a batch -------------------------------------------------
NAN_SAMPLE = Sample(
    "20260101T000000000000-abcdef",
    3,
    Path("nowhere.png"),
    (Stroke((Point(float("nan"), 1.0), Point(5.0, float("inf"))), 8.0),),
    datetime(2026, 1, 1, tzinfo=UTC),
)


def test_a_nan_drawing_is_refused_as_a_sample_error():
    with pytest.raises(SampleError, match="is outside the drawing area"):
        SampleStore.model_input(NAN_SAMPLE)


def test_fine_tune_skips_a_bad_sample_instead_of_failing(store):
    good = [_drawing(store, label) for label in range(9)]
    with pytest.raises(FineTuneError, match="there are 9"):
        fine_tune([*good, NAN_SAMPLE], models_dir=store.root.parent / "models")


# ----- the rasteriser's cost is the canvas's -----------------------------------------------------
def test_a_far_away_eraser_millions_of_pixels_wide_changes_nothing():
    ink = Stroke((Point(10, 10), Point(50, 80), Point(20, 100)), 8.0)
    far = Stroke((Point(6e6, 0.0),), 1e7, erase=True)  # 62 s inside Pillow before

    np.testing.assert_array_equal(render_for_model([ink, far]), render_for_model([ink]))


def test_an_eraser_far_larger_than_the_picture_rubs_out_exactly_what_it_covers():
    band = Stroke((Point(-10, 20), Point(50, 20)), 60.0)  # ink over the whole picture
    # A dot 200,000 px wide whose edge runs across the picture at y = 20.
    huge = Stroke((Point(20, 20 - 1e5),), 2e5, erase=True)

    bitmap = rasterise_strokes([band, huge], (40, 40))

    assert bitmap[:19].max() == 0, "above the edge: rubbed out"
    assert bitmap[21:].min() == 255, "below it: ink"


def test_nan_pressure_draws_as_full_pressure():
    points = (Point(10, 10, float("nan")), Point(50, 80, float("nan")))
    full = (Point(10, 10, 1.0), Point(50, 80, 1.0))

    np.testing.assert_array_equal(
        render_for_model([Stroke(points, 8.0)]), render_for_model([Stroke(full, 8.0)])
    )


def test_points_that_are_not_numbers_are_left_out_of_the_picture():
    good = (Point(10, 10), Point(50, 80))
    bad = Stroke((Point(float("nan"), 3.0), Point(float("inf"), 1e308)), 8.0, erase=True)

    np.testing.assert_array_equal(
        render_for_model([Stroke(good, 8.0), bad]), render_for_model([Stroke(good, 8.0)])
    )


def _erased_by_brute_force(points: np.ndarray, eraser: Stroke) -> np.ndarray:
    path = smooth_polyline(eraser.points)
    radius = pressure_width(eraser.width, max(p.pressure for p in eraser.points)) / 2.0
    erased = np.zeros(len(points), bool)
    for a, b in itertools.pairwise(path):
        v = b - a
        t = np.clip(((points - a) @ v) / max(v @ v, 1e-12), 0.0, 1.0)
        erased |= np.hypot(*(points - (a + t[:, None] * v)).T) <= radius
    return erased


@pytest.mark.parametrize("seed", range(5))
def test_the_eraser_test_in_blocks_matches_every_pair_checked(seed):
    rng = np.random.default_rng(seed)
    ink = Stroke(tuple(Point(*xy) for xy in rng.uniform(0, 100, (3000, 2))), 4.0)
    eraser = Stroke(tuple(Point(*xy) for xy in rng.uniform(0, 100, (600, 2))), 1.5, erase=True)
    points = np.array([(p.x, p.y) for p in ink.points])

    expected = points[~_erased_by_brute_force(points, eraser)]

    np.testing.assert_array_equal(surviving_ink_points([ink, eraser]), expected)


def test_the_issues_eraser_bomb_is_refused_before_it_is_drawn():
    rng = np.random.default_rng(0)
    ink = Stroke(tuple(Point(*xy) for xy in rng.uniform(0, 200, (20_000, 2))), 10.0)
    eraser = Stroke(tuple(Point(*xy) for xy in rng.uniform(0, 200, (20_000, 2))), 1.0, True)
    with pytest.raises(ValueError, match="a stroke of 20000 points is too long"):
        check_strokes([ink, eraser])


# ----- the store's own housekeeping ----------------------------------------------------------
def test_a_killed_writes_stale_temporary_files_are_cleaned(store):
    _drawing(store)
    folder = store.root / "7"
    stale, fresh = folder / ".tmp-dead.png", folder / ".tmp-writing.png"
    stale.write_bytes(b"half a picture")
    fresh.write_bytes(b"being written")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))

    assert len(store.samples()) == 1

    assert not stale.exists()
    assert fresh.exists(), "a write in progress elsewhere is left alone"
    assert store.problems == ()


def test_clear_never_follows_a_linked_label_folder(store, tmp_path):
    kept = _drawing(store, 7)
    elsewhere = tmp_path / "precious"
    elsewhere.mkdir()
    victim = elsewhere / "20260101T000000000000-999999.png"
    Image.fromarray(_picture()).save(victim)
    (store.root / "3").symlink_to(elsewhere, target_is_directory=True)

    assert store.clear() == 1

    assert victim.exists()
    assert store.problems == (f"{store.root / '3'}: a link, not a folder of the store, skipped",)
    assert not kept.image.exists()
    with pytest.raises(SampleError):
        store.remove(victim.stem)
    assert victim.exists()


# ----- export ------------------------------------------------------------------------------------
def test_export_refuses_to_replace_a_pipe_or_a_device(store, tmp_path):
    _drawing(store)
    pipe = tmp_path / "pipe.npz"
    os.mkfifo(pipe)

    with pytest.raises(SampleError, match="is not a regular file; it was not replaced"):
        store.export("npz", pipe)
    with pytest.raises(SampleError, match="is not a regular file; it was not replaced"):
        store.export("npz", "/dev/null")

    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_keeps_a_replaced_files_mode_and_gives_new_ones_the_umasks(store, tmp_path):
    _drawing(store)
    old = tmp_path / "old.npz"
    old.write_bytes(b"an older export")
    old.chmod(0o640)
    umask = os.umask(0o022)
    try:
        store.export("npz", old)
        store.export("npz", tmp_path / "new.npz")
        written = store.export("idx", tmp_path / "idx")
    finally:
        os.umask(umask)

    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "new.npz").stat().st_mode) == 0o644
    assert {stat.S_IMODE(path.stat().st_mode) for path in written} == {0o644}
    with np.load(old) as archive:
        assert archive["labels"].tolist() == [7]


def test_npz_export_writes_the_name_given(store, tmp_path):
    _drawing(store)
    out = tmp_path / "mine"  # numpy's savez would write "mine.npz"

    assert store.export("npz", out) == [out]

    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "samples"]
    with np.load(out) as archive:
        assert archive["labels"].tolist() == [7]


# ----- a real full disk ---------------------------------------------------------------------------
@pytest.fixture
def full_disk(tmp_path) -> Iterator[Path]:
    """A 200 KB tmpfs, filled but for a few KB."""
    with mounted_tmpfs(tmp_path / "full", "200k") as disk:
        (disk / "filler").write_bytes(b"\0" * (196 * 1024))
        yield disk


@needs_mounts
def test_samples_add_on_a_full_disk_says_so_for_each_file(full_disk, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(full_disk))
    three = samples_dir() / "digit-3.png"
    picture = tmp_path / "big.png"  # the same three, too big for the space left
    pixels = np.asarray(Image.open(three).convert("L").resize((400, 400)), np.int16)
    pixels -= np.random.default_rng(0).integers(0, 12, pixels.shape)  # paper grain
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(picture)

    assert main(["samples", "add", "--label", "3", str(picture), str(three)]) == 1

    lines = capsys.readouterr().out.splitlines()
    folder = SampleStore().root / "3"
    assert lines[0] == f"error: could not write the sample in {folder}: No space left on device"
    assert len(lines) == 2  # the small one is tried too, and may still fit
    left = sorted(p.name for p in folder.iterdir())
    assert left == (
        [] if lines[1].startswith("error: ") else [f"{lines[1].split('(')[-1][:-1]}.png"]
    )
