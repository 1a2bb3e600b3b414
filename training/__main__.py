"""``python -m training``: see training/cli.py."""

from __future__ import annotations

import os
import sys

# Keep TensorFlow's C++ start-up chatter out of the progress lines (errors still show).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from training.cli import main  # after the variable: TensorFlow reads it on import

sys.exit(main())
