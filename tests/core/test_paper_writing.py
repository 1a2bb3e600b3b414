"""Finding the writing on photos of paper: the light evened out, lines and the desk
dropped, the strokes kept; clean pictures read exactly as before."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core import preprocess_bitmap, read_number
from digitpad.core.preprocessing import (
    StrokeLayer,
    grow_mask,
    ink_map,
    label_parts,
    looks_clean,
    paper_writing,
)
from tests.shared_data import mnist_dir, pendigits, pendigits_dir
from training.paper_photos import make_photo
from training.pendigits import split_by_writer


def _luminance(image: np.ndarray) -> np.ndarray:
    """Pillow's 8-bit luminance of an RGB array."""
    weights = np.array([0.299, 0.587, 0.114], np.float32)
    return np.clip(image.astype(np.float32) @ weights + 0.5, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("kind", "seed"),
    [("plain", 0), ("ruled", 1), ("squared", 2), ("shadow", 3), ("page_edge", 4), ("scan", 5)],
)
def test_the_found_ink_is_the_writing(kind: str, seed: int) -> None:
    mnist_dir(), pendigits_dir()  # the generator draws from both: skip without ../shared
    photo = make_photo("validation", kind, seed)
    values = _luminance(photo.image)
    if kind != "scan":  # a scan may be clean enough to read as a canvas is
        assert paper_writing(values) is not None, "a photo of paper is not a clean picture"
    found = ink_map(values)
    assert found is not None
    ink = found > 0
    truth = photo.ink
    near_truth = grow_mask(grow_mask(truth))  # the camera's blur widens the strokes
    # Most of the pen's ink is found, and little of what is found is anything else
    # (lines, the shadow's edge, the desk, noise): within two pixels of a stroke.
    assert np.mean(ink[truth]) > 0.75
    assert np.mean(near_truth[ink]) > 0.8


def test_clean_pictures_keep_the_old_reading(mnist_test) -> None:
    # Every MNIST test digit and every canvas rendering of the pen digits is clean, so
    # the models see exactly what they saw before the paper reading existed.
    assert all(looks_clean(image) for image in mnist_test.images[:2000])
    layer = StrokeLayer()
    renders = [layer.render(d.canvas_strokes()) for d in split_by_writer(pendigits(), "test")]
    assert all(looks_clean(r) for r in renders if r is not None)


def test_a_ruled_scan_is_not_clean() -> None:
    page = np.full((300, 400), 245, np.uint8)
    page[40::40] = 170  # printed lines across the page
    page[100:200, 180:195] = 30  # a "1"
    assert not looks_clean(page)
    field = preprocess_bitmap(page)
    assert field is not None
    rows, cols = np.nonzero(field > 50)
    # Only the stroke is left: a tall thin "1", not the lines' width.
    assert np.ptp(rows) > 2 * np.ptp(cols)


def test_a_photo_without_writing_has_no_ink() -> None:
    rng = np.random.default_rng(3)
    y, x = np.mgrid[0:300, 0:400]
    paper = 230 - 0.2 * x - 0.1 * y + rng.normal(0, 3, (300, 400))
    paper[120:, 200:] *= 0.6  # a shadow
    assert preprocess_bitmap(np.clip(paper, 0, 255).astype(np.uint8)) is None


def test_photos_are_pure_in_their_seed() -> None:
    mnist_dir(), pendigits_dir()  # the generator draws from both: skip without ../shared
    first, again = make_photo("test", "shadow", 7, 3), make_photo("test", "shadow", 7, 3)
    assert first.labels == again.labels
    np.testing.assert_array_equal(first.image, again.image)


def _reads_only_the_pen(
    recognizer,
    kind: str,
    seed: int,
    digits: int = 1,
    frame: tuple[float, float] | None = None,
    turn: tuple[float, float] | None = None,
    on_desk: tuple[float, float] | None = None,
) -> None:
    """The validation photo ``seed`` of ``kind``: what is found lies within three
    pixels of the pen's ink, and the CNN reads the photo's digits."""
    mnist_dir(), pendigits_dir()  # the generator draws from both: skip without ../shared
    photo = make_photo("validation", kind, seed, digits, frame, turn, on_desk)
    found = ink_map(_luminance(photo.image))
    assert found is not None
    near_truth = grow_mask(grow_mask(grow_mask(photo.ink)))
    assert np.mean(near_truth[found > 0]) > 0.9
    assert np.mean(found[photo.ink] > 0) > 0.75
    assert read_number(recognizer, photo.image).number("cnn") == photo.text


