"""Every performance budget in one table: ``python -m benchmarks [--only NAME ...]``.

Each measurement of ``benchmarks.budgets`` runs in a fresh process; the table gives each
figure, its budget and the machine's load average when it was taken, which on a shared
machine says how far to trust it. ``--markdown`` prints the table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks.budgets import MEASUREMENTS, Row


def measure(name: str) -> tuple[list[Row], float, float]:
    """The rows of one measurement, the load average before it and the seconds it took."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.budgets", name],
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return [Row(name, None, None, "", reason)], load, took
    rows = [Row(**json.loads(line)) for line in done.stdout.splitlines() if line.startswith("{")]
    return rows, load, took


def _figure(row: Row) -> str:
    if row.figure is None:
        return "-"
    return f"{row.figure:.3f}" if row.figure < 10 else f"{row.figure:.1f}"


def table(results: list[tuple[list[Row], float, float]], markdown: bool) -> str:
    """The rows as aligned text, or as a Markdown table."""
    lines = []
    header = ("budget", "figure", "limit", "unit", "verdict", "load", "note")
    body = [
        (
            row.name,
            _figure(row),
            "" if row.budget is None else f"{row.budget:g}",
            row.unit,
            row.verdict,
            f"{load:.1f}",
            row.note,
        )
        for rows, load, _ in results
        for row in rows
    ]
    if markdown:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines.extend("| " + " | ".join(cells) + " |" for cells in body)
    else:
        widths = [max(len(cells[i]) for cells in [header, *body]) for i in range(len(header))]
        for cells in [header, *body]:
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=list(MEASUREMENTS), help="these only")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    results = []
    for name in args.only or list(MEASUREMENTS):
        results.append(measure(name))
        print(f"measured {name} in {results[-1][2]:.0f} s", file=sys.stderr, flush=True)
    print(table(results, args.markdown))
    print(f"\n{os.cpu_count()} CPUs; load = 1-minute load average when each measurement began")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
