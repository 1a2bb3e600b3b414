"""The long fuzz run, done by hand: atheris (libFuzzer) on load_image + preprocess_bitmap.

    python -m tests.hardening.fuzz_long --minutes 10

Pillow and the core are instrumented, so libFuzzer steers mutations into new code; the
corpus starts from ``seed_files()`` and the regression files. Any other exception than
``ImageLoadError`` (or a hang over 10 s) stops the run and writes the input to
``tests/hardening/regressions/crash-*``: keep it there, it becomes a test case. Needs
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args, libfuzzer_args = parser.parse_known_args()
    work = Path(tempfile.mkdtemp(prefix="digitpad-fuzz-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for number, seed in enumerate(seed_files()):
        (corpus / f"seed-{number}").write_bytes(seed)
    for path in REGRESSIONS.glob("*"):
        (corpus / path.name).write_bytes(path.read_bytes())
    target = work / "input"

    def one_input(data: bytes) -> None:
        target.write_bytes(data)
        read_hostile_file(target)

    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={round(args.minutes * 60)}",
            "-timeout=10",
            "-rss_limit_mb=3000",
            "-max_len=65536",
            f"-artifact_prefix={REGRESSIONS}/crash-",
            *libfuzzer_args,
            str(corpus),
        ],
        one_input,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
