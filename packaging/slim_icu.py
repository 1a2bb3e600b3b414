"""A smaller ICU data library for the bundle: the ICU that Qt links keeps 32 MB of data.

``libQt6Core`` needs ``libicudata.so.<N>`` to load, but digitpad's window is English
only and never asks ICU for another language's names, calendars, collation, legacy text
encodings, transliteration or Thai/CJK word breaking: that is nearly all of the 32 MB.
This rebuilds the library (``icupkg`` from ICU's tools and the C compiler) holding the
data Qt can reach for an English UI: the root and English locales, the normalisation,
property and time-zone tables. Qt calls ICU for case mapping, collation, text codecs and
time-zone names only (``nm -D --undefined-only libQt6Core.so.6``), so the break rules,
Unicode character names, the spoofing and IDNA tables and the display names of
languages, currencies and units go too (1.3 MB). ICU answers a lookup of anything left
out with an error code, which Qt treats as "not available" (as on a system built with
less ICU data).

Run by packaging/digitpad.spec; without ``icupkg`` or a compiler the full library stays.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

# A locale's own file: "de.res", "sr_Latn_BA.res", "brkitr/fi.res" (not "pool.res").
_LOCALE_FILE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
_KEPT_LOCALES = re.compile(r"^(en|en_[A-Za-z0-9_]*|root|res_index)\.res$")
# Whole kinds of data an English UI never loads, or that only ICU services Qt never
# calls read (break iterators, u_charName, uspoof, uidna, locale display names).
_DROPPED_FOLDERS = ("translit/", "rbnf/", "brkitr/", "curr/", "lang/", "unit/")
_DROPPED_SUFFIXES = (".dict",)
_DROPPED_ITEMS = ("unames.icu", "confusables.cfu", "confusablesWholeScript.cfu", "uts46.nrm")
# Legacy text encodings: the single-byte tables (windows-1252, latin-2, ...; 0.5 MB for
# 150) stay, the multi-byte CJK ones (4.6 MB for 40) go.
_LARGEST_KEPT_CONVERTER = 8 * 1024


def kept(item: str, size: int = 0) -> bool:
    """Whether one item of the ICU data package (``coll/de.res``, ``ibm-943.cnv``) of
    ``size`` bytes stays."""
    if item.startswith(_DROPPED_FOLDERS) or item.endswith(_DROPPED_SUFFIXES):
        return False
    if item in _DROPPED_ITEMS:
        return False
    if item.endswith(".cnv"):
        return size < _LARGEST_KEPT_CONVERTER
    name = item.rsplit("/", 1)[-1]
    return not _LOCALE_FILE.match(name) or bool(_KEPT_LOCALES.match(name))


def _data_symbol(library: Path) -> tuple[str, int, int]:
    """The ``icudtNN_dat`` symbol of ``library``: its name, file offset and size."""
    symbols = subprocess.run(
        ["readelf", "-W", "--dyn-syms", str(library)], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(
        r"([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+(icudt\d+_dat)", symbols
    )
    if match is None:
        raise ValueError(f"{library.name} holds no icudt*_dat symbol")
    address, size, name = int(match.group(1), 16), int(match.group(2), 0), match.group(3)
    sections = subprocess.run(
        ["readelf", "-W", "-S", str(library)], capture_output=True, text=True, check=True
    ).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return name, address - section_address + section_offset, size
    raise ValueError(f"{library.name} has no .rodata section")


def slim_icu_data(library: Path, workdir: Path) -> Path | None:
    """A rebuilt ``library`` (``libicudata.so.N``) in ``workdir``, or None without the tools."""
    icupkg, compiler = shutil.which("icupkg"), shutil.which("cc") or shutil.which("gcc")
    if icupkg is None or compiler is None or shutil.which("readelf") is None:
        return None
    workdir.mkdir(parents=True, exist_ok=True)
    symbol, offset, size = _data_symbol(library)
    with library.open("rb") as stream:
        stream.seek(offset)
        # icupkg reads the package's name (icudt73l: version, little-endian) off the file's.
        full = workdir / f"{symbol.removesuffix('_dat')}l.dat"
        full.write_bytes(stream.read(size))
    items = subprocess.run(
        [icupkg, "-l", str(full)], capture_output=True, text=True, check=True
    ).stdout.split()
    converters = workdir / "converters"
    converters.mkdir(exist_ok=True)
    listed = workdir / "converters.txt"
    listed.write_text("\n".join(item for item in items if item.endswith(".cnv")) + "\n")
    subprocess.run([icupkg, "-d", str(converters), "-x", str(listed), str(full)], check=True)
    sizes = {path.name: path.stat().st_size for path in converters.glob("*.cnv")}
    dropped = workdir / "dropped.txt"
    dropped.write_text(
        "\n".join(item for item in items if not kept(item, sizes.get(item, 0))) + "\n"
    )
    slim = workdir / "slim" / full.name
    slim.parent.mkdir(exist_ok=True)
    subprocess.run([icupkg, "--ignore-deps", "-r", str(dropped), str(full), str(slim)], check=True)
    source = workdir / "icudata.s"
    source.write_text(
        f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n"
        f'\t.balign 16\n{symbol}:\n\t.incbin "{slim}"\n\t.size {symbol}, .-{symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n'
    )
    output = workdir / library.name
    subprocess.run(
        [
            compiler,
            "-shared",
            "-nostdlib",
            f"-Wl,-soname,{library.name}",
            "-o",
            str(output),
            str(source),
        ],
        check=True,
    )
    return output
