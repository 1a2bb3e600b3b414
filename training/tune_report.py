"""The search's files: the best recipe, every trial as JSON and as a table, and a plot.

The plot is drawn with Pillow like the other reports: each trial's validation accuracy
in the order run (the best one marked) beside the same against its learning rate.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from digitpad.core import MODEL_COLOURS
from training.tune import TrialRecord, TuneResult

BEST_RECIPE = "best_recipe.json"
TRIALS_JSON = "trials.json"
TRIALS_TABLE = "trials.md"
TRIALS_PLOT = "trials.png"
_W, _H, _MARGIN = 420, 300, 56
_WHITE, _BLACK, _GREY, _FAINT = (255, 255, 255), (0, 0, 0), (110, 110, 110), (225, 225, 225)


def _flat(settings: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in settings.items() if k != "augmentation"}
    flat.update(settings.get("augmentation", {}))
    return flat


def _cell(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def trials_table(trials: list[TrialRecord], best: TrialRecord) -> str:
    """Every trial's settings and validation accuracy as a Markdown table, best in bold."""
    keys = list(_flat(trials[0].settings))
    header = ["trial", "validation accuracy", "best epoch", "seconds", *keys]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for trial in trials:
        flat = _flat(trial.settings)
        cells = [
            str(trial.number),
            f"{trial.validation_accuracy:.2%}",
            str(trial.best_epoch),
            f"{trial.seconds:.0f}",
            *(_cell(flat.get(key, "")) for key in keys),
        ]
        if trial is best:
            cells = [f"**{cell}**" for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _panel(
    draw: ImageDraw.ImageDraw,
    left: int,
    title: str,
    xs: list[float],
    ys: list[float],
    best: int,
    x_labels: tuple[str, str],
) -> None:
    top, width, height = 30, _W - _MARGIN - 16, _H - 30 - 40
    x0 = left + _MARGIN
    draw.text((left + 8, 8), title, fill=_BLACK, font=_font(13))
    low, high = min(ys), max(ys)
    low, high = (low - 0.01, high + 0.01) if high - low < 1e-9 else (low, high)
    x_low, x_high = min(xs), max(xs)
    x_span = x_high - x_low or 1.0
    for value in (low, high):
        y = top + height * (1 - (value - low) / (high - low))
        draw.line([(x0, y), (x0 + width, y)], fill=_FAINT)
        draw.text((x0 - 4, y), f"{value:.2%}", fill=_GREY, font=_font(10), anchor="rm")
    for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
        px = x0 + width * (x - x_low) / x_span
        py = top + height * (1 - (y - low) / (high - low))
        radius = 6 if index == best else 4
        colour = MODEL_COLOURS[1] if index == best else MODEL_COLOURS[0]
        draw.ellipse([px - radius, py - radius, px + radius, py + radius], fill=colour)
    draw.text((x0, top + height + 8), x_labels[0], fill=_GREY, font=_font(10), anchor="lt")
    draw.text((x0 + width, top + height + 8), x_labels[1], fill=_GREY, font=_font(10), anchor="rt")


def trials_plot(trials: list[TrialRecord], best: TrialRecord) -> Image.Image:
    """Validation accuracy per trial, and against the peak learning rate (log scale)."""
    image = Image.new("RGB", (2 * _W, _H), _WHITE)
    draw = ImageDraw.Draw(image)
    accuracy = [t.validation_accuracy for t in trials]
    best_index = trials.index(best)
    numbers = [float(t.number) for t in trials]
    _panel(draw, 0, "validation accuracy by trial (best: orange)", numbers, accuracy,
           best_index, ("trial 1", f"trial {len(trials)}"))  # fmt: skip
    rates = [float(t.settings["peak_learning_rate"]) for t in trials]
    logs = [math.log10(rate) for rate in rates]
    _panel(draw, _W, "validation accuracy by peak learning rate", logs, accuracy, best_index,
           (f"{min(rates):.1e}", f"{max(rates):.1e}"))  # fmt: skip
    return image


def write_tune_report(result: TuneResult, folder: Path) -> dict[str, Path]:
    """The best recipe, the trials (JSON, Markdown table) and the plot, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "recipe": folder / BEST_RECIPE,
        "trials": folder / TRIALS_JSON,
        "table": folder / TRIALS_TABLE,
        "plot": folder / TRIALS_PLOT,
    }
    paths["recipe"].write_text(json.dumps(result.recipe_document, indent=1) + "\n", "utf-8")
    trials = [
        {
            "trial": t.number,
            "validation_accuracy": t.validation_accuracy,
            "best_epoch": t.best_epoch,
            "seconds": t.seconds,
            "recipe": t.settings,
        }
        for t in result.trials
    ]
    paths["trials"].write_text(json.dumps({"trials": trials}, indent=1) + "\n", "utf-8")
    model = result.recipe_document["model"]
    paths["table"].write_text(
        f"# Recipe search: {model}\n\n{result.recipe_document['tuned_on']}.\n\n"
        f"{trials_table(result.trials, result.best)}\n\n![every trial]({TRIALS_PLOT})\n",
        "utf-8",
    )
    trials_plot(result.trials, result.best).save(paths["plot"])
    return paths
