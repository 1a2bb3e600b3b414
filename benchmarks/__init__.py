"""Commands that measure the recognition core: latency and round-trip accuracy."""
