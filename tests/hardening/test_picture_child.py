"""Big pictures Pillow can only decode whole are decoded in a child process.

The child must read every file exactly as the in-process path does (same mode, size,
palette, transparency and pixels), and a child that dies, runs out of memory, hangs or
answers nonsense must end in one ``ImageLoadError`` line, never a hang or a traceback.
Most cases lower the threshold so that small files (fast to write and decode) take the
child's path; one real 17-megapixel PNG takes it with the shipped threshold.
"""

from __future__ import annotations

import io
import json
import pickle
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from digitpad.core import (
    ImageLoadError,
    load_image,
    load_image_stream,
    preprocess_bitmap,
    read_number,
)
from digitpad.core.files import (
    CHILD_DECODE_ABOVE_PIXELS,
    MAX_SIDE,
    ChildLimits,
    PictureChildError,
    _image_io,
    _picture_child,
)
from digitpad.ui.main_window import MainWindow
from digitpad.ui.settings import AppSettings
from digitpad.ui.settings_file import SettingsFile

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")


def _seven(size: tuple[int, int]) -> Image.Image:
    """A dark 7 on white paper, greyscale."""
    width, height = size
    image = Image.new("L", size, 250)
    ImageDraw.Draw(image).line(
        [
            (width * 0.25, height * 0.15),
            (width * 0.75, height * 0.15),
            (width * 0.4, height * 0.85),
        ],
        fill=10,
        width=max(3, width // 15),
    )
    return image


def _in_process(path: Path) -> Image.Image:
    with mock.patch.object(_image_io, "CHILD_DECODE_ABOVE_PIXELS", _image_io.MAX_PIXELS):
        return load_image(path)


def _assert_same_picture(got: Image.Image, expected: Image.Image) -> None:
    assert (got.mode, got.size) == (expected.mode, expected.size)
    assert got.info.get("transparency") == expected.info.get("transparency")
    assert got.getpalette() == expected.getpalette()
    np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))


def _through_the_child(path: Path) -> Image.Image:
    """load_image(path) with a spy that asserts the child decoded it."""
    with mock.patch.object(
        _image_io, "decode_in_child", wraps=_picture_child.decode_in_child
    ) as spy:
        picture = load_image(path)
    assert spy.call_count == 1
    return picture


def test_a_big_png_opens_through_the_child_as_in_process(tmp_path):
    """17 MP (above the shipped threshold): reduced in the child, identical pixels."""
    path = tmp_path / "big.png"
    size = (4800, 3600)
    assert size[0] * size[1] > CHILD_DECODE_ABOVE_PIXELS
    _seven(size).convert("RGB").save(path, compress_level=1)
    picture = _through_the_child(path)
    assert max(picture.size) == MAX_SIDE
    _assert_same_picture(picture, _in_process(path))
    assert preprocess_bitmap(picture) is not None


def _with_transparency(image: Image.Image, value: object) -> Image.Image:
    image.info["transparency"] = value
    return image


def _rgba(size: tuple[int, int]) -> Image.Image:
    picture = _seven(size).convert("RGBA")
    picture.putalpha(_seven(size).point(lambda v: 255 - v))  # ink opaque, paper clear
    return picture


def _beige(size: tuple[int, int]) -> Image.Image:
    """Dark blue ink on beige paper (a colour palette; grey GIFs open as "L")."""
    return ImageOps.colorize(_seven(size), black=(20, 20, 90), white=(250, 240, 220))


def _palette_with_alpha_table(size: tuple[int, int]) -> Image.Image:
    picture = _seven(size).convert("RGB").quantize(8)
    return _with_transparency(picture, bytes([0, 128] + [255] * 6))


PICTURES = {
    "rgba.png": _rgba,
    "grey-with-key.png": lambda size: _with_transparency(_seven(size), 250),
    "palette-with-alpha.png": _palette_with_alpha_table,
    "bilevel.png": lambda size: _seven(size).convert("1"),
    "16-bit.png": lambda size: Image.fromarray(np.asarray(_seven(size)).astype(np.uint16) * 257),
    "cmyk.tiff": lambda size: _seven(size).convert("CMYK"),
    "rgb.bmp": lambda size: _seven(size).convert("RGB"),
    "palette-with-key.gif": lambda size: _with_transparency(_beige(size).quantize(16), 0),
    "lossless.webp": _rgba,
}


@pytest.mark.parametrize("name", PICTURES)
def test_every_kind_of_picture_comes_back_the_same(tmp_path, monkeypatch, name):
    path = tmp_path / name
    PICTURES[name]((1500, 1000)).save(path, **({"lossless": True} if ".webp" in name else {}))
    monkeypatch.setattr(_image_io, "CHILD_DECODE_ABOVE_PIXELS", 1_000_000)
    _assert_same_picture(_through_the_child(path), _in_process(path))


