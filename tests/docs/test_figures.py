"""The docs' figures are the reports' figures: rendered from them, never typed from them.

``docs/figures.py`` (the mkdocs hook) replaces placeholders such as
``{{ report cnn raw/accuracy .2% }}`` with values of ``reports/<model>/metrics.json`` and
``assets/models/<model>.json``. These tests fail when a placeholder names a figure that
does not exist, when a rendered figure is not its file's value, when the table taken from
the reports disagrees with their metrics, when a report's figure is typed by hand on a
page made from the reports, or when a link in the docs points at nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from docs import figures

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs").rglob("*.md"))
# Pages whose figures come from the reports: none of the reports' figures may be typed there.
REPORT_PAGES = [ROOT / "docs" / "models.md", ROOT / "docs" / "how-it-works" / "not-a-digit.md"]
# Markdown read on GitHub as well as in the site: their relative links must resolve there.
LINKED = [*PAGES, ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
# A share typed as "98.68 %" or "98.68%"; not the end of a range ("98.9-99.4 %").
TYPED_PERCENT = re.compile(r"(?<![\d.-])(\d{1,3}\.\d{1,2}) ?%")


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _value(source: Path, keys: str) -> object:
    """Independently of the hook: the value at ``keys`` in a JSON file."""
    value = json.loads(source.read_text(encoding="utf-8"))
    for key in keys.split("/"):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


def _metrics(name: str) -> dict:
    return json.loads((ROOT / "reports" / name / "metrics.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_placeholder_renders_its_files_value(page):
    markdown = page.read_text(encoding="utf-8")
    found = list(figures.placeholders(markdown))
    for match in found:
        kind, name, keys, spec = match.groups()
        source = ROOT / figures.SOURCES[kind].format(name=name)
        expected = format(_value(source, keys), spec)
        assert figures.figure(kind, name, keys, spec) == expected, match[0]
    rendered = figures.render(markdown)
    assert "{{" not in figures.prose_without_figures(rendered), "a placeholder was left"
    for match in found:
        assert match[0] not in rendered


def test_the_report_pages_hold_figures():
    # The pages made from the reports really use them (a page that typed everything
    # would pass the other tests).
    for page in REPORT_PAGES:
        assert len(list(figures.placeholders(page.read_text(encoding="utf-8")))) >= 10


def test_a_placeholder_naming_no_figure_stops_the_build():
    with pytest.raises(figures.FigureError, match="no 'raw/acuracy'"):
        figures.render("{{ report cnn raw/acuracy .2% }}")
    with pytest.raises(figures.FigureError, match="no file"):
        figures.render("{{ report lenet raw/accuracy .2% }}")
    with pytest.raises(figures.FigureError, match="no table"):
        figures.render("{{ table drawm }}")


def test_placeholders_in_code_are_shown_as_written():
    markdown = "write `{{ report cnn raw/accuracy .2% }}`:\n\n{{ report cnn raw/accuracy .2% }}"
    accuracy = format(_metrics("cnn")["raw"]["accuracy"], ".2%")
    assert (
        figures.render(markdown) == f"write `{{{{ report cnn raw/accuracy .2% }}}}`:\n\n{accuracy}"
    )


def _drawn_rows() -> dict[str, list[str]]:
    table = figures.drawn_table()
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    return {
        cells[0].strip().replace("&nbsp;", ""): [c.strip() for c in cells[1:]] for cells in rows
    }


def _drawn_expected(metrics: dict, label: str) -> list[float] | None:
    """The metrics.json values a row of the drawn table shows, or None for a heading row."""
    drawn = metrics["drawn"]
    writer = re.fullmatch(r"writer (\d+) \(\d+\)", label)
    if writer:
        return [drawn["by_writer"][writer[1]]]
    ece = re.fullmatch(r"ECE (.+), before / after T", label)
    if ece:
        both = drawn["ece_15_bins"][ece[1]]
        return [both["before"], both["after"], drawn["temperature"]]
    named = {
        "MNIST test (raw)": "mnist_test_accuracy",
        "digits called not a digit, pen writers": "drawn_false_rejection",
        "digits called not a digit, MNIST test": "mnist_test_false_rejection",
    }
    if label.startswith("held-out pen writers"):
        return [drawn["drawn_accuracy"]]
    if label == "non-digits called not a digit":
        return [drawn["non_digit_rejection"]["all"]]
    if label in named:
        return [drawn[named[label]]]
    for group in ("non_digit_rejection", "obvious_cases_rejected"):
        if label in drawn[group]:
            return [drawn[group][label]]
    return None


def _agrees(cell: str, value: float) -> bool:
    """A cell shows ``value`` to its own precision (metrics.json keeps 5 decimals)."""
    text = cell.removesuffix("%")
    scale = 100 if cell.endswith("%") else 1
    decimals = len(text.partition(".")[2])
    return abs(float(text) - value * scale) <= 0.5 * 10**-decimals + 1e-5 * scale + 1e-9


def test_the_drawn_table_is_the_reports_metrics():
    # The table is taken from each report.md (it knows each writer's digit count); every
    # cell must also be that model's metrics.json value, to the cell's precision.
    rows = _drawn_rows()
    names = figures.model_names()
    assert names == ["dense", "cnn"]
    assert len(rows) >= 20
    checked = 0
    for label, cells in rows.items():
        for name, cell in zip(names, cells, strict=True):
            expected = _drawn_expected(_metrics(name), label)
            if expected is None:
                assert cell == "", label
                continue
            shown = re.findall(r"\d+\.?\d*%?", cell)
            assert len(shown) == len(expected), (label, cell)
            for text, value in zip(shown, expected, strict=True):
                assert _agrees(text, value), (name, label, text, value)
                checked += 1
    assert checked >= 40


def test_a_changed_report_changes_the_docs(tmp_path):
    for name in figures.model_names():
        shutil.copytree(ROOT / "reports" / name, tmp_path / "reports" / name)
        (tmp_path / "assets" / "models").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "assets" / "models" / f"{name}.json", tmp_path / "assets" / "models")
    metrics_file = tmp_path / "reports" / "cnn" / "metrics.json"
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    metrics["raw"]["accuracy"] = 0.1234
    metrics["raw"]["per_class_accuracy"][0] = 0.4321
    metrics_file.write_text(json.dumps(metrics), encoding="utf-8")
    page = (ROOT / "docs" / "models.md").read_text(encoding="utf-8")

    assert "12.34%" not in figures.render(page)
    rendered = figures.render(page, tmp_path)
    assert "12.34%" in rendered
    assert "| CNN, raw | 43.21% |" in rendered


def _report_figures() -> set[str]:
    """The reports' shares (per-class ones aside), as the docs would print them."""
    shares: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, float) and 0 < value < 1:
            shares.update({f"{value * 100:.1f}", f"{value * 100:.2f}"})

    for name in figures.model_names():
        metrics = _metrics(name)
        walk([metrics["raw"]["accuracy"], metrics["preprocessed"]["accuracy"], metrics["drawn"]])
    return shares


