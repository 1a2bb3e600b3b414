"""The X display check finds a local server without connecting to it: a probe connection
closed just before Qt connects made an X server with no other client (Xvfb) reset, and
Qt's own connection then failed on about every second start."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from digitpad.ui.display_check import _x_server_answers

SOCKETS = Path("/tmp/.X11-unix")


@pytest.fixture
def local_x_socket():
    """A listening socket where display :947's server would be (never accepted from)."""
    if not SOCKETS.is_dir():
        pytest.skip("no /tmp/.X11-unix on this machine")
    path = SOCKETS / "X947"
    if path.exists():
        pytest.skip(f"{path} is in use")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    server.setblocking(False)
    yield server
    server.close()
    path.unlink()


def test_a_local_display_is_found_without_a_connection(local_x_socket):
    assert _x_server_answers(":947")
    assert _x_server_answers(":947.0")
    with pytest.raises(BlockingIOError):  # nobody knocked
        local_x_socket.accept()


def test_a_display_without_a_server_is_refused():
    assert not _x_server_answers(":948")


def test_an_unknown_display_form_is_left_to_qt():
    assert _x_server_answers("wayland-0")