def test_an_upright_photo_is_turned_in_the_child(tmp_path, monkeypatch):
    path = tmp_path / "rotated.png"
    picture = _seven((1500, 1000)).convert("RGB")
    exif = picture.getexif()
    exif[0x0112] = 6  # the camera was turned: show it rotated by 90 degrees
    picture.save(path, exif=exif)
    monkeypatch.setattr(_image_io, "CHILD_DECODE_ABOVE_PIXELS", 1_000_000)
    upright = _through_the_child(path)
    assert upright.size == (683, 1024)
    _assert_same_picture(upright, _in_process(path))


def test_a_stream_goes_to_the_child_through_a_pipe(tmp_path, monkeypatch):
    path = tmp_path / "seven.png"
    _seven((1500, 1000)).save(path)
    monkeypatch.setattr(_image_io, "CHILD_DECODE_ABOVE_PIXELS", 1_000_000)
    with mock.patch.object(
        _image_io, "decode_in_child", wraps=_picture_child.decode_in_child
    ) as spy:
        picture = load_image_stream(io.BytesIO(path.read_bytes()))
    assert spy.call_count == 1
    _assert_same_picture(picture, _in_process(path))


def test_the_childs_refusal_is_the_files_reason(tmp_path, monkeypatch):
    """A PNG whose header promises 1.5 MP but whose data is cut short."""
    path = tmp_path / "cut.png"
    _seven((1500, 1000)).save(path)
    path.write_bytes(path.read_bytes()[:2000])
    monkeypatch.setattr(_image_io, "CHILD_DECODE_ABOVE_PIXELS", 1_000_000)
    with pytest.raises(ImageLoadError) as caught:
        _through_the_child(path)
    with pytest.raises(ImageLoadError) as in_process:
        _in_process(path)
    assert caught.value.reason == in_process.value.reason
    assert "damaged" in caught.value.reason


def _refusal_within(path: Path, seconds: float) -> ImageLoadError:
    started = time.monotonic()
    with pytest.raises(ImageLoadError) as caught:
        load_image(path)
    assert time.monotonic() - started < seconds
    message = str(caught.value)
    assert "\n" not in message
    assert message.count(str(path)) == 1
    return caught.value


@pytest.fixture
def big_png(tmp_path, monkeypatch) -> Path:
    """A 4 MP PNG that goes to the child (threshold lowered); decodes fine in process."""
    path = tmp_path / "seven.png"
    _seven((2500, 1600)).convert("RGB").save(path, compress_level=1)
    monkeypatch.setattr(_image_io, "CHILD_DECODE_ABOVE_PIXELS", 1_000_000)
    assert _in_process(path).size == (MAX_SIDE, 655)
    return path


@posix_only
def test_a_child_out_of_memory_is_a_one_line_error(big_png, monkeypatch):
    # Less address space than the interpreter and its libraries already hold: the
    # 16 MB the decoded picture needs cannot be had.
    monkeypatch.setattr(_picture_child, "DEFAULT_LIMITS", ChildLimits(memory_mb=120))
    error = _refusal_within(big_png, 30)
    assert "too large to open safely" in error.reason or "decoder" in error.reason


def _fake_child(code: str):
    """A child_command replacement running ``code`` instead of the real decoder."""
    return lambda limits, max_side: [sys.executable, "-c", code]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "crashed on this file"),
        ("import sys; sys.exit(3)", "failed on this file (exit status 3)"),
        ("print('hello')", "something unexpected"),
        ("import sys; sys.stdout.buffer.write(bytes(6_000_000))", "more than a picture"),
    ],
    ids=["killed", "exit-status", "garbage", "flood"],
)
def test_a_child_that_dies_or_babbles_is_a_one_line_error(big_png, monkeypatch, code, reason):
    monkeypatch.setattr(_picture_child, "child_command", _fake_child(code))
    assert reason in _refusal_within(big_png, 30).reason


def test_a_child_that_dies_before_reading_a_stream(big_png, monkeypatch):
    """The pipe breaks while the picture is written to it: the exit status is the news."""
    monkeypatch.setattr(_picture_child, "child_command", _fake_child("import os; os._exit(4)"))
    with pytest.raises(ImageLoadError, match=r"exit status 4\)$"):
        load_image_stream(io.BytesIO(big_png.read_bytes()))


def test_the_callers_python_settings_do_not_reach_the_child(big_png, monkeypatch):
    """PYTHONINSPECT would leave the child at a prompt reading the picture as code."""
    monkeypatch.setenv("PYTHONINSPECT", "1")
    monkeypatch.setenv("PYTHONSTARTUP", str(big_png))
    _assert_same_picture(_through_the_child(big_png), _in_process(big_png))


