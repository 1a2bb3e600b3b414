"""Wrap the PyInstaller bundle in a Debian package: /opt/digitpad plus menu integration.

Run as a script, it prints the system packages the bundle needs, for apt-get::

    sudo apt-get install $(python3 packaging/debian_package.py)

The package holds the bundle under ``/opt/digitpad``, a ``/usr/bin/digitpad`` symlink, the
desktop entry and hicolor icons, and depends on the system libraries the bundle leaves to
the system (``DEB_DEPENDS``, plus whatever ``ldd`` finds the bundle linking to).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

PACKAGE = "digitpad"
INSTALL_DIR = Path("opt") / PACKAGE
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MAINTAINER = "digitpad maintainers <maintainers@digitpad.invalid>"
SUMMARY = "handwritten digit recognizer: draw a digit, two neural networks read it"
DESCRIPTION = """\
Draw a digit with the mouse or a pen tablet, or open an image, and watch two
neural networks trained on MNIST, a dense network and a CNN, give their
probabilities for 0-9 side by side, live. Self-contained: it brings its own
Python, Qt and ONNX Runtime."""

# The libraries the bundle expects from the system (digitpad.spec leaves them out): OpenGL,
# fonts, D-Bus, keyboard handling and everything Qt's xcb and wayland platform plugins link.
# The same list must be installed on the building machine, or PyInstaller silently drops
# the xcb plugin. Package names as in Debian 12 / Ubuntu 22.04 (newer releases provide them).
DEB_DEPENDS = (
    "libgl1", "libegl1", "libfontconfig1", "libfreetype6", "libglib2.0-0", "libdbus-1-3",
    "libxkbcommon0", "libxkbcommon-x11-0", "libx11-6", "libx11-xcb1", "libxcb1",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render0", "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1",
    "libxcb-util1", "libxcb-xfixes0", "libxcb-xkb1",
    "libwayland-client0", "libwayland-cursor0", "libwayland-egl1",
)  # fmt: skip


def missing_system_packages() -> list[str]:
    """The ``DEB_DEPENDS`` packages not installed here (empty where dpkg cannot tell)."""
    if shutil.which("dpkg-query") is None:
        return []
    missing = []
    for package in DEB_DEPENDS:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        if status.returncode != 0 or "ok installed" not in status.stdout:
            missing.append(package)
    return missing


def folder_size(folder: Path) -> int:
    """Bytes in the files below ``folder`` (symlinks not followed, like ``du -b``)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def _elf_files(folder: Path) -> list[Path]:
    elves = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    elves.append(path)
    return elves


def system_libraries_linked_by(bundle: Path) -> set[Path]:
    """Every library outside the bundle that its executables and libraries link to.

    Raises SystemExit naming any library ``ldd`` cannot find on this machine, since the
    package's Depends could not cover it.
    """
    internal = (bundle / "_internal").resolve()
    search = [internal, internal / "PySide6" / "Qt" / "lib"]
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(map(str, search))}
    found: set[Path] = set()
    unresolved: set[str] = set()
    for elf in _elf_files(bundle):
        result = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            name, arrow, target = line.strip().partition(" => ")
            if not arrow:
                continue
            location = target.split(" (")[0].strip()
            if location == "not found":
                unresolved.add(f"{name} (needed by {elf.relative_to(bundle)})")
            elif not Path(location).resolve().is_relative_to(internal):
                found.add(Path(location))
    if unresolved:
        raise SystemExit("debian_package: missing on this machine: " + "; ".join(unresolved))
    return found


def packages_providing(libraries: set[Path]) -> set[str]:
    """The Debian packages owning these files, as ``dpkg -S`` knows them (usrmerge aware)."""
    candidates = set()
    for library in libraries:
        for path in (library, library.resolve()):
            candidates.add(str(path))
            text = str(path)
            candidates.add(text[4:] if text.startswith("/usr/") else "/usr" + text)
    result = subprocess.run(["dpkg", "-S", *sorted(candidates)], capture_output=True, text=True)
    packages = set()
    for line in result.stdout.splitlines():
        owner = line.split(": ", 1)[0]
        packages.update(name.split(":")[0] for name in owner.split(", "))
    return packages


def glibc_floor(bundle: Path) -> str:
    """The newest ``GLIBC_x.y`` symbol version any binary in the bundle requires.

    The bundle runs on no older C library, so the package says so (``libc6 (>= x.y)``)
    and apt refuses an install that could only crash at start.
    """
    versions = set()
    for elf in _elf_files(bundle):
        dump = subprocess.run(["objdump", "-p", str(elf)], capture_output=True, text=True)
        versions.update(re.findall(r"\bGLIBC_(\d+(?:\.\d+)+)\b", dump.stdout))
    return max(versions, key=lambda version: tuple(map(int, version.split("."))))


def debian_architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _stage_tree(bundle: Path, assets: Path, root: Path) -> None:
    """Lay out the installed file system under ``root``."""
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True, copy_function=_link_or_copy)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / PACKAGE).symlink_to(Path("/") / INSTALL_DIR / PACKAGE)
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(assets / f"{PACKAGE}.desktop", share / "applications" / f"{PACKAGE}.desktop")
    icons = share / "icons" / "hicolor"
    for size in ICON_SIZES:
        folder = icons / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(assets / "icons" / f"{PACKAGE}-{size}.png", folder / f"{PACKAGE}.png")
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(assets / "icons" / f"{PACKAGE}.svg", icons / "scalable" / "apps")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {PACKAGE}\n\nFiles: *\nCopyright: digitpad maintainers\n"
        "License: MIT\n",
        encoding="utf-8",
    )


def _control(version: str, architecture: str, depends: list[str], installed_kib: int) -> str:
    description = "\n".join(f" {line}" if line else " ." for line in DESCRIPTION.splitlines())
    return (
        f"Package: {PACKAGE}\nVersion: {version}\nArchitecture: {architecture}\n"
        f"Maintainer: {MAINTAINER}\nInstalled-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\nSection: science\nPriority: optional\n"
        f"Description: {SUMMARY}\n{description}\n"
    )


def build_deb(bundle: Path, assets: Path, version: str, work_dir: Path, dist: Path) -> Path:
    """Stage the tree in ``work_dir`` and build ``dist/digitpad_<version>_<arch>.deb``."""
    architecture = debian_architecture()
    root = work_dir / f"{PACKAGE}_{version}_{architecture}"
    shutil.rmtree(root, ignore_errors=True)
    _stage_tree(bundle, assets, root)
    linked = packages_providing(system_libraries_linked_by(bundle))
    depends = [f"libc6 (>= {glibc_floor(bundle)})", *DEB_DEPENDS]
    depends += sorted(linked - set(DEB_DEPENDS) - {"libc6"})
    installed_kib = folder_size(root) // 1024
    control_dir = root / "DEBIAN"
    control_dir.mkdir()
    (control_dir / "control").write_text(
        _control(version, architecture, depends, installed_kib), encoding="utf-8"
    )
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir() and not p.is_symlink()]]:
        folder.chmod(0o755)
    deb = dist / f"{PACKAGE}_{version}_{architecture}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return deb


if __name__ == "__main__":
    print(" ".join(DEB_DEPENDS))
