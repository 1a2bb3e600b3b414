"""The sample store: real drawings (strokes) and real pictures, on disk, read back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.core import (
    Point,
    Recognizer,
    Stroke,
    rasterise_strokes,
    samples_dir,
    user_data_dir,
)
from digitpad.core.files import atomic_write_bytes, atomic_write_with
from digitpad.core.personal import IDX_IMAGES, IDX_LABELS, SampleError, SampleStore
from training.data import IMAGES_MAGIC, LABELS_MAGIC, read_idx

SEVEN = (
    Stroke(tuple(Point(60 + 16 * i, 60) for i in range(11)), 18.0),
    Stroke(tuple(Point(220 - 9 * i, 60 + 18 * i) for i in range(11)), 18.0),
)


def _canvas(strokes: tuple[Stroke, ...]) -> np.ndarray:
    ink = rasterise_strokes(strokes, (280, 280))
    return np.dstack([255 - ink] * 3 + [np.full_like(ink, 255)])  # RGBA, dark on white


@pytest.fixture
def store(tmp_path: Path) -> SampleStore:
    return SampleStore(tmp_path / "samples")


def test_default_store_lives_in_the_user_data_folder():
    assert SampleStore().root == user_data_dir() / "samples"
    assert str(user_data_dir()).startswith(os.environ["XDG_DATA_HOME"])  # the sandbox


def test_drawings_and_pictures_are_kept_listed_and_counted(store):
    drawing = store.add_drawing(7, SEVEN, _canvas(SEVEN))
    picture = store.add_picture(3, samples_dir() / "digit-3.png")
    assert drawing.image == store.root / "7" / f"{drawing.id}.png"
    assert (store.root / "7" / f"{drawing.id}.json").is_file()
    assert picture.strokes is None
    assert not picture.image.with_suffix(".json").exists()
    listed = store.samples()
    assert [s.id for s in listed] == [drawing.id, picture.id]  # ids sort by time
    assert listed[0] == drawing
    assert listed[1] == picture
    assert listed[0].created <= listed[1].created
    assert store.counts() == {d: int(d in (3, 7)) for d in range(10)}
    assert store.problems == ()


def test_a_drawing_is_read_from_its_strokes_like_the_window_reads_it(store):
    sample = store.add_drawing(7, SEVEN, _canvas(SEVEN))
    expected = Recognizer([]).predict_strokes(SEVEN).model_input
    np.testing.assert_array_equal(store.model_input(store.samples()[0]), expected)
    assert store.model_input(sample).shape == (28, 28)


def test_a_picture_is_read_like_any_image(store, recognizer):
    sample = store.add_picture(3, samples_dir() / "digit-3-photo.jpg")
    prediction = recognizer.predict(Image.open(sample.image))
    np.testing.assert_array_equal(store.model_input(sample), prediction.model_input)
    assert all(answer.digit == 3 for answer in prediction.answers.values())


@pytest.mark.parametrize("label", [-1, 10, 3.0, True, "3"])
def test_a_label_must_be_a_digit(store, label):
    with pytest.raises(SampleError, match="not a digit"):
        store.add_drawing(label, SEVEN, _canvas(SEVEN))
    assert store.samples() == []


def test_bad_pictures_are_refused_with_a_reason(store, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (50, 50), 255).save(blank)
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    with pytest.raises(SampleError, match="nothing drawn"):
        store.add_picture(1, blank)
    with pytest.raises(SampleError, match=r"notes\.png"):
        store.add_picture(1, text)
    with pytest.raises(SampleError, match="no ink"):
        store.add_drawing(1, (), np.zeros((10, 10), np.uint8))
    assert store.samples() == []


def test_remove_deletes_picture_and_strokes(store):
    sample = store.add_drawing(7, SEVEN, _canvas(SEVEN))
    kept = store.add_picture(3, samples_dir() / "digit-3.png")
    store.remove(sample.id)
    assert store.samples() == [kept]
    assert list((store.root / "7").iterdir()) == []
    with pytest.raises(SampleError, match="no sample"):
        store.remove(sample.id)
    with pytest.raises(SampleError, match="no sample"):
        store.remove("../3/*")
    assert store.clear() == 1
    assert store.samples() == []


def test_damaged_files_are_skipped_with_a_reason(store):
    good = store.add_drawing(7, SEVEN, _canvas(SEVEN))
    bad_strokes = store.add_drawing(7, SEVEN, _canvas(SEVEN))
    bad_strokes.image.with_suffix(".json").write_text("{not json")
    relabelled = store.add_drawing(7, SEVEN, _canvas(SEVEN))
    document = json.loads(relabelled.image.with_suffix(".json").read_text())
    relabelled.image.with_suffix(".json").write_text(json.dumps({**document, "label": 1}))
    (store.root / "7" / "20260101T000000000000-aaaaaa.png").write_bytes(b"truncated")
    (store.root / "7" / "20260101T000000000001-bbbbbb.json").write_text("{}")
    (store.root / "7" / ".tmp-k2j4h1.png").write_bytes(b"\x89PNG half")  # a write cut short
    (store.root / "5").mkdir()
    (store.root / "5" / "notes.txt").write_text("hello")
    assert store.samples() == [good]
    problems = "\n".join(store.problems)
    assert len(store.problems) == 5
    for reason in ("Expecting", "label 1", "not a PNG", "without"):
        assert reason in problems
    assert "notes.txt: not a sample file" in problems


def test_a_picture_that_stopped_decoding_is_skipped_on_export(store, tmp_path):
    good = store.add_picture(3, samples_dir() / "digit-3.png")
    broken = store.add_picture(4, samples_dir() / "digit-4.png")
    broken.image.write_bytes(broken.image.read_bytes()[:60])  # PNG signature, then junk
    written = store.export("npz", tmp_path / "out.npz")
    with np.load(written[0]) as archive:
        assert list(archive["ids"]) == [good.id]
    assert any(broken.id in problem for problem in store.problems)


def test_export_formats_read_back(store, tmp_path):
    samples = [
        store.add_drawing(7, SEVEN, _canvas(SEVEN)),
        store.add_picture(3, samples_dir() / "digit-3.png"),
        store.add_picture(4, samples_dir() / "digit-4.png"),
    ]
    inputs = np.stack([np.rint(store.model_input(s)).astype(np.uint8) for s in samples])
    labels = [s.label for s in samples]

    idx = store.export("idx", tmp_path / "idx")
    assert idx == [tmp_path / "idx" / IDX_IMAGES, tmp_path / "idx" / IDX_LABELS]
    np.testing.assert_array_equal(read_idx(idx[0], IMAGES_MAGIC, (28, 28)), inputs)
    assert read_idx(idx[1], LABELS_MAGIC, ()).tolist() == labels

    (npz,) = store.export("npz", tmp_path / "samples.npz")
    with np.load(npz, allow_pickle=False) as archive:
        np.testing.assert_array_equal(archive["images"], inputs)
        assert archive["labels"].tolist() == labels
        assert archive["ids"].tolist() == [s.id for s in samples]

    folder = store.export("folder", tmp_path / "pngs")
    assert folder == [tmp_path / "pngs" / str(s.label) / f"{s.id}.png" for s in samples]
    for path, expected in zip(folder, inputs, strict=True):
        np.testing.assert_array_equal(np.asarray(Image.open(path)), expected)


def test_exporting_nothing_or_to_a_file_is_refused(store, tmp_path):
    with pytest.raises(SampleError, match="no samples"):
        store.export("idx", tmp_path / "idx")
    store.add_picture(3, samples_dir() / "digit-3.png")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SampleError, match="not a folder"):
        store.export("folder", tmp_path / "file")
    with pytest.raises(SampleError, match="unknown export format"):
        store.export("csv", tmp_path / "x")  # type: ignore[arg-type]


def test_an_interrupted_write_leaves_the_old_file_and_no_debris(tmp_path):
    target = tmp_path / "model.onnx"
    atomic_write_bytes(target, b"old model")

    def crash_halfway(stream):
        stream.write(b"new mod")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write_with(target, crash_halfway)
    assert target.read_bytes() == b"old model"
    assert os.listdir(tmp_path) == ["model.onnx"]


def test_a_sample_whose_picture_write_fails_leaves_nothing(store, monkeypatch):
    original = os.replace
    calls = []

    def fail_second(source, destination):
        calls.append(destination)
        if len(calls) == 2:  # the PNG, after the strokes JSON
            raise OSError("power cut")
        original(source, destination)

    monkeypatch.setattr(os, "replace", fail_second)
    with pytest.raises(SampleError, match=r"could not write the sample in .*: power cut"):
        store.add_drawing(7, SEVEN, _canvas(SEVEN))
    monkeypatch.setattr(os, "replace", original)
    assert store.samples() == []
    assert store.problems == ()  # the strokes written first were taken back
