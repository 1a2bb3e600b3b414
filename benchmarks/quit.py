"""How long the process lives after the window closes: ``python -m benchmarks.quit``.

Each run launches the window (``--quit-when-shown``: shown, models loaded, then the
event loop ends as after Ctrl+Q) and times from the shown marker to the process's end,
once through the real entry point (``digitpad.ui.app.run``: ``exit_at_once``) and once
returning from ``main`` into a normal interpreter exit, which tears down every module,
Qt wrapper and onnxruntime session first. ``--session`` also times closing the window
after a session (drawing, Why?, a number, a fine-tune: ``benchmarks.quit_session``) and
while a fine-tune runs, from the moment it is closed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

from benchmarks.quit_session import CLOSING_MARKER
from benchmarks.startup import launch_until, launch_until_shown

LAUNCHES = {
    "digitpad-gui (exit_at_once)": "from digitpad.ui.app import run; run()",
    "normal interpreter exit": "import sys; from digitpad.ui.app import main; sys.exit(main())",
}


def time_one_exit(code: str, environment: dict[str, str]) -> float:
    """Seconds from the window-shown marker to the process's end."""
    process, shown = launch_until_shown(code, environment)
    process.wait()
    ended = time.perf_counter()
    assert process.stdout is not None
    process.stdout.close()
    return ended - shown


def time_one_session(environment: dict[str, str], close_while_fine_tuning: bool) -> float:
    """Seconds from closing the window after a session to the process's end."""
    extra = ["--fine-tune"] if close_while_fine_tuning else []
    command = [sys.executable, "-m", "benchmarks.quit_session", *extra]
    process, closing = launch_until(command, environment, CLOSING_MARKER)
    process.wait()
    assert process.stdout is not None
    process.stdout.close()
    return time.perf_counter() - closing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches per variant (default 5)")
    parser.add_argument("--session", action="store_true", help="also after a session")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        environment = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home}
        for name, code in LAUNCHES.items():
            times = [time_one_exit(code, environment) for _ in range(args.runs)]
            print(
                f"{name}: shown -> process gone median {statistics.median(times):.3f} s, "
                f"worst {max(times):.3f} s ({args.runs} runs)"
            )
        if args.session:
            for name, during in (("after a session", False), ("during a fine-tune", True)):
                times = [time_one_session(environment, during) for _ in range(args.runs)]
                print(
                    f"{name}: closed -> process gone median {statistics.median(times):.3f} s, "
                    f"worst {max(times):.3f} s ({args.runs} runs)"
                )
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