@pytest.mark.parametrize("seed", [30, 34, 37, 44, 66])
def test_the_desk_beyond_the_pages_edge_is_not_writing(recognizer, seed: int) -> None:
    # Photos where the desk's grain or the page's edge was once kept as writing (read
    # as a second digit, or instead of the digit); in 44 and 66 the desk is a narrow
    # strip along the frame.
    _reads_only_the_pen(recognizer, "page_edge", seed)


@pytest.mark.parametrize("seed", [28, 89, 109])
def test_writing_on_paper_wholly_in_a_shadow_is_dark_on_light(recognizer, seed: int) -> None:
    # The whole photo is dim, as a dark board is, but its writing is darker than the
    # paper: it is read as dark ink, not as the paper around a light stroke. In 28 the
    # digit lies in a shadow's band and only scraps lie on the lit page.
    _reads_only_the_pen(recognizer, "shadow", seed)


def test_a_shadow_along_a_side_is_no_clean_picture(recognizer) -> None:
    # The lit page is flat and the shadow's band runs along the whole left side: the
    # photo was once taken for a clean picture and the shadow's edge read as a "1".
    _reads_only_the_pen(recognizer, "shadow", 77)
    # The lit page is a strip along the top a tenth of the picture deep, the digit in the
    # shadow that fills the rest: read as a clean picture, nothing was found.
    _reads_only_the_pen(recognizer, "shadow", 162)
    # A drawing's stroke along an edge leaves it a clean picture (one exact background
    # level), and so does a broad band of ink drawn there.
    canvas = np.full((280, 280), 255, np.uint8)
    canvas[:, :70] = 0
    canvas[100:180, 150:160] = 0
    assert looks_clean(canvas)


@pytest.mark.parametrize(("seed", "digits"), [(119, 1), (193, 1), (100021, 3)])
def test_a_piece_of_a_line_left_on_the_lit_page_is_no_writing(
    recognizer, seed: int, digits: int
) -> None:
    # A ruled line cut short by a shadow (or broken by the light) is missed by the line
    # search: long, level and thin, it was once kept as writing, read instead of the
    # digit or making the digit look faint beside it ("379" read "22").
    _reads_only_the_pen(recognizer, "shadow", seed, digits)


@pytest.mark.parametrize("seed", [82, 102])
def test_a_digit_crossing_a_shadows_edge_is_read_whole(recognizer, seed: int) -> None:
    # Part of the digit lies on the lit page, the rest in a shadow that reaches the
    # frame: the shadowed part is writing too, not the desk beyond a page's edge.
    _reads_only_the_pen(recognizer, "shadow", seed)


@pytest.mark.parametrize(
    ("kind", "seed", "digits"),
    [("shadow", 100006, 4), ("shadow", 100015, 5), ("plain", 100038, 4), ("page_edge", 100009, 3)],
)
def test_a_number_going_on_into_the_dim_part_is_read_whole(
    recognizer, kind: str, seed: int, digits: int
) -> None:
    # The first digits lie on the lit page, the others in a shadow or the dim corner of
    # the light: each dim digit in line with the writing is writing too (once only the
    # dim parts touching the lit writing's box were: "2766" read "66", "77721" "21").
    _reads_only_the_pen(recognizer, kind, seed, digits)


def test_paper_beside_a_deep_shadow_is_no_dark_board(recognizer) -> None:
    # A faint pencil "4" in a shadow over four fifths of the picture: dim as a board
    # and with few dark marks, it was read as chalk on a board and the lit paper's rim
    # kept as the writing; the lit paper beside the shadow is wider than chalk's strokes.
    _reads_only_the_pen(recognizer, "shadow", 68)


def test_a_faint_scrap_on_the_lit_page_gives_way_to_a_digit_in_a_shadow(recognizer) -> None:
    # A piece of a squared page's line is all that lies on the lit page; the "2" in the
    # shadow is as long and far darker: the scrap was once taken for the writing and the
    # picture read as nothing.
    _reads_only_the_pen(recognizer, "shadow", 142)


