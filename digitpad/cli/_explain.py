"""``digitpad explain FILE...``: why each model read each file as it did.

Per file and model: the digit, the heat map of the ink that pushed the model toward it
and the five nearest reference training digits in the model's feature space. ``--json``
prints one object per file per line; ``--out DIR`` also writes the heat maps and the
neighbours as PNG images.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from digitpad.cli._command import EXIT_FAILED, EXIT_OK, Runner
from digitpad.cli._input import STDIN, read_picture
from digitpad.cli._output import display_path, json_rows, print_json_line
from digitpad.core import (
    Explainer,
    Explanation,
    ImageLoadError,
    ModelRunError,
    Recognizer,
    heat_map_over_input,
)

# PNG sizes: the 28x28 heat map enlarged with whole pixels, neighbours as a captioned strip.
HEAT_MAP_SCALE = 10
THUMB_SCALE = 4
CAPTION_HEIGHT = 14


def _explain_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad explain",
        description="Show why each model read each image as it did: the ink it relied on "
        "(a heat map) and the MNIST training digits it finds most alike.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line per file")
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="also write each file's heat maps and neighbours as PNG images into DIR",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="image files ('-': standard input)"
    )
    return parser


def _explanation_document(explanation: Explanation) -> dict[str, Any]:
    document: dict[str, Any] = {
        "digit": explanation.digit,
        "probabilities": list(explanation.probabilities),
        "saliency": json_rows(explanation.saliency),
        "neighbours": [
            {"index": n.index, "label": n.label, "distance": n.distance}
            for n in explanation.neighbours
        ],
    }
    if explanation.missing:
        document["missing"] = list(explanation.missing)
    return document


def explain_file(
    recognizer: Recognizer, explainer: Explainer, path: str
) -> tuple[dict[str, Any], np.ndarray | None, dict[str, Explanation]]:
    """The ``--json`` document for one file, with the input and explanations behind it.

    A model that fails on the file has ``{"error": reason}`` in place of its explanation.
    """
    shown = display_path(path)
    try:
        model_input = recognizer.predict(read_picture(path)).model_input
    except ImageLoadError as error:
        return {"file": shown, "error": error.reason}, None, {}
    if model_input is None:
        return {"file": shown, "error": "nothing drawn (no ink found)"}, None, {}
    explanations: dict[str, Explanation] = {}
    documents: dict[str, Any] = {}
    for model in explainer.models:
        try:
            explanations[model.name] = explainer.explain_model(model, model_input)
        except ModelRunError as error:
            documents[model.name] = {"error": str(error)}
            continue
        documents[model.name] = _explanation_document(explanations[model.name])
    document = {"file": shown, "input": json_rows(model_input), "explanations": documents}
    return document, model_input, explanations


def _summary(document: dict[str, Any], display_names: dict[str, str]) -> str:
    if "error" in document:
        return f"{document['file']}: error: {document['error']}"
    parts = []
    for name, explained in document["explanations"].items():
        shown = display_names.get(name, name)
        if "error" in explained:
            parts.append(f"{shown} error: {explained['error']}")
            continue
        digit = explained["digit"]
        confidence = explained["probabilities"][digit]
        labels = " ".join(str(n["label"]) for n in explained["neighbours"]) or "none"
        parts.append(f"{shown} reads {digit} ({confidence:.1%}); nearest training digits: {labels}")
    return f"{document['file']}: " + "; ".join(parts)


def _neighbour_strip(explanation: Explanation) -> Image.Image:
    side = 28 * THUMB_SCALE
    strip = Image.new("L", (side * max(1, len(explanation.neighbours)), side + CAPTION_HEIGHT), 0)
    draw = ImageDraw.Draw(strip)
    for number, neighbour in enumerate(explanation.neighbours):
        thumb = Image.fromarray(neighbour.image).resize((side, side), Image.Resampling.NEAREST)
        strip.paste(thumb, (number * side, 0))
        caption = f"{neighbour.label}  d={neighbour.distance:.2f}"
        draw.text((number * side + 4, side + 1), caption, fill=255)
    return strip


def write_images(
    folder: Path, stem: str, model_input: np.ndarray, explanations: dict[str, Explanation]
) -> list[Path]:
    """``<stem>-<model>-heatmap.png`` and ``<stem>-<model>-neighbours.png`` per model."""
    written = []
    for name, explanation in explanations.items():
        heat = Image.fromarray(heat_map_over_input(model_input, explanation.saliency))
        side = 28 * HEAT_MAP_SCALE
        heat_path = folder / f"{stem}-{name}-heatmap.png"
        heat.resize((side, side), Image.Resampling.NEAREST).save(heat_path)
        written.append(heat_path)
        if explanation.neighbours:
            neighbours_path = folder / f"{stem}-{name}-neighbours.png"
            _neighbour_strip(explanation).save(neighbours_path)
            written.append(neighbours_path)
    return written


def _unique_stem(path: str, used: set[str]) -> str:
    """The file's stem, numbered when two inputs share one (``a/x.png``, ``b/x.png``)."""
    stem, number = ("stdin" if path == STDIN else Path(path).stem) or "input", 1
    while (candidate := stem if number == 1 else f"{stem}-{number}") in used:
        number += 1
    used.add(candidate)
    return candidate


def run_explain(files: Sequence[str], *, as_json: bool = False, out: Path | None = None) -> int:
    """Explain each file; 0 when every file was explained by every model."""
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            print(f"digitpad: cannot write to {out}: {error.strerror or error}", file=sys.stderr)
            return EXIT_FAILED
    recognizer = Recognizer.from_default_locations()
    for failure in recognizer.failures:
        print(f"digitpad: model not loaded: {failure}", file=sys.stderr)
    explainer = Explainer.default(recognizer.loaded_models)
    display_names = {m.name: m.display_name for m in recognizer.loaded_models}
    ok = not recognizer.failures and bool(recognizer.loaded_models)
    used_stems: set[str] = set()
    for path in files:
        document, model_input, explanations = explain_file(recognizer, explainer, path)
        ok = ok and "error" not in document
        ok = ok and not any("error" in e for e in document.get("explanations", {}).values())
        if out is not None and model_input is not None:
            try:
                write_images(out, _unique_stem(path, used_stems), model_input, explanations)
            except OSError as error:
                print(
                    f"digitpad: cannot write images for {display_path(path)}: "
                    f"{error.strerror or error}",
                    file=sys.stderr,
                )
                ok = False
        if as_json:
            print_json_line(document)
        else:
            print(_summary(document, display_names), flush=True)
    return EXIT_OK if ok else EXIT_FAILED


def _run(arguments: argparse.Namespace) -> int:
    return run_explain(arguments.files, as_json=arguments.json, out=arguments.out)


RUNNER = Runner(build_parser=_explain_parser, run=_run)
