"""How long cancelling a big fine-tune takes, at each of its stages.

A store of ``--samples`` drawings (one made-up hand, ``benchmarks.handwriting``; 10,000
by default, the store that froze the window for 110 s on close) is fine-tuned on a
worker thread, as the window runs it; the main thread sets the cancel flag at the first
progress report of a stage (plus ``--into`` seconds) and times how long ``fine_tune``
takes to return from then. Listing the store (``SampleStore.samples``) is timed on its
own too: a fine-tune cancelled while it lists returns at once and leaves the listing to
end on its own thread. Everything is written to a temporary folder.

Run: ``python -m benchmarks.cancel_fine_tune [--samples 10000] [--into 0.5] [--stages ...]
[--store FOLDER] [--no-redraw]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

STAGES = (
    "Reading your samples",
    "Re-drawing your samples",
    "checking on your held-out samples",
    "learning from all",
)


def cancel_at(
    store: object, models_dir: Path, stage: str, into: float, redraw: bool
) -> tuple[float, str]:
    """Seconds from setting the cancel flag to ``fine_tune`` returning, and how it ended.

    Without ``redraw`` the samples are not re-drawn (the recipe's ``redraw`` has no
    copies), which reaches the training stages sooner and changes nothing in them.
    """
    from dataclasses import replace

    from digitpad.core import FineTuneError, fine_tune
    from digitpad.core.personal import FineTuneRecipe, NumpyNet, StrokeJitter, recipe_for

    no_copies = StrokeJitter(pens=(), variants=0)

    def recipe(net: NumpyNet) -> FineTuneRecipe:
        return recipe_for(net) if redraw else replace(recipe_for(net), redraw=no_copies)

    reached = threading.Event()
    cancel = threading.Event()
    outcome: list[str] = []

    def progress(fraction: float, message: str) -> None:
        if stage in message:
            reached.set()

    def work() -> None:
        try:
            fine_tune(
                store,  # type: ignore[arg-type]
                progress=progress,
                cancelled=cancel.is_set,
                models_dir=models_dir,
                recipe=recipe_for
                if redraw
                else lambda net: replace(recipe_for(net), redraw=no_copies),
            )
            outcome.append("finished")
        except FineTuneError as error:
            outcome.append(str(error))

    worker = threading.Thread(target=work)
    worker.start()
    while not reached.wait(0.01):
        if not worker.is_alive():
            return float("nan"), outcome[0] if outcome else "stopped early"
    time.sleep(into)
    asked = time.perf_counter()
    cancel.set()
    worker.join()
    return time.perf_counter() - asked, outcome[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument(
        "--store", type=Path, help="an existing store to fine-tune on (it is only read)"
    )
    parser.add_argument(
        "--no-redraw", action="store_true", help="no re-drawn copies (reaches training sooner)"
    )
    parser.add_argument("--into", type=float, default=0.5, help="seconds into the stage")
    parser.add_argument(
        "--stages", nargs="+", choices=STAGES, default=STAGES, help="the stages to cancel in"
    )
    args = parser.parse_args(argv)
    from benchmarks.handwriting import fill_store
    from digitpad.core import SampleStore

    with tempfile.TemporaryDirectory(prefix="digitpad-bench-") as folder:
        store = SampleStore(args.store or Path(folder) / "samples")
        if args.store is None:
            started = time.perf_counter()
            fill_store(store, args.samples // 10)
            took = time.perf_counter() - started
            print(f"store of {args.samples} samples written in {took:.0f} s")
        started = time.perf_counter()
        count = len(store.samples())
        print(f"listing it (SampleStore.samples, {count}): {time.perf_counter() - started:.2f} s")
        for stage in args.stages:
            seconds, ended = cancel_at(
                store, Path(folder) / "models", stage, args.into, not args.no_redraw
            )
            print(
                f"cancel {args.into:.1f} s into {stage!r:40} returned in {seconds:.3f} s ({ended})"
            )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