@pytest.mark.parametrize(("seed", "digits"), [(124, 1), (100015, 5), (100051, 5)])
def test_the_pages_dark_edge_is_not_writing_beside_it(recognizer, seed: int, digits: int) -> None:
    # The page's dark edge, or the desk's band along it, is taller than the writing but
    # fainter (124: it once made the "1" look like a scrap) or as dark (100015: it lay
    # within reach of "35747" and was kept beside it, read as a sixth digit). Beside a
    # number means within a digit's reach, not the number's (100051: the page's edge a
    # third of the number's length from "63597" was read as a "7" before it).
    _reads_only_the_pen(recognizer, "page_edge", seed, digits)


@pytest.mark.parametrize(
    ("kind", "seed"),
    [
        ("ruled", 50_007),
        ("squared", 50_005),
        ("ruled", 50_024),
        ("squared", 50_018),
        ("page_edge", 50_007),
    ],
)
def test_the_lines_of_a_page_photographed_crooked_are_dropped(
    recognizer, kind: str, seed: int
) -> None:
    # The page turned by 10 to 16 degrees either way, as ``training.harder_photos --turn
    # 10 16`` turns it: lines were looked for up to 8 degrees only, and were read with
    # the digit (a "0" read "101", a "7" read "8" through a squared page's lines). Then
    # a line's crossings were looked for straight above and below it, not along its
    # slant, so a steep line seemed crossed by strokes nearly everywhere and stayed (a
    # "6" read "26", another "741" through a squared page's columns). And a piece of a
    # line the search missed is thin along the page's slant, not level: on the page by
    # the desk, such pieces made a third of what was found.
    turn = (10.0, 16.0) if seed % 2 else (-16.0, -10.0)
    _reads_only_the_pen(recognizer, kind, seed, turn=turn)


def test_a_digits_long_stroke_at_a_crooked_slant_is_no_line() -> None:
    # A "2" whose base runs at 12 degrees to near the picture's side, on unevenly lit
    # paper: one such line is no ruled page turned that far (a ruled page has many
    # lines along its slant), and the base stays.
    height, width = 240, 320
    rows, cols = np.mgrid[0:height, 0:width]
    paper = np.clip(235 - 0.12 * cols - 0.05 * rows, 0, 255)
    stroke, base = Image.new("L", (width, height)), Image.new("L", (width, height))
    left, bottom, right = 140, 170, 300
    top = bottom - (right - left) * np.tan(np.radians(12))
    draw = ImageDraw.Draw(stroke)
    draw.arc((130, 40, 230, 120), 180, 20, fill=255, width=6)
    draw.line((228, 95, left, bottom), fill=255, width=6)
    draw.line((left, bottom, right, top), fill=255, width=6)
    ImageDraw.Draw(base).line((left + 10, bottom - 2, right, top), fill=255, width=4)
    values = (paper * (1 - 0.75 * np.asarray(stroke) / 255)).astype(np.uint8)
    found = paper_writing(values)
    assert found is not None
    assert np.mean(found[np.asarray(base) > 0] > 0) > 0.9


@pytest.mark.parametrize("seed", [50_002, 50_005, 50_010])
def test_a_page_lying_on_a_desk_is_read_from_its_writing(recognizer, seed: int) -> None:
    # A sticky note or a small sheet photographed from above, the desk all round it
    # (``training.harder_photos --on-desk 0.3 0.8``): the desk's tone held half the
    # picture and its border, so the photo was taken for a clean picture and the page
    # itself read as the "ink" (a "0"); on the paper path, the page's edge all round the
    # writing outdid the digit as writing in the dim part.
    mnist_dir(), pendigits_dir()  # the generator draws from both: skip without ../shared
    photo = make_photo("validation", "plain", seed, on_desk=(0.3, 0.8))
    assert not looks_clean(_luminance(photo.image))
    _reads_only_the_pen(recognizer, "plain", seed, on_desk=(0.3, 0.8))


def test_the_lines_of_a_page_on_a_desk_run_off_the_page_not_the_picture(recognizer) -> None:
    # A ruled page on a desk that shows all round it: its lines end at the page's edge,
    # short of the picture's sides, and were kept as writing (an "8" between two lines
    # read "2"). A shadow's dim side is no page's edge: only the desk along the whole
    # frame moves where the lines must reach.
    _reads_only_the_pen(recognizer, "ruled", 50_001, on_desk=(0.3, 0.8))


