"""The docs' figures, rendered at build time from the files the code writes (a mkdocs hook).

A figure typed by hand goes stale the day a model is retrained; a figure rendered from
``reports/<model>/metrics.json`` (written by ``python -m training evaluate`` and the
training run) or from a model's metadata ``assets/models/<model>.json`` cannot. Pages
write placeholders that this hook replaces before Markdown is converted:

- ``{{ report cnn drawn/drawn_accuracy .2% }}``: one value of
  ``reports/cnn/metrics.json``, found by its keys joined with ``/`` (a key may hold
  spaces or dots), formatted with a Python format spec (the last word).
- ``{{ model cnn training/interpolation/a g }}``: the same from ``assets/models/cnn.json``.
- ``{{ table NAME }}``: a whole table, one of ``TABLES`` below.

The hook also puts a few files from outside ``docs/`` into the site (``EXTRA_FILES``:
the reports, the model format, CONTRIBUTING.md) and rewrites links that reach them, so
a page's links work both on GitHub (``../reports/cnn/report.md``) and in the site.
``tests/docs/test_figures.py`` checks every placeholder against its file.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = "docs"
SOURCES = {
    "report": "reports/{name}/metrics.json",
    "model": "assets/models/{name}.json",
}
# Files outside docs/ that the site carries, as paths from the repository root.
EXTRA_FILES = (
    "CONTRIBUTING.md",
    "assets/models/README.md",
    "reports/*/report.md",
    "reports/*/*.png",
)

PLACEHOLDER = re.compile(r"\{\{\s*(report|model)\s+(\S+)\s+(.+?)\s+(\S+)\s*\}\}")
TABLE = re.compile(r"\{\{\s*table\s+(\S+)\s*\}\}")
LINK = re.compile(r"(\]\()([^)\s#]+)(#[^)\s]*)?(\))")
# Code is shown as written: a placeholder in a code span or block is an example of one.
CODE = re.compile(r"^(`{3,}).*?^\1|`[^`\n]+`", re.DOTALL | re.MULTILINE)


class FigureError(LookupError):
    """A placeholder names a file, key or table that does not exist."""


@cache
def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def source_file(kind: str, name: str, root: Path = ROOT) -> Path:
    """The file a ``report`` or ``model`` placeholder reads."""
    return root / SOURCES[kind].format(name=name)


def lookup(kind: str, name: str, keys: str, root: Path = ROOT) -> Any:
    """The value at ``keys`` (joined with ``/``) in ``name``'s report or metadata."""
    path = source_file(kind, name, root)
    if not path.is_file():
        raise FigureError(f"{kind} {name}: no file {path}")
    value = _json(path)
    for key in keys.split("/"):
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            raise FigureError(f"{kind} {name}: no {keys!r} in {path.name}")
    return value


def figure(kind: str, name: str, keys: str, spec: str, root: Path = ROOT) -> str:
    """One placeholder's text: the value formatted with ``spec``."""
    return format(lookup(kind, name, keys, root), spec)


def model_names(root: Path = ROOT) -> list[str]:
    """The models that have a report, in their display order (the app's order); other
    reports (photos of paper, robustness) are not a model's."""
    names = [
        path.parent.name
        for path in (root / "reports").glob("*/metrics.json")
        if source_file("model", path.parent.name, root).is_file()
    ]
    return sorted(names, key=lambda n: (lookup("model", n, "display_order", root), n))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def _report_table(report: str, heading: str) -> list[list[str]]:
    """The first table after ``heading`` in a report.md, as rows of cells."""
    text = report.split(heading, 1)[1]
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows


def drawn_table(root: Path = ROOT) -> str:
    """Every model's drawn-digit column side by side, as each report.md writes it.

    The reports' tables come from ``training.drawn_eval.drawn_table`` (the code that
    also prints ``python -m benchmarks.drawn``), which knows each writer's digit count;
    metrics.json keeps only the shares, so the columns are taken from the reports.
    """
    columns = []
    for name in model_names(root):
        report = (root / "reports" / name / "report.md").read_text(encoding="utf-8")
        columns.append(_report_table(report, "## Drawn digits")[2:])
    labels = [row[0] for row in columns[0]]
    if any([row[0] for row in column] != labels for column in columns):
        raise FigureError("the reports' drawn tables have different rows")
    rows = [[label, *(column[i][1] for column in columns)] for i, label in enumerate(labels)]
    return _table(["", *model_names(root)], rows)