@pytest.mark.parametrize("page", REPORT_PAGES, ids=_name)
def test_no_report_figure_is_typed_by_hand(page):
    # A typed copy of a report's figure goes stale at the next retrain; targets and
    # floors ("floor 99.45 %") are the goal, not the figure, and stay typed.
    prose = figures.prose_without_figures(page.read_text(encoding="utf-8"))
    report_figures = _report_figures()
    typed = [
        match[0]
        for match in TYPED_PERCENT.finditer(prose)
        if match[1] in report_figures
        and not re.search(r"(floor|target|floor of)\s*$", prose[: match.start()])
    ]
    assert typed == [], f"type these as {{{{ report ... }}}} placeholders: {typed}"


@pytest.mark.parametrize("page", LINKED, ids=_name)
def test_links_point_at_files_of_the_repository(page):
    # What GitHub shows: every relative link resolves from the file's own folder.
    markdown = page.read_text(encoding="utf-8")
    prose = "\n".join(piece for piece, is_prose in figures._prose(markdown) if is_prose)
    for match in figures.LINK.finditer(prose):
        target = match[2]
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (page.parent / target).exists(), f"{_name(page)}: {target}"


def test_github_links_become_site_links():
    assert figures.rewrite_links("[a](docs/guide/why.md#x)", "CONTRIBUTING.md") == (
        "[a](guide/why.md#x)"
    )
    assert (
        figures.rewrite_links(
            "[r](../../reports/cnn/report.md) [c](../../CONTRIBUTING.md) [n](numbers.md)",
            "docs/how-it-works/not-a-digit.md",
        )
        == "[r](../reports/cnn/report.md) [c](../CONTRIBUTING.md) [n](numbers.md)"
    )
    assert figures.rewrite_links("![m](confusion.png)", "reports/cnn/report.md") == (
        "![m](confusion.png)"
    )
