"""digitpad: draw a digit and see how two MNIST networks read it."""

import os

# The recognition core resamples tiny images with small matrix products. OpenBLAS would
# spread each over worker threads, and waking them costs far more than the product
# itself (25 ms instead of 0.05 ms per prediction on a busy machine). This only takes
# effect when digitpad is imported before numpy, as the app and command line do.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "1.0.0"