def test_a_drawing_of_a_filled_block_stays_a_clean_picture() -> None:
    # A canvas's background is one exact level: a big filled shape drawn on it is ink,
    # not a page on a desk, whichever is lighter.
    rng = np.random.default_rng(0)
    for background, block in ((255, 0), (60, 230)):
        canvas = np.full((280, 280), background, np.uint8)
        canvas[60:220, 70:210] = block
        assert looks_clean(canvas)
        noisy = np.clip(canvas + rng.integers(-6, 7, canvas.shape), 0, 255).astype(np.uint8)
        # With a photo's noise all round, a block lighter than the rest is a page lying
        # on a desk; one darker than its paper is still ink.
        assert looks_clean(noisy) == (block < background)


@pytest.mark.parametrize("seed", [50_011, 50_014])
def test_a_small_digit_far_from_the_pages_edge_is_not_taken_for_a_scrap(
    recognizer, seed: int
) -> None:
    # Photographed from further away (``training.harder_photos``: the picture 8 to 14 times
    # as tall as the digit), the page's edge beyond the digit is far longer and nearly
    # as dark: the digit was once taken for a scrap beside writing in the dim part, and
    # the edge and the desk's grain read instead ("62204" for a 4, "22" for a 3). The
    # edge barely clears the noise; the pen's stroke stands twice as clear of it.
    _reads_only_the_pen(recognizer, "page_edge", seed, frame=(8.0, 14.0))


@pytest.mark.parametrize(
    ("kind", "seed", "digits"),
    [("shadow", 100030, 4), ("page_edge", 45, 1), ("page_edge", 54, 1)],
)
def test_a_faint_digit_deep_in_a_shadow_is_told_from_the_desks_grain(
    recognizer, kind: str, seed: int, digits: int
) -> None:
    # "8944": the first "4" in the deep shadow is only four fifths as dark as the lit
    # "8", but its stroke stands far clear of the noise: it was once dropped, and the
    # "4" after it, read "89". The desk's grain beside a lone "2" or "8" is as faint
    # but barely clears the noise: it is still no digit in line with them.
    _reads_only_the_pen(recognizer, kind, seed, digits)


def test_a_shadowed_digit_a_line_cut_in_two_is_read_whole(recognizer) -> None:
    # "88028": a squared page's line cuts the shadowed "2" in two; its top, fainter than
    # the lit "880" and too small to be a digit in line, lies on the "2"'s bottom and is
    # the rest of that digit (it was once dropped, and the number read "8068").
    _reads_only_the_pen(recognizer, "shadow", 100027, 5)


@pytest.mark.parametrize(("kind", "seed"), [("ruled", 37), ("ruled", 105), ("shadow", 9)])
def test_thick_lines_go_and_a_digits_long_stroke_stays(recognizer, kind: str, seed: int) -> None:
    # A blurred, slanted ruled line six rows thick is dropped; the stem of a "7" a
    # third of a small picture tall, as long as a line must be, is no line: it runs off
    # no side of the page.
    _reads_only_the_pen(recognizer, kind, seed)


@pytest.mark.parametrize("seed", [85, 97])
def test_a_printed_line_through_a_digit_is_dropped(recognizer, seed: int) -> None:
    # A squared page's line runs through the digit: the digit's own ink raises the
    # rows around the line, yet the line is found and dropped, and the digit is read.
    _reads_only_the_pen(recognizer, "squared", seed)


def _ruled_page(squared: bool) -> np.ndarray:
    """A noisy ruled (or squared) page, lines every 40 pixels, nothing written."""
    rng = np.random.default_rng(5)
    page = 235 + rng.normal(0, 2, (300, 400))
    page[20::40] = page[21::40] = 165
    if squared:
        page[:, 20::40] = page[:, 21::40] = 165
    return page


def test_a_stroke_crossing_a_line_at_a_slant_stays_whole() -> None:
    page = _ruled_page(squared=False)
    y, x = np.mgrid[0:300, 0:400]
    # A long stroke, 6 pixels wide, at 60 degrees from upright, crossing the line at
    # row 140: just above and just below the line it lies a stroke's width apart.
    along = (x - 100) * 0.866 + (y - 100) * 0.5
    across = np.abs((x - 100) * 0.5 - (y - 100) * 0.866)
    page[(across <= 3) & (along >= 0) & (along <= 160)] = 40
    writing = paper_writing(np.clip(page, 0, 255).astype(np.uint8))
    assert writing is not None
    labels, count = label_parts(writing > 0)
    assert count == 1, "the line's removal cut the stroke"
    rows, cols = np.nonzero(labels)
    assert rows.min() <= 104
    assert rows.max() >= 176
    assert cols.min() <= 102
    assert cols.max() >= 238


