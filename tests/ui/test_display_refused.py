"""A display that answers digitpad's probe, then refuses Qt (issue 21, item 11): one line
from digitpad and exit status 1, never Qt's multi-line advice and an abort."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest


@pytest.fixture
def refusing_display():
    """An "X server" on TCP that accepts each connection and closes it at once."""
    server = socket.socket()
    for number in range(90, 140):
        try:
            server.bind(("127.0.0.1", 6000 + number))
            break
        except OSError:
            continue
    else:
        pytest.skip("no free X display port between 6090 and 6139")
    server.listen()
    stop = threading.Event()

    def refuse() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            connection.close()

    thread = threading.Thread(target=refuse, daemon=True)
    thread.start()
    yield f"127.0.0.1:{number}"
    stop.set()
    thread.join()
    server.close()


def test_a_display_that_refuses_qt_gets_one_line(refusing_display, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
    }
    environment.update(DISPLAY=refusing_display, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "from digitpad.ui.app import run; run()"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("digitpad: cannot open a window: Qt could not start on the display")
    assert refusing_display in lines[0]
