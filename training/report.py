"""Evaluation report files: metrics JSON, a Markdown summary and two PNGs drawn with Pillow.

Pillow's ImageDraw is enough for a confusion matrix and an image grid, and keeps
matplotlib out of the dependencies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from training.data import NUM_CLASSES
from training.drawn_eval import DrawnFigures, drawn_markdown
from training.evaluate import Evaluation, ModelEvaluation
from training.specs import spec_for

_CELL = 44
_MARGIN = 78
_TILE = 84  # a 28x28 digit at 3x
_WHITE, _BLACK, _GREY = (255, 255, 255), (0, 0, 0), (110, 110, 110)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _centred_text(
    draw: ImageDraw.ImageDraw, box: tuple[float, float], text: str, **style: Any
) -> None:
    draw.text(box, text, anchor="mm", **style)


def draw_confusion(confusion: np.ndarray, title: str) -> Image.Image:
    """A 10x10 confusion matrix: counts in cells, off-diagonal errors shaded red."""
    side = NUM_CLASSES * _CELL
    image = Image.new("RGB", (_MARGIN + side + 20, _MARGIN + side + 20), _WHITE)
    draw = ImageDraw.Draw(image)
    font, small = _font(15), _font(13)
    draw.text((10, 8), title, fill=_BLACK, font=_font(16))
    _centred_text(draw, (_MARGIN + side / 2, 44), "predicted", fill=_GREY, font=small)
    draw.text((6, _MARGIN + side / 2), "true", fill=_GREY, font=small, anchor="lm")
    errors = confusion[:, :NUM_CLASSES].copy()
    np.fill_diagonal(errors, 0)
    worst = max(int(errors.max()), 1)
    for digit in range(NUM_CLASSES):
        centre = _MARGIN + digit * _CELL + _CELL / 2
        _centred_text(draw, (centre, _MARGIN - 14), str(digit), fill=_BLACK, font=font)
        _centred_text(draw, (_MARGIN - 14, centre), str(digit), fill=_BLACK, font=font)
    for true in range(NUM_CLASSES):
        for predicted in range(NUM_CLASSES):
            count = int(confusion[true, predicted])
            left, top = _MARGIN + predicted * _CELL, _MARGIN + true * _CELL
            if true == predicted:
                fill, ink = (205, 232, 205), _BLACK
            elif count:
                strength = 0.25 + 0.75 * count / worst
                fill = (255, int(255 * (1 - 0.8 * strength)), int(255 * (1 - 0.8 * strength)))
                ink = _BLACK
            else:
                fill, ink = _WHITE, (190, 190, 190)
            draw.rectangle(
                (left, top, left + _CELL, top + _CELL), fill=fill, outline=(220, 220, 220)
            )
            _centred_text(
                draw, (left + _CELL / 2, top + _CELL / 2), str(count), fill=ink, font=small
            )
    return image


def draw_mistakes(
    evaluation: Evaluation, title: str, count: int = 40, columns: int = 8
) -> Image.Image:
    """The most confident wrong answers as a grid of digits labelled true / predicted."""
    indices = evaluation.worst_mistakes(count)
    rows = max(1, -(-len(indices) // columns))
    label_height = 34
    width = columns * (_TILE + 12) + 12
    image = Image.new("RGB", (width, 40 + rows * (_TILE + label_height + 10)), _WHITE)
    draw = ImageDraw.Draw(image)
    draw.text((12, 10), title, fill=_BLACK, font=_font(16))
    font = _font(13)
    if not len(indices):
        draw.text((12, 50), "no mistakes", fill=_GREY, font=font)
    predictions = evaluation.predictions
    for slot, index in enumerate(indices):
        left = 12 + (slot % columns) * (_TILE + 12)
        top = 40 + (slot // columns) * (_TILE + label_height + 10)
        pixels = np.clip(evaluation.images[index], 0, 255).astype(np.uint8)
        tile = Image.fromarray(pixels, "L").resize((_TILE, _TILE), Image.Resampling.NEAREST)
        image.paste(tile.convert("RGB"), (left, top))
        confidence = float(evaluation.probabilities[index].max())
        label = f"true {evaluation.labels[index]}  pred {predictions[index]}"
        _centred_text(draw, (left + _TILE / 2, top + _TILE + 9), label, fill=_BLACK, font=font)
        _centred_text(
            draw,
            (left + _TILE / 2, top + _TILE + 25),
            f"p={confidence:.3f}",
            fill=(170, 30, 30),
            font=font,
        )
    return image


def _summary(evaluation: Evaluation) -> dict[str, object]:
    return {
        "accuracy": evaluation.accuracy,
        "errors": int((evaluation.predictions != evaluation.labels).sum()),
        "per_class_accuracy": evaluation.per_class_accuracy,
        "confusion": evaluation.confusion[:, :NUM_CLASSES].tolist(),
        "no_prediction": int(evaluation.confusion[:, NUM_CLASSES].sum()),
    }


def _display_name(result: ModelEvaluation) -> str:
    try:
        return spec_for(result.model.name).display_name
    except ValueError:  # a model from elsewhere ('evaluate'): its metadata's name or file stem
        return result.model.display_name


def _markdown(result: ModelEvaluation, metrics: dict[str, Any]) -> str:
    name = _display_name(result)
    raw, pre = result.raw, result.preprocessed
    lines = [
        f"# {name}: evaluation on {result.dataset}",
        "",
        f"Model file: `{result.model.path.name}`, run with onnxruntime through"
        " `digitpad.core.OnnxModel`.",
        "",
        "| input | accuracy | errors |",
        "| --- | --- | --- |",
        f"| raw MNIST test images | {raw.accuracy:.2%} | {metrics['raw']['errors']} |",
        "| the same images through `digitpad.core.preprocess_bitmap` (what the app does) | "
        f"{pre.accuracy:.2%} | {metrics['preprocessed']['errors']} |",
        "",
        "| digit | " + " | ".join(str(d) for d in range(NUM_CLASSES)) + " |",
        "| --- |" + " --- |" * NUM_CLASSES,
        "| raw | " + " | ".join(f"{a:.2%}" for a in raw.per_class_accuracy) + " |",
        "| preprocessed | " + " | ".join(f"{a:.2%}" for a in pre.per_class_accuracy) + " |",
        "",
        "![confusion matrix, raw images](confusion.png)",
        "",
        "![most confident mistakes, raw images](mistakes.png)",
        "",
        "![most confident mistakes, preprocessed images](mistakes_preprocessed.png)",
        "",
    ]
    if metrics["preprocessed"]["no_prediction"]:
        lines.insert(
            -1,
            f"Preprocessing found no ink in {metrics['preprocessed']['no_prediction']}"
            " images; they count as errors.\n",
        )
    return "\n".join(lines)


def write_report(
    result: ModelEvaluation, folder: Path, drawn: DrawnFigures | None = None
) -> dict[str, object]:
    """Write metrics.json, report.md, confusion.png and the mistake grids into ``folder``;
    with ``drawn``, also the held-out pen writers, non-digit and calibration figures."""
    folder.mkdir(parents=True, exist_ok=True)
    name = _display_name(result)
    metrics: dict[str, object] = {
        "model": result.model.name,
        "onnx_file": result.model.path.name,
        "dataset": result.dataset,
        "raw": _summary(result.raw),
        "preprocessed": _summary(result.preprocessed),
    }
    if drawn is not None:
        metrics["drawn"] = drawn.as_dict()
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    raw_title = f"{name}: raw test images, accuracy {result.raw.accuracy:.2%}"
    draw_confusion(result.raw.confusion, raw_title).save(folder / "confusion.png")
    draw_mistakes(result.raw, f"{name}: most confident mistakes (raw images)").save(
        folder / "mistakes.png"
    )
    draw_mistakes(
        result.preprocessed, f"{name}: most confident mistakes (through preprocess_bitmap)"
    ).save(folder / "mistakes_preprocessed.png")
    markdown = _markdown(result, metrics)
    if drawn is not None:
        markdown += "\n" + drawn_markdown(drawn)
    (folder / "report.md").write_text(markdown, encoding="utf-8")
    return metrics
