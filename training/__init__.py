"""Training, export and evaluation of digitpad's two MNIST models (needs the train extra).

The app never imports this package: it ships the exported ONNX files only.
"""
