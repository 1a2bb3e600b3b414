"""digitpad: draw a digit and see how two MNIST networks read it."""

__version__ = "1.0.0"
