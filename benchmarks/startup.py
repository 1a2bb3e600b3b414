"""How long from launching digitpad to a usable window: ``python -m benchmarks.startup``.

Each run starts a fresh Python process running the real entry point (models loaded, the
window shown), and the clock runs from just before the process is created until the
window reports it is on screen. One untimed launch first writes the bytecode, as
installing does. Printed: every run, then the median and the worst.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from digitpad.ui.app import SHOWN_MARKER

TARGET_SECONDS = 1.5
_LAUNCH = "import sys; from digitpad.ui.app import main; sys.exit(main(sys.argv[1:]))"


def launch_until_shown(
    code: str, environment: dict[str, str]
) -> tuple[subprocess.Popen[str], float]:
    """Start ``python -c code --quit-when-shown``; return it once its window is on screen.

    The second value is ``time.perf_counter()`` when the window reported itself shown.
    """
    return launch_until([sys.executable, "-c", code, "--quit-when-shown"], environment)


def launch_until(
    command: list[str], environment: dict[str, str], marker: str = SHOWN_MARKER
) -> tuple[subprocess.Popen[str], float]:
    """Start ``command``; return it, and ``time.perf_counter()``, once it prints ``marker``."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == marker:
            return process, time.perf_counter()
    process.wait()
    raise RuntimeError(f"digitpad exited with {process.returncode} before {marker!r}")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds process ``pid`` has used so far (Linux's /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_one_start_in_detail(environment: dict[str, str]) -> tuple[float, float, float | None]:
    """``time_one_start``'s two figures, and the CPU seconds used until the window was
    shown (None where /proc is missing): what start-up itself costs, without what the
    window starts in the background once it is on screen, or its exit."""
    started = time.perf_counter()
    process, shown = launch_until_shown(_LAUNCH, environment)
    cpu_at_shown = _cpu_seconds(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stdout is not None
    process.stdout.close()
    return shown - started, usage.ru_utime + usage.ru_stime, cpu_at_shown


def time_one_start(environment: dict[str, str]) -> tuple[float, float]:
    """Seconds from process creation to the window-shown marker, and the CPU seconds used.

    The CPU time (user + system, whole process life) does not grow when other programs
    compete for the processor, so it shows what the wall time would be on an idle machine.
    """
    seconds, cpu, _ = time_one_start_in_detail(environment)
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches to time (default 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        # A throwaway home keeps the launches from reading or writing real settings.
        environment = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home}
        # An installed digitpad has its bytecode compiled at install time; let the
        # untimed first launch write it, as a source checkout otherwise recompiles
        # every module on every start when PYTHONDONTWRITEBYTECODE is set.
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        time_one_start(environment)
        runs = [time_one_start_in_detail(environment) for _ in range(args.runs)]
    for number, (seconds, cpu, at_shown) in enumerate(runs, start=1):
        shown_text = "" if at_shown is None else f", {at_shown:.3f} s of it until shown"
        print(f"run {number}: {seconds:.3f} s (CPU {cpu:.3f} s{shown_text})")
    times = [seconds for seconds, _, _ in runs]
    median, worst = statistics.median(times), max(times)
    cpu_median = statistics.median(cpu for _, cpu, _ in runs)
    at_shown = [cpu for _, _, cpu in runs if cpu is not None]
    if at_shown:
        print(f"CPU until the window was shown: median {statistics.median(at_shown):.3f} s")
    platform = os.environ.get("QT_QPA_PLATFORM", "default")
    print(
        f"start-up to window shown (platform {platform}): "
        f"median {median:.3f} s, worst {worst:.3f} s; CPU median {cpu_median:.3f} s"
    )
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    verdict = "within" if worst <= TARGET_SECONDS else "OVER"
    print(f"{verdict} the {TARGET_SECONDS} s target")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
