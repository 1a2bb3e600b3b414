"""digitpad's recognition core: pictures in, both models' probabilities out.

No Qt and no TensorFlow here: the app, the command line, the training evaluation and the
tests all reach the models through this package.
"""

from __future__ import annotations

from digitpad.core._explain import Explainer, Explanation, explain
from digitpad.core._finetune import (
    MIN_SAMPLES,
    FineTuneError,
    FineTuneReport,
    ModelFigures,
    fine_tune,
    personal_model_names,
    reset_personal_models,
)
from digitpad.core._heat_map import heat_map_over_input, heat_map_rgba
from digitpad.core._image_io import MAX_PIXELS, ImageLoadError, load_image, load_image_stream
from digitpad.core._ink import has_dark_background
from digitpad.core._model import (
    INPUT_NAME,
    METADATA_FORMAT_VERSION,
    OUTPUT_NAME,
    ModelLoadError,
    ModelMetadata,
    OnnxModel,
)
from digitpad.core._model_checks import ModelRunError
from digitpad.core._model_choice import preferred_model
from digitpad.core._neighbours import Neighbour, NeighbourIndex
from digitpad.core._number import (
    MAX_NUMBER_STROKES,
    DigitReading,
    NumberReading,
    read_number,
)
from digitpad.core._paper import Paper, picture_paper
from digitpad.core._paths import (
    assets_dir,
    bundled_models_dir,
    user_cache_dir,
    user_data_dir,
    user_models_dir,
)
from digitpad.core._placement import Placement, place_field
from digitpad.core._preprocess import preprocess_bitmap
from digitpad.core._rasterise import (
    MODEL_PEN_RATIO,
    pressure_width,
    rasterise_strokes,
    render_for_model,
    smooth_polyline,
)
from digitpad.core._recognizer import ModelLoadFailure, Recognizer, bundled_model_names
from digitpad.core._reference import (
    REFERENCE_FILE,
    ReferenceDataError,
    ReferenceDigits,
    load_reference_digits,
    read_reference_digits,
)
from digitpad.core._rejection import DigitRule
from digitpad.core._saliency import occlusion_saliency
from digitpad.core._samples import EXPORT_FORMATS, Sample, SampleError, SampleStore
from digitpad.core._self_test import (
    SelfTestCheck,
    SelfTestResult,
    run_self_test,
    samples_dir,
)
from digitpad.core._types import ModelPrediction, Point, Prediction, Stroke

__all__ = [
    "EXPORT_FORMATS",
    "INPUT_NAME",
    "MAX_NUMBER_STROKES",
    "MAX_PIXELS",
    "METADATA_FORMAT_VERSION",
    "MIN_SAMPLES",
    "MODEL_PEN_RATIO",
    "OUTPUT_NAME",
    "REFERENCE_FILE",
    "DigitReading",
    "DigitRule",
    "Explainer",
    "Explanation",
    "FineTuneError",
    "FineTuneReport",
    "ImageLoadError",
    "ModelFigures",
    "ModelLoadError",
    "ModelLoadFailure",
    "ModelMetadata",
    "ModelPrediction",
    "ModelRunError",
    "Neighbour",
    "NeighbourIndex",
    "NumberReading",
    "OnnxModel",
    "Paper",
    "Placement",
    "Point",
    "Prediction",
    "Recognizer",
    "ReferenceDataError",
    "ReferenceDigits",
    "Sample",
    "SampleError",
    "SampleStore",
    "SelfTestCheck",
    "SelfTestResult",
    "Stroke",
    "assets_dir",
    "bundled_model_names",
    "bundled_models_dir",
    "explain",
    "fine_tune",
    "has_dark_background",
    "heat_map_over_input",
    "heat_map_rgba",
    "load_image",
    "load_image_stream",
    "load_reference_digits",
    "occlusion_saliency",
    "personal_model_names",
    "picture_paper",
    "place_field",
    "preferred_model",
    "preprocess_bitmap",
    "pressure_width",
    "rasterise_strokes",
    "read_number",
    "read_reference_digits",
    "render_for_model",
    "reset_personal_models",
    "run_self_test",
    "samples_dir",
    "smooth_polyline",
    "user_cache_dir",
    "user_data_dir",
    "user_models_dir",
]