def test_a_child_that_hangs_is_stopped(big_png, monkeypatch):
    monkeypatch.setattr(_picture_child, "child_command", _fake_child("import time; time.sleep(60)"))
    monkeypatch.setattr(_picture_child, "DEFAULT_LIMITS", ChildLimits(timeout_seconds=1.0))
    assert "took longer than 1 s" in _refusal_within(big_png, 10).reason


def _reply(header: object, payload: bytes = b"") -> bytes:
    return b"digitpad-picture 1\n" + json.dumps(header).encode() + b"\n" + payload


class _Detonator:
    """Unpickling this would create a file: it must never happen."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize(
    "reply",
    [
        _reply({"mode": "RGB", "width": 2, "height": 2}, b"\0" * 11),  # one byte short
        _reply({"mode": "RGB", "width": 2, "height": 2}, b"\0" * 13),  # one byte over
        _reply({"mode": "XYZ", "width": 2, "height": 2}, b"\0" * 12),
        _reply({"mode": "L", "width": 2000, "height": 1}, b"\0" * 2000),  # over max_side
        _reply({"mode": "L", "width": 1, "height": 1, "transparency": {"int": "x"}}, b"\0"),
        _reply({"mode": "L", "width": 1, "height": 1, "palette_mode": "RGB"}, b"\0"),
        _reply([1, 2, 3]),
        _reply({"error": 7}),
        b"digitpad-picture 1\n" + b"{" * 5000,
    ],
    ids=[
        "short",
        "long",
        "mode",
        "too-big",
        "transparency",
        "palette-on-grey",
        "not-an-object",
        "error-not-text",
        "header-too-long",
    ],
)
def test_replies_that_do_not_describe_a_picture_are_refused(reply):
    with pytest.raises(PictureChildError, match="something unexpected"):
        _picture_child._picture_from_reply(reply, MAX_SIDE)


def test_a_pickled_reply_is_never_unpickled(tmp_path):
    marker = tmp_path / "unpickled"
    with pytest.raises(PictureChildError, match="something unexpected"):
        _picture_child._picture_from_reply(pickle.dumps(_Detonator(marker)), MAX_SIDE)
    with pytest.raises(PictureChildError, match="something unexpected"):
        _picture_child._picture_from_reply(
            b"digitpad-picture 1\n" + pickle.dumps(_Detonator(marker)), MAX_SIDE
        )
    assert not marker.exists()


def test_the_childs_reason_is_kept_to_one_printable_line():
    with pytest.raises(PictureChildError) as caught:
        _picture_child._picture_from_reply(_reply({"error": "bad\ndata\x1b[2J" + "x" * 999}), 64)
    reason = str(caught.value)
    assert reason.startswith("bad data [2J")
    assert reason.isprintable()
    assert len(reason) <= 300


ENTRY_POINT = Path(__file__).resolve().parents[2] / "packaging" / "digitpad_main.py"


@posix_only
def test_a_frozen_app_decodes_through_its_own_entry_point(big_png, tmp_path, monkeypatch):
    """In a bundle sys.executable is the app: the child is the app with CHILD_ARGUMENT.

    A launcher standing in for the bundle binary runs the bundle's entry script with its
    arguments, as PyInstaller's bootloader does; tests/packaging runs the real bundle.
    """
    launcher = tmp_path / "digitpad"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{ENTRY_POINT}" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(launcher))
    assert _picture_child.child_command(ChildLimits(), MAX_SIDE)[:2] == [
        str(launcher),
        _picture_child.CHILD_ARGUMENT,
    ]
    picture = _through_the_child(big_png)
    monkeypatch.undo()
    _assert_same_picture(picture, _in_process(big_png))


def test_the_window_opens_a_big_png_through_the_child(qtbot, recognizer, big_png, tmp_path):
    """Off the GUI thread, through the child, and read as the core reads it in process."""
    settings = AppSettings(SettingsFile(tmp_path / "settings.json"))
    window = MainWindow(recognizer, settings)
    qtbot.addWidget(window)
    window.show()
    with (
        mock.patch.object(
            _image_io, "decode_in_child", wraps=_picture_child.decode_in_child
        ) as spy,
        qtbot.waitSignal(window.picture_loader.loaded, timeout=30000),
    ):
        window.open_image_file_in_background(big_png)
    assert spy.call_count == 1
    assert window.canvas.content.background.width() == MAX_SIDE
    # The one reading of a picture (window, predict, predict --number): its lone digit's.
    lone = read_number(recognizer, _in_process(big_png)).lone_digit()
    assert lone is not None
    expected = lone.answers
    for name, answer in window.prediction().answers.items():
        assert answer.digit == expected[name].digit == 7
        np.testing.assert_allclose(answer.probabilities, expected[name].probabilities, atol=1e-6)
