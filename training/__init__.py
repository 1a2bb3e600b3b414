"""Training, export and evaluation of digitpad's MNIST models (needs the train extra).

The models are listed once, in training.specs.

The app never imports this package: it ships the exported ONNX files only.
"""
