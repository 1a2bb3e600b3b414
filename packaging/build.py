"""Build digitpad's desktop packages: a one-folder PyInstaller bundle and its archives.

    pip install ".[bundle]" && python packaging/build.py     # in a lean environment
    python packaging/build.py --venv .venv-bundle            # or let it make that env

writes ``dist/digitpad/`` (the bundle), ``dist/digitpad-<version>-<os>-<arch>.tar.gz``
(``.zip`` on Windows) and, on Debian-like Linux, ``dist/digitpad_<version>_<arch>.deb``.

Build from an environment holding only the app's runtime dependencies: whatever else is
installed can leak into the bundle (TensorFlow through onnxruntime.transformers), which
is why ``--venv`` exists and why the bundle test uses it.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import venv
import zipfile
from pathlib import Path

from debian_package import build_deb, folder_size, missing_system_packages
from elf_slim import slim_folder

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "digitpad.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE = DIST / "digitpad"
# Never in the bundle, whatever the environment holds (see digitpad.spec's excludes).
FORBIDDEN_IN_BUNDLE = ("tensorflow", "keras", "torch", "tf2onnx")


def read_version() -> str:
    """The version in digitpad/__init__.py, read as text so nothing gets imported."""
    text = (ROOT / "digitpad" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("build.py: no __version__ in digitpad/__init__.py")
    return match.group(1)


def platform_tag() -> str:
    """``linux-x86_64``, ``windows-x86_64``, ``macos-arm64``: the archive's name suffix."""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def venv_python(venv_dir: Path) -> Path:
    """The interpreter inside a virtual environment, on any platform."""
    if sys.platform == "win32":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def prepare_build_venv(venv_dir: Path) -> Path:
    """Create (or update) a venv holding only ``.[bundle]``: the app's deps + PyInstaller."""
    if not venv_python(venv_dir).exists():
        print(f"build.py: creating the build environment {venv_dir}", flush=True)
        venv.create(venv_dir, with_pip=True)
    python = venv_python(venv_dir)
    subprocess.run([python, "-m", "pip", "install", "--quiet", f"{ROOT}[bundle]"], check=True)
    return python


def ensure_system_libraries(install: bool) -> None:
    """Make sure Qt's xcb plugin can be collected: its libraries must be on this machine.

    Without them PyInstaller only warns and ships a bundle that cannot open a window on X11.
    """
    missing = missing_system_packages()
    if shutil.which("strip") is None:
        missing.append("binutils")  # packaging/elf_slim.py strips the libraries with it
    if not missing:
        return
    can_apt = install and shutil.which("apt-get") and os.geteuid() == 0
    if not can_apt:
        raise SystemExit(
            "build.py: the bundle needs these system packages on the building machine:\n"
            f"    sudo apt-get install {' '.join(missing)}"
        )
    print(f"build.py: apt-get install {' '.join(missing)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )


def run_pyinstaller() -> None:
    """Build ``dist/digitpad`` from the spec, with the running interpreter's packages."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK / "pyinstaller"),
            str(SPEC),
        ],
        check=True,
    )


def check_bundle(bundle: Path) -> None:
    """Fail the build when the bundle misses what it needs or holds what it must not."""
    internal = bundle / "_internal"
    leaked = sorted(
        str(path.relative_to(bundle))
        for path in internal.rglob("*")
        if any(name in path.name.lower() for name in FORBIDDEN_IN_BUNDLE)
    )
    if leaked:
        raise SystemExit(f"build.py: the bundle must not hold {leaked[:5]}")
    required = [internal / "digitpad" / "assets" / "models"]
    if sys.platform.startswith("linux"):
        required.append(internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so")
    for path in required:
        if not path.exists():
            raise SystemExit(f"build.py: the bundle lacks {path.relative_to(bundle)}")


def make_archive(bundle: Path, archive_stem: Path) -> Path:
    """Pack the bundle folder as ``digitpad/...``: tar.gz (zip on Windows)."""
    if sys.platform == "win32":
        archive = archive_stem.with_name(archive_stem.name + ".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(bundle.rglob("*")):
                zipped.write(path, path.relative_to(bundle.parent))
        return archive
    archive = archive_stem.with_name(archive_stem.name + ".tar.gz")
    with tarfile.open(archive, "w:gz", compresslevel=9) as tar:
        tar.add(bundle, arcname=bundle.name)
    return archive


def main(argv: list[str] | None = None) -> int:
    """Check the machine, then build (in ``--venv`` if given) and print sizes and time."""
    parser = argparse.ArgumentParser(description="Build digitpad's bundle, archive and .deb.")
    parser.add_argument(
        "--venv",
        type=Path,
        help="build inside this virtual environment (created if missing) holding only "
        "'.[bundle]', instead of the running interpreter's",
    )
    parser.add_argument("--no-deb", action="store_true", help="skip the Debian package")
    parser.add_argument(
        "--no-apt",
        action="store_true",
        help="only check the system libraries the bundle needs, never apt-get install them",
    )
    args = parser.parse_args(argv)
    if sys.platform.startswith("linux"):
        ensure_system_libraries(install=not args.no_apt)
    if args.venv is not None:
        python = prepare_build_venv(args.venv.resolve())
        rest = ["--no-apt"] + (["--no-deb"] if args.no_deb else [])
        return subprocess.run([python, __file__, *rest]).returncode

    version = read_version()
    started = time.perf_counter()
    run_pyinstaller()
    if sys.platform.startswith("linux"):
        saved = slim_folder(BUNDLE / "_internal")
        print(f"build.py: symbol tables and padding: {saved / 2**20:.1f} MiB less", flush=True)
    check_bundle(BUNDLE)
    print(f"build.py: bundle built in {time.perf_counter() - started:.0f} s", flush=True)
    archive = make_archive(BUNDLE, DIST / f"digitpad-{version}-{platform_tag()}")
    print(f"build.py: archived at {time.perf_counter() - started:.0f} s", flush=True)
    outputs = [archive]
    if sys.platform.startswith("linux") and not args.no_deb and shutil.which("dpkg-deb"):
        outputs.append(build_deb(BUNDLE, ROOT / "assets", version, WORK / "deb", DIST))
    elapsed = time.perf_counter() - started
    print(f"bundle   {BUNDLE}  {folder_size(BUNDLE) / 1e6:.1f} MB unpacked")
    for output in outputs:
        print(f"package  {output}  {output.stat().st_size / 1e6:.1f} MB")
    print(f"built in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