def per_class_table(root: Path = ROOT) -> str:
    """MNIST test accuracy per digit, raw and through the app's preprocessing."""
    rows = []
    for name in model_names(root):
        display = lookup("model", name, "display_name", root)
        for kind in ("raw", "preprocessed"):
            shares = lookup("report", name, f"{kind}/per_class_accuracy", root)
            rows.append([f"{display}, {kind}", *(f"{share:.2%}" for share in shares)])
    return _table(["model, input", *map(str, range(10))], rows)


def _grid(name: str, keys: str, root: Path) -> dict[str, dict[str, float]]:
    return dict(lookup("model", name, keys, root))


def mix_table(root: Path = ROOT, name: str = "cnn") -> str:
    """The WiSE-FT mixes tried, from the CNN's metadata; the chosen one in bold."""
    grid = _grid(name, "training/interpolation/validation_accuracy_by_a", root)
    chosen = format(lookup("model", name, "training/interpolation/a", root), "g")

    def cells(key: str, spec: str) -> list[str]:
        return [_bold(format(row[key], spec), a == chosen) for a, row in grid.items()]

    return _table(
        ["a (share of the fine-tune)", *(_bold(a, a == chosen) for a in grid)],
        [
            ["MNIST validation accuracy", *cells("mnist_validation", ".2%")],
            ["MNIST validation log-loss", *cells("mnist_validation_log_loss", ".5f")],
            ["validation writers", *cells("pen_validation_writers", ".2%")],
            ["validation writers' log-loss", *cells("pen_validation_writers_log_loss", ".5f")],
            ["temperature", *cells("temperature", ".4f")],
        ],
    )


def last_layer_table(root: Path = ROOT, name: str = "cnn") -> str:
    """The pen weights tried for the CNN's re-fitted last layer, against the plain mix."""
    interpolation = "training/interpolation"
    grid = _grid(name, f"{interpolation}/last_layer/validation_by_pen_weight", root)
    chosen = format(lookup("model", name, f"{interpolation}/last_layer/pen_weight", root), "g")
    a = format(lookup("model", name, f"{interpolation}/a", root), "g")
    mix = lookup("model", name, f"{interpolation}/validation_accuracy_by_a/{a}", root)
    limit = mix["mnist_validation_log_loss"]

    def cells(key: str, spec: str) -> list[str]:
        mixed = format(mix[key], spec)
        tried = [_bold(format(row[key], spec), w == chosen) for w, row in grid.items()]
        return [mixed, *tried]

    losses = [
        _bold(f"{row['mnist_validation_log_loss']:.5f}", w == chosen)
        + (" (over)" if row["mnist_validation_log_loss"] > limit else "")
        for w, row in grid.items()
    ]
    return _table(
        ["pen weight", "mixed layer", *(_bold(w, w == chosen) for w in grid)],
        [
            ["MNIST validation accuracy", *cells("mnist_validation", ".2%")],
            ["MNIST validation log-loss", f"{limit:.5f}", *losses],
            ["validation writers", *cells("pen_validation_writers", ".2%")],
        ],
    )


ROBUSTNESS_REPORT = "reports/robustness/robustness.json"


def robustness_table(root: Path = ROOT) -> str:
    """Accuracy unchanged and at each transform's two ends, per input mode and model, from
    the report ``python -m training robustness`` writes."""
    report = _json(root / ROBUSTNESS_REPORT)
    first_mode = next(iter(report["modes"].values()))
    header = ["input, model", "unchanged"]
    for curve in first_mode["transforms"].values():
        low, high = curve["amounts"][0], curve["amounts"][-1]
        ends = [a for a in (low, high) if a != curve["neutral"]]
        header.append(f"{curve['label']} {' / '.join(f'{a:g}' for a in ends)} {curve['unit']}")
    rows = []
    for mode_name, mode in report["modes"].items():
        for model, about in report["models"].items():
            curves = list(mode["transforms"].values())
            rest = curves[0]["accuracy"][model][curves[0]["amounts"].index(curves[0]["neutral"])]
            row = [f"{mode_name}, {about['display_name']}", f"{rest:.1%}"]
            for curve in curves:
                accuracy, amounts = curve["accuracy"][model], curve["amounts"]
                ends = [i for i in (0, len(amounts) - 1) if amounts[i] != curve["neutral"]]
                row.append(" / ".join(f"{accuracy[i]:.0%}" for i in ends))
            rows.append(row)
    return _table(header, rows)


