"""``digitpad samples add|list|export|clear``: your handwriting samples from a terminal.

The same store the window uses (``<user data>/samples``), so samples added here show up
in the app and fine-tuning uses them all.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from digitpad.cli._command import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Runner
from digitpad.cli._output import display_path
from digitpad.core.personal import EXPORT_FORMATS, SampleError, SampleStore


def _digit(text: str) -> int:
    if text not in {str(d) for d in range(10)}:
        raise argparse.ArgumentTypeError(f"{text!r} is not a digit 0-9")
    return int(text)


def _samples_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad samples",
        description="Keep, list, export or delete samples of your handwriting "
        "(the store the window uses; 'digitpad fine-tune' trains on them).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="copy pictures of one digit into the store")
    add.add_argument("--label", type=_digit, required=True, metavar="D", help="the digit drawn")
    add.add_argument("files", nargs="+", metavar="FILE", help="image files")
    listing = actions.add_parser("list", help="count the samples per digit")
    listing.add_argument("--json", action="store_true", help="every sample as JSON")
    export = actions.add_parser("export", help="write the samples as MNIST-style 28x28 data")
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export.add_argument("out", metavar="OUT", help="a folder (idx, folder) or an .npz file (npz)")
    clear = actions.add_parser("clear", help="delete every sample")
    clear.add_argument("--yes", action="store_true", help="really delete them")
    return parser


def _problems(store: SampleStore) -> None:
    for problem in store.problems:
        print(f"digitpad: {problem}", file=sys.stderr)


def _add(store: SampleStore, arguments: argparse.Namespace) -> int:
    ok = True
    for path in arguments.files:
        try:
            sample = store.add_picture(arguments.label, path)
        except SampleError as error:
            ok = False
            print(f"error: {error}", flush=True)
        else:
            print(f"{display_path(path)}: added as a {sample.label} ({sample.id})", flush=True)
    return EXIT_OK if ok else EXIT_FAILED


def _list(store: SampleStore, arguments: argparse.Namespace) -> int:
    samples = store.samples()
    _problems(store)
    if arguments.json:
        document = {
            "store": str(store.root),
            "samples": [
                {
                    "id": s.id,
                    "label": s.label,
                    "kind": "drawing" if s.strokes is not None else "picture",
                    "image": str(s.image),
                    "created": s.created.isoformat(),
                }
                for s in samples
            ],
            "problems": list(store.problems),
        }
        print(json.dumps(document, ensure_ascii=False))
        return EXIT_OK
    counts = {d: sum(s.label == d for s in samples) for d in range(10)}
    print("digit  " + "  ".join(f"{d:>3}" for d in counts) + "  total")
    print("count  " + "  ".join(f"{n:>3}" for n in counts.values()) + f"  {len(samples):>5}")
    print(f"store: {store.root}")
    return EXIT_OK


def _export(store: SampleStore, arguments: argparse.Namespace) -> int:
    try:
        written = store.export(arguments.format, arguments.out)
    except (SampleError, OSError) as error:
        _problems(store)
        print(f"digitpad: cannot export: {error}", file=sys.stderr)
        return EXIT_FAILED
    _problems(store)
    print(f"exported {len(store.samples())} samples as {arguments.format}: {arguments.out}")
    print(f"{len(written)} file{'s' if len(written) != 1 else ''} written")
    return EXIT_OK


def _clear(store: SampleStore, arguments: argparse.Namespace) -> int:
    if not arguments.yes:
        print("digitpad: 'samples clear' deletes every sample; add --yes to do it", file=sys.stderr)
        return EXIT_USAGE
    removed = store.clear()
    print(f"removed {removed} sample{'s' if removed != 1 else ''}")
    return EXIT_OK


_ACTIONS: dict[str, Callable[[SampleStore, argparse.Namespace], int]] = {
    "add": _add,
    "list": _list,
    "export": _export,
    "clear": _clear,
}


def _run(arguments: argparse.Namespace) -> int:
    return _ACTIONS[arguments.action](SampleStore(), arguments)


RUNNER = Runner(build_parser=_samples_parser, run=_run)
