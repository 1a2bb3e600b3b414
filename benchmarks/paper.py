"""Time to read a 12-megapixel phone photo of paper, in process and by the CLI.

The photos are ``training.paper_photos`` pictures enlarged to 4000 x 3000 (a 12 MP
phone's size), with fresh sensor noise and saved as the phone would (JPEG, quality 90).
In process, the time is the CLI's own path: load the file as ``digitpad predict`` does
(up to ``NUMBER_MAX_PIXELS``: a 12 MP JPEG decoded at half its size), find the writing,
split, run both models; wall and CPU time per read. The CLI time is the whole
``digitpad predict FILE`` process, start-up included, pinned to one core with
``taskset`` when it exists, with its bytecode written as installing does and a
throwaway home; next to its wall time, its CPU time (user + system), which the other
programs on a busy machine do not inflate, and its page faults (memory touched for the
first time costs CPU too), and the same for a small PNG of one drawn digit (the shipped
sample ``digit-7.png``).

Run: ``python -m benchmarks.paper [--photos 6] [--cli 3] [--frame 15 25]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from digitpad.core import Recognizer, load_image, read_number, samples_dir
from digitpad.core.number import NUMBER_MAX_PIXELS, NUMBER_MAX_SIDE
from training.paper_photos import KINDS, make_photo

SIZE = (4000, 3000)


def write_12mp(folder: Path, count: int, frame: tuple[float, float] | None = None) -> list[Path]:
    """``count`` 12 MP JPEG photos of numbers and digits of every kind, in ``folder``;
    ``frame``: how many times as tall as the writing (``make_photo``; default its own)."""
    rng = np.random.default_rng(0)
    paths = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        photo = make_photo("test", kind, index, 1 + index % 3, frame)
        big = Image.fromarray(photo.image).resize(SIZE, Image.Resampling.BICUBIC)
        values = np.asarray(big, np.float32) + rng.normal(0, 3, (SIZE[1], SIZE[0], 3))
        path = folder / f"{kind}-{index}.jpg"
        Image.fromarray(np.clip(values, 0, 255).astype(np.uint8)).save(path, quality=90)
        paths.append(path)
    return paths


def _read(recognizer: Recognizer, path: Path) -> None:
    """Read ``path`` as ``digitpad predict`` does."""
    read_number(recognizer, load_image(path, NUMBER_MAX_SIDE, NUMBER_MAX_PIXELS))


def in_process(paths: Sequence[Path], repeats: int) -> tuple[np.ndarray, np.ndarray]:
    """Milliseconds per read (load + find + split + models), every photo ``repeats``
    times: wall, CPU."""
    recognizer = Recognizer.from_default_locations()
    _read(recognizer, paths[0])  # warm the sessions
    wall, cpu = [], []
    for _ in range(repeats):
        for path in paths:
            started, started_cpu = time.perf_counter(), time.process_time()
            _read(recognizer, path)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return np.array(wall), np.array(cpu)


def by_cli(paths: Sequence[Path], runs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whole ``digitpad predict FILE`` processes on one core: milliseconds of wall and of
    CPU time, and page faults.

    One untimed run first writes the bytecode (an installed digitpad has it; with
    PYTHONDONTWRITEBYTECODE set, a checkout would compile every module on every run).
    """
    command = [sys.executable, "-c", "from digitpad.cli import run; run()"]
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    wall, cpu, faults = [], [], []
    with tempfile.TemporaryDirectory() as home:
        environment = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        first = [*pin, *command, "predict", str(paths[0])]
        subprocess.run(first, check=True, capture_output=True, env=environment)
        for _ in range(runs):
            for path in paths:
                started = time.perf_counter()
                process = subprocess.Popen(
                    [*pin, *command, "predict", str(path)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=environment,
                )
                _, status, usage = os.wait4(process.pid, 0)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
                faults.append(usage.ru_minflt)
                if os.waitstatus_to_exitcode(status) != 0:
                    raise RuntimeError(f"digitpad predict {path} failed")
    return np.array(wall), np.array(cpu), np.array(faults)


def _print_cli(label: str, wall: np.ndarray, cpu: np.ndarray, faults: np.ndarray) -> None:
    print(
        f"digitpad predict {label} (whole process, one core): median {np.median(wall):.0f} ms,"
        f" max {wall.max():.0f} ms; CPU (user + sys) median {np.median(cpu):.0f} ms;"
        f" {np.median(faults):,.0f} page faults"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paper", description=__doc__)
    parser.add_argument("--photos", type=int, default=len(KINDS), help="12 MP photos made")
    parser.add_argument("--repeats", type=int, default=3, help="in-process reads of each")
    parser.add_argument("--cli", type=int, default=1, help="CLI runs of each (0: none)")
    parser.add_argument(
        "--frame",
        type=float,
        nargs=2,
        metavar=("LOW", "HIGH"),
        help="the picture LOW to HIGH times as tall as the writing (writing small in the frame)",
    )
    arguments = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    frame = None if arguments.frame is None else (arguments.frame[0], arguments.frame[1])
    with tempfile.TemporaryDirectory() as folder:
        paths = write_12mp(Path(folder), arguments.photos, frame)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        print(f"{len(paths)} photos of {SIZE[0]}x{SIZE[1]} (JPEG, {size:.1f} MB each)")
        wall, cpu = in_process(paths, arguments.repeats)
        print(
            f"in process (load + read): median {np.median(wall):.0f} ms, max {wall.max():.0f} ms;"
            f" CPU median {np.median(cpu):.0f} ms"
        )
        if arguments.cli:
            _print_cli("FILE", *by_cli(paths, arguments.cli))
            _print_cli("digit-7.png", *by_cli([samples_dir() / "digit-7.png"], arguments.cli))
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
