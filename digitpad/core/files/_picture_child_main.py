"""The picture child's own code: limit this process, decode standard input, reply.

Kept apart from ``_picture_child`` (the parent's side and the reply format) because it
needs the in-process reader, which itself starts children.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import BinaryIO

from PIL import Image

from digitpad.core.files import _image_io
from digitpad.core.files._picture_child import PictureChildError, _error_reply, _reply_for
from digitpad.core.files._untrusted_files import first_line


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    """Cap this process before it reads a byte of the picture (POSIX; else only the
    parent's timeout applies)."""
    try:
        import resource
    except ImportError:
        return
    limits = (
        (resource.RLIMIT_AS, memory_mb * 1024 * 1024, memory_mb * 1024 * 1024),
        # SIGXCPU at the soft limit (so the parent can say why), SIGKILL a second later.
        (resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1),
        (resource.RLIMIT_FSIZE, 0, 0),  # it writes no file
        (resource.RLIMIT_CORE, 0, 0),  # a crash leaves no core dump of someone's picture
    )
    for kind, soft, hard in limits:
        # A platform that refuses one limit (macOS: RLIMIT_AS) keeps the others.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (soft, hard))


def child_main(arguments: list[str]) -> int:
    """The child: decode standard input, write the reply to standard output, exit.

    ``arguments`` are ``[CHILD_ARGUMENT, memory_mb, cpu_seconds, max_side]``.
    """
    reply_to = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the reply
    try:
        memory_mb, cpu_seconds, max_side = (int(value) for value in arguments[1:4])
    except ValueError:
        return 2
    Image.init()  # every plugin imported now, before the limits
    _limit_resources(memory_mb, cpu_seconds)
    try:
        source = _standard_input(_image_io.MAX_FILE_BYTES)
        picture = _image_io.read_picture_in_process(source, max_side)
        reply = _reply_for(picture)
    except _image_io.ImageLoadError as error:
        reply = _error_reply(error.reason)
    except PictureChildError as error:
        reply = _error_reply(str(error))
    except MemoryError:
        reply = _error_reply("the image is too large to open safely")
    except Exception as error:
        reply = _error_reply(f"the image data is damaged ({first_line(error)})")
    reply_to.write(reply)
    reply_to.flush()
    return 0


def _standard_input(max_bytes: int) -> BinaryIO:
    """The picture: the file itself when the parent handed one over, else the pipe's bytes."""
    stream = sys.stdin.buffer
    if stream.seekable():
        stream.seek(0)
        return stream
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PictureChildError(f"more than {max_bytes // (1024 * 1024)} MB is too large")
    return io.BytesIO(data)
