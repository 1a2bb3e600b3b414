"""digitpad's recognition core: pictures in, both models' probabilities out.

No Qt and no TensorFlow here: the app, the command line, the training evaluation and the
tests all reach the models through this package.
"""

from __future__ import annotations

from digitpad.core._image_io import MAX_PIXELS, ImageLoadError, load_image
from digitpad.core._ink import has_dark_background
from digitpad.core._model import (
    INPUT_NAME,
    METADATA_FORMAT_VERSION,
    OUTPUT_NAME,
    ModelLoadError,
    ModelMetadata,
    OnnxModel,
)
from digitpad.core._paths import assets_dir, bundled_models_dir, user_models_dir
from digitpad.core._preprocess import preprocess_bitmap
from digitpad.core._recognizer import EXPECTED_MODELS, ModelLoadFailure, Recognizer
from digitpad.core._self_test import run_self_test, samples_dir
from digitpad.core._types import ModelPrediction, Point, Prediction, Stroke

__all__ = [
    "EXPECTED_MODELS",
    "INPUT_NAME",
    "MAX_PIXELS",
    "METADATA_FORMAT_VERSION",
    "OUTPUT_NAME",
    "ImageLoadError",
    "ModelLoadError",
    "ModelLoadFailure",
    "ModelMetadata",
    "ModelPrediction",
    "OnnxModel",
    "Point",
    "Prediction",
    "Recognizer",
    "Stroke",
    "assets_dir",
    "bundled_models_dir",
    "has_dark_background",
    "load_image",
    "preprocess_bitmap",
    "run_self_test",
    "samples_dir",
    "user_models_dir",
]
