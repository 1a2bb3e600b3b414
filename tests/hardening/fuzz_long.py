"""The long fuzz runs, done by hand: atheris (libFuzzer) on one reader at a time.

    python -m tests.hardening.fuzz_long --minutes 10                    # pictures
    python -m tests.hardening.fuzz_long --target samples --minutes 10   # strokes files
    python -m tests.hardening.fuzz_long --target npz --minutes 10       # reference .npz
    python -m tests.hardening.fuzz_long --target cache --minutes 10     # neighbour cache

Targets: ``images`` is ``load_image`` + ``preprocess_bitmap`` (only ``ImageLoadError``
may escape); ``samples`` is the samples store reading a sample's strokes file and turning
it into the models' input (only one-line reasons and ``SampleError``); ``npz`` is
``read_reference_digits`` (only ``ReferenceDataError``, and what it returns is valid);
``cache`` is the neighbour cache's reader (never raises; an odd file is deleted). Pillow,
zipfile and the core are instrumented, so libFuzzer steers mutations into new code; the
corpus starts from the target's seeds and regression files. Any other exception (or a
hang over 10 s) stops the run and writes the input to the target's regressions folder as
``crash-*``: keep it there, it becomes a test case. Needs ``pip install atheris`` (not a
dependency of the suite).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["PIL", "digitpad", "zipfile"]):
    from tests.hardening.fuzz_inputs import REGRESSIONS, read_hostile_file, seed_files
    from tests.hardening.fuzz_npz_inputs import NPZ_TARGETS, FuzzTarget
    from tests.hardening.fuzz_sample_inputs import (
        SAMPLE_REGRESSIONS,
        read_hostile_sample,
        sample_seed_files,
    )


def _read_sample_file(path: Path) -> None:
    """The samples target through the common shape: the input file is a strokes file."""
    read_hostile_sample(path.parent / "store", path.read_bytes())


TARGETS = {
    "images": FuzzTarget(seed_files, read_hostile_file, REGRESSIONS, "input"),
    "samples": FuzzTarget(sample_seed_files, _read_sample_file, SAMPLE_REGRESSIONS, "input"),
    **NPZ_TARGETS,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=sorted(TARGETS), default="images")
    parser.add_argument("--minutes", type=float, default=10.0)
    args, libfuzzer_args = parser.parse_known_args()
    target = TARGETS[args.target]
    work = Path(tempfile.mkdtemp(prefix=f"digitpad-fuzz-{args.target}-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for number, seed in enumerate(target.seeds()):
        (corpus / f"seed-{number}").write_bytes(seed)
    for path in target.regressions.glob("*"):
        if path.is_file():
            (corpus / path.name).write_bytes(path.read_bytes())
    target.regressions.mkdir(parents=True, exist_ok=True)
    input_path = work / target.file_name

    def one_input(data: bytes) -> None:
        input_path.write_bytes(data)
        target.read(input_path)

    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={round(args.minutes * 60)}",
            "-timeout=10",
            "-rss_limit_mb=3000",
            "-max_len=65536",
            f"-artifact_prefix={target.regressions}/crash-",
            *libfuzzer_args,
            str(corpus),
        ],
        one_input,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