def _bold(text: str, bold: bool) -> str:
    return f"**{text}**" if bold else text


TABLES: dict[str, Callable[[Path], str]] = {
    "drawn": drawn_table,
    "per_class": per_class_table,
    "mix": mix_table,
    "last_layer": last_layer_table,
    "robustness": robustness_table,
}


def _prose(markdown: str) -> Iterator[tuple[str, bool]]:
    """The page in pieces, each with whether it is prose (True) or code (False)."""
    start = 0
    for code in CODE.finditer(markdown):
        yield markdown[start : code.start()], True
        yield code[0], False
        start = code.end()
    yield markdown[start:], True


def placeholders(markdown: str) -> Iterator[re.Match[str]]:
    """Every value placeholder in a page's prose (not in its code)."""
    for piece, prose in _prose(markdown):
        if prose:
            yield from PLACEHOLDER.finditer(piece)


def prose_without_figures(markdown: str) -> str:
    """The page's prose with every placeholder and code removed: what is typed by hand."""
    pieces = (PLACEHOLDER.sub(" ", TABLE.sub(" ", p)) for p, prose in _prose(markdown) if prose)
    return "\n".join(pieces)


def render(markdown: str, root: Path = ROOT) -> str:
    """A page with every placeholder in its prose replaced by its figure or table."""

    def table(match: re.Match[str]) -> str:
        if match[1] not in TABLES:
            raise FigureError(f"no table {match[1]!r} (known: {', '.join(TABLES)})")
        return TABLES[match[1]](root)

    def value(match: re.Match[str]) -> str:
        return figure(match[1], match[2], match[3], match[4], root)

    return "".join(
        PLACEHOLDER.sub(value, TABLE.sub(table, piece)) if prose else piece
        for piece, prose in _prose(markdown)
    )


def site_path(repository_path: str) -> str | None:
    """Where a repository file sits in the site, or None when the site lacks it."""
    if repository_path.startswith(f"{DOCS}/"):
        return repository_path.removeprefix(f"{DOCS}/")
    if any(Path(repository_path).match(pattern) for pattern in EXTRA_FILES):
        return repository_path
    return None


def rewrite_links(markdown: str, page_repository_path: str) -> str:
    """Links written for GitHub (relative to the file in the repository), made site-relative."""
    page_site = site_path(page_repository_path) or page_repository_path

    def relink(match: re.Match[str]) -> str:
        target = match[2]
        if "://" in target or target.startswith(("/", "mailto:")):
            return match[0]
        repository = posixpath.normpath(
            posixpath.join(posixpath.dirname(page_repository_path), target)
        )
        in_site = site_path(repository)
        if in_site is None:
            return match[0]
        relative = posixpath.relpath(in_site, posixpath.dirname(page_site) or ".")
        return f"{match[1]}{relative}{match[3] or ''}{match[4]}"

    return LINK.sub(relink, markdown)


def extra_files(root: Path = ROOT) -> list[str]:
    """The files outside docs/ that the site carries, as repository paths."""
    found = {p.relative_to(root).as_posix() for g in EXTRA_FILES for p in root.glob(g)}
    return sorted(found)


# --- mkdocs hook entry points -------------------------------------------------------


def on_pre_build(config: Any) -> None:
    """Read the reports afresh on every build (``mkdocs serve`` rebuilds when they change)."""
    _json.cache_clear()


def on_files(files: Any, config: Any) -> Any:
    """Add the extra files, each at its repository path inside the site."""
    from mkdocs.structure.files import File

    for path in extra_files():
        files.append(File(path, str(ROOT), config["site_dir"], config["use_directory_urls"]))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Render the figures and tables, then make the GitHub links site links."""
    source = page.file.src_uri
    repository_path = source if source in extra_files() else f"{DOCS}/{source}"
    return rewrite_links(render(markdown), repository_path)
