"""Files nobody vouches for: the one hardened door every read goes through.

Regular files of bounded size only, opened without blocking; pictures decoded in a
resource-limited child; writes that are either the old file or the complete new one.
"""

from __future__ import annotations

from digitpad.core.files._atomic import (
    TEMP_PREFIX,
    atomic_open,
    atomic_write_bytes,
    atomic_write_with,
)
from digitpad.core.files._image_io import (
    ALLOWED_FORMATS,
    CHILD_DECODE_ABOVE_PIXELS,
    MAX_FILE_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    NOT_A_PICTURE,
    ImageLoadError,
    decodes_in_a_child,
    load_image,
    load_image_stream,
)
from digitpad.core.files._json_data import MAX_JSON_DEPTH, parse_json_data, read_json_file
from digitpad.core.files._npz import NpzMember, read_npz_file
from digitpad.core.files._picture_child import (
    CHILD_ARGUMENT,
    DEFAULT_LIMITS,
    ChildLimits,
    PictureChildError,
    child_command,
)
from digitpad.core.files._picture_child_main import child_main
from digitpad.core.files._pixel_values import (
    to_uint8,
)
from digitpad.core.files._untrusted_files import (
    UntrustedFileError,
    first_line,
    open_regular_file,
    os_reason,
    read_regular_file,
)

__all__ = [
    "ALLOWED_FORMATS",
    "CHILD_ARGUMENT",
    "CHILD_DECODE_ABOVE_PIXELS",
    "DEFAULT_LIMITS",
    "MAX_FILE_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_PIXELS",
    "MAX_SIDE",
    "NOT_A_PICTURE",
    "TEMP_PREFIX",
    "ChildLimits",
    "ImageLoadError",
    "NpzMember",
    "PictureChildError",
    "UntrustedFileError",
    "atomic_open",
    "atomic_write_bytes",
    "atomic_write_with",
    "child_command",
    "child_main",
    "decodes_in_a_child",
    "first_line",
    "load_image",
    "load_image_stream",
    "open_regular_file",
    "os_reason",
    "parse_json_data",
    "read_json_file",
    "read_npz_file",
    "read_regular_file",
    "to_uint8",
]
