"""Commands that measure digitpad (latency, accuracy, start-up, ...) and the synthetic
input they, the tests and the README screenshots share (drawn MNIST digits, hand-drawn
shapes); a developer tool, never part of the installed app."""