def test_where_a_squared_pages_lines_cross_nothing_is_left() -> None:
    page = _ruled_page(squared=True)
    page[110:190, 185:193] = 30  # a "1" between the lines
    writing = paper_writing(np.clip(page, 0, 255).astype(np.uint8))
    assert writing is not None
    rows, cols = np.nonzero(writing)
    assert rows.min() >= 105
    assert rows.max() <= 195
    assert cols.min() >= 180
    assert cols.max() <= 198


def test_a_stroke_written_along_a_squared_pages_line_stays() -> None:
    # A "1" whose stem lies on one of the page's columns, as wide as the line: only its
    # tone tells it from the line (it was dropped with the line, and a 9 read as a 0).
    page = _ruled_page(squared=True)
    page[100:200, 180:182] = 40  # the stem, darker than the printed line it lies on
    page[100:108, 166:182] = 40  # its flag
    writing = paper_writing(np.clip(page, 0, 255).astype(np.uint8))
    assert writing is not None
    stem = writing[100:200, 178:184] > 0
    assert stem.any(axis=1).mean() > 0.9, "the stem went with the line"
    rows, _ = np.nonzero(writing)
    assert rows.min() >= 95
    assert rows.max() <= 205


def test_a_digit_written_on_a_printed_line_is_read_without_it(recognizer) -> None:
    # One line runs off both sides under a 7, the rest spans a third of the picture: a
    # printed line, not a digit's bar, so the picture is no clean one and the line goes
    # (read as part of the digit, it made the 7 a "2").
    page = Image.new("L", (200, 180), 240)
    draw = ImageDraw.Draw(page)
    draw.line(((70, 40), (130, 40)), fill=40, width=8)
    draw.line(((130, 40), (85, 140)), fill=40, width=8)
    draw.line(((0, 146), (200, 146)), fill=150, width=2)
    values = np.asarray(page)
    assert not looks_clean(values)
    reading = read_number(recognizer, values)
    for model in reading.models:
        assert reading.number(model) == "7"
    # A 7 cropped tight has its bar across the whole picture, and its stem spans most of
    # it too: still a clean picture.
    tight = Image.new("L", (70, 110), 240)
    draw = ImageDraw.Draw(tight)
    draw.line(((0, 6), (70, 6)), fill=40, width=6)
    draw.line(((64, 6), (12, 105)), fill=40, width=6)
    assert looks_clean(np.asarray(tight))
    # So has a 1 whose stem runs from edge to edge, its flag at one end.
    one = Image.new("L", (60, 120), 240)
    draw = ImageDraw.Draw(one)
    draw.line(((30, 0), (30, 120)), fill=40, width=5)
    draw.line(((14, 18), (30, 2)), fill=40, width=5)
    assert looks_clean(np.asarray(one))


def test_faint_pencil_beside_the_desk_is_the_writing() -> None:
    # A "7" in faint pencil, a fifth darker than the paper: its darkest pixel was under
    # the quarter of the paper's brightness once asked of writing, so the page's edge
    # along the desk was kept instead.
    rng = np.random.default_rng(4)
    y, x = np.mgrid[0:300, 0:400]
    page = 215 - 0.05 * x - 0.03 * y + rng.normal(0, 2, (300, 400))
    page[:, :50] = 35 + rng.normal(0, 6, (300, 50))  # the desk beyond the page's edge
    stroke = np.zeros((300, 400), bool)
    stroke[100:106, 180:250] = True  # the bar
    for row in range(106, 210):  # the stem, slanting left
        column = 244 - (row - 106) // 3
        stroke[row, column : column + 6] = True
    page[stroke] *= 0.8
    writing = paper_writing(np.clip(page, 0, 255).astype(np.uint8))
    assert writing is not None
    found = writing > 0
    assert np.mean(found[stroke]) > 0.9
    assert np.mean(grow_mask(grow_mask(stroke))[found]) > 0.95
