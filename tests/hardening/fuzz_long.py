"""The long fuzz run, done by hand: atheris (libFuzzer) on one reader of untrusted files.

    python -m tests.hardening.fuzz_long --minutes 10                    # pictures
    python -m tests.hardening.fuzz_long --minutes 10 --target samples   # strokes files

``images``: load_image + preprocess_bitmap; ``samples``: the samples store reading a
sample's strokes file and turning it into the models' input. Pillow and the core are
instrumented, so libFuzzer steers mutations into new code; the corpus starts from the
target's seeds and regression files. Any other exception than the target's own one-line
refusal (or a hang over 10 s) stops the run and writes the input to the target's
regression folder as ``crash-*``: keep it there, it becomes a test case. Needs
``pip install atheris`` (not a dependency of the suite).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["PIL", "digitpad"]):
    from tests.hardening.fuzz_inputs import REGRESSIONS, read_hostile_file, seed_files
    from tests.hardening.fuzz_sample_inputs import (
        SAMPLE_REGRESSIONS,
        read_hostile_sample,
        sample_seed_files,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--target", choices=("images", "samples"), default="images")
    args, libfuzzer_args = parser.parse_known_args()
    work = Path(tempfile.mkdtemp(prefix="digitpad-fuzz-"))
    corpus = work / "corpus"
    corpus.mkdir()
    images = args.target == "images"
    regressions = REGRESSIONS if images else SAMPLE_REGRESSIONS
    for number, seed in enumerate(seed_files() if images else sample_seed_files()):
        (corpus / f"seed-{number}").write_bytes(seed)
    for path in regressions.glob("*"):
        (corpus / path.name).write_bytes(path.read_bytes())
    target = work / "input"

    def one_input(data: bytes) -> None:
        if images:
            target.write_bytes(data)
            read_hostile_file(target)
        else:
            read_hostile_sample(work / "store", data)

    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={round(args.minutes * 60)}",
            "-timeout=10",
            "-rss_limit_mb=3000",
            "-max_len=65536",
            f"-artifact_prefix={regressions}/crash-",
            *libfuzzer_args,
            str(corpus),
        ],
        one_input,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
