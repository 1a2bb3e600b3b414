"""Running code under test as an ordinary user, so permission bits apply even under root.

Root reads any file whatever its mode, so a "permission denied" case cannot happen to a
test suite run as root (CI does). ``run_unprivileged`` forks; when this process is root,
the child gives up root for good (uid and gid ``nobody``, no supplementary groups) before
it runs the code under test, then hands back what it returned, or the exception it
raised, as plain text. The files involved must sit where ``nobody`` can reach them:
``reachable_folder`` makes one.

The checkout itself may sit where ``nobody`` cannot go (a private temporary folder, a
0700 home as Debian 12 makes them). The child then imports all of digitpad before it
gives up root and reads the bundled assets (models, samples) from a world-readable copy,
so only the files a test locks are out of its reach.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib
import json
import os
import pkgutil
import select
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

import digitpad
from digitpad.core import assets_dir

NOBODY = 65534  # uid and gid of "nobody" on Linux and the BSDs


def is_root() -> bool:
    return os.geteuid() == 0


def _drop_root() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
    if os.geteuid() != NOBODY or os.getegid() != NOBODY:
        raise PermissionError("still privileged after setuid")


def run_unprivileged(action: Callable[[], str], timeout: float = 30.0) -> str:
    """``action()`` in a forked child that is not root; its result, or the test fails.

    An exception in the child (an assertion included) fails the test with the child's
    message; a child that does not answer within ``timeout`` seconds is killed and the
    test fails. Where root cannot become ``nobody`` (no CAP_SETUID), the test skips.
    """
    assets_copy = _assets_copy_for_others() if is_root() else None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        with contextlib.suppress(BaseException):
            data = json.dumps(_child_reply(action, assets_copy)).encode()
            while data:
                data = data[os.write(write_end, data) :]
        os._exit(0)
    os.close(write_end)
    answer = None
    try:
        answer = _read_until_closed(read_end, timeout)
    finally:
        os.close(read_end)
        if answer is None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if answer is None:
        pytest.fail(f"the unprivileged child did not answer within {timeout:.0f} s")
    reply = json.loads(answer) if answer else {"error": "the child died without answering"}
    if "skip" in reply:
        pytest.skip(reply["skip"])
    if "error" in reply:
        pytest.fail(f"in the unprivileged child: {reply['error']}")
    result = reply["result"]
    assert isinstance(result, str)
    return result


def _child_reply(action: Callable[[], str], assets_copy: Path | None) -> dict[str, str]:
    if is_root():
        # Pillow imports its format plugins on first use. Once nobody, the child could
        # not import them from an interpreter kept in a folder closed to other users
        # (pyenv under /root): every picture would be "not a picture".
        Image.init()
        try:
            if assets_copy is not None:
                _leave_the_closed_checkout(assets_copy)
        except BaseException as error:
            return _error(error)
        try:
            _drop_root()
        except OSError as error:
            return {"skip": f"root cannot become nobody here ({error})"}
    try:
        return {"result": action()}
    except BaseException as error:
        return _error(error)


def _error(error: BaseException) -> dict[str, str]:
    return {"error": f"{type(error).__name__}: {error}"}


def _closed_folder(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that other users cannot pass, if any."""
    for folder in reversed([path, *path.parents]):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


@functools.cache
def _assets_copy_for_others() -> Path | None:
    """None when ``nobody`` can reach the bundled assets (and the code beside them) where
    they are; otherwise a world-readable folder holding a copy of them as ``assets``,
    made once and removed when the session ends."""
    if _closed_folder(assets_dir()) is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="digitpad-unprivileged-assets-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copytree(assets_dir(), folder / "assets")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def _leave_the_closed_checkout(assets_copy: Path) -> None:
    """In the child, still root: import every digitpad module now (nobody could not read
    them from the checkout), and read the bundled assets from their copy."""
    for module in pkgutil.walk_packages(digitpad.__path__, "digitpad."):
        if not module.name.endswith(".__main__"):
            importlib.import_module(module.name)
    paths = sys.modules[assets_dir.__module__]  # the one place assets_dir() looks
    paths._PACKAGE_DIR = assets_copy
    if assets_dir() != assets_copy / "assets":
        raise RuntimeError(f"the bundled assets still come from {assets_dir()}")


def _read_until_closed(descriptor: int, timeout: float) -> bytes | None:
    """Everything written to the pipe until its writer closes it, or None on timeout."""
    chunks = []
    while True:
        ready, _, _ = select.select([descriptor], [], [], timeout)
        if not ready:
            return None
        chunk = os.read(descriptor, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


@contextlib.contextmanager
def reachable_folder(fallback: Path) -> Iterator[Path]:
    """A fresh folder ``nobody`` can reach and read (under the system's temporary folder)
    when this process is root; otherwise ``fallback`` (the test's own ``tmp_path``)."""
    if not is_root():
        yield fallback
        return
    folder = Path(tempfile.mkdtemp(prefix="digitpad-unprivileged-"))
    try:
        folder.chmod(0o755)
        closed = _closed_folder(folder)
        if closed is not None:
            pytest.skip(f"{closed} is closed to other users")
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:  # open what a test locked, then delete
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(folder)
