"""digitpad's recognition core: pictures in, both models' probabilities out.

No Qt and no TensorFlow here: the app, the command line, the training evaluation and the
tests all reach the models through this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digitpad.core.explain import (
        Explainer,
        Explanation,
        Neighbour,
        NeighbourIndex,
        heat_map_over_input,
        heat_map_rgba,
        occlusion_saliency,
    )
    from digitpad.core.files import MAX_PIXELS, ImageLoadError, load_image, load_image_stream
    from digitpad.core.number import (
        MAX_NUMBER_STROKES,
        DigitReading,
        NumberReading,
        read_number,
    )
    from digitpad.core.paths import (
        assets_dir,
        bundled_models_dir,
        user_cache_dir,
        user_config_dir,
        user_data_dir,
        user_models_dir,
    )
    from digitpad.core.personal import (
        EXPORT_FORMATS,
        MIN_SAMPLES,
        FineTuneError,
        FineTuneReport,
        ModelFigures,
        Sample,
        SampleError,
        SampleStore,
        fine_tune,
        personal_model_names,
        reset_personal_models,
    )
    from digitpad.core.preprocessing import (
        MODEL_PEN_RATIO,
        Paper,
        Placement,
        has_dark_background,
        picture_paper,
        place_field,
        preprocess_bitmap,
        pressure_width,
        rasterise_strokes,
        render_for_model,
        smooth_polyline,
    )
    from digitpad.core.recognition import (
        INPUT_NAME,
        METADATA_FORMAT_VERSION,
        OUTPUT_NAME,
        REFERENCE_FILE,
        DigitRule,
        ModelLoadError,
        ModelLoadFailure,
        ModelMetadata,
        ModelRunError,
        OnnxModel,
        Recognizer,
        ReferenceDataError,
        ReferenceDigits,
        SelfTestCheck,
        SelfTestResult,
        bundled_model_names,
        load_reference_digits,
        preferred_model,
        read_reference_digits,
        run_self_test,
        samples_dir,
    )
    from digitpad.core.robustness import (
        TRANSFORM_NAMES,
        TRANSFORMS,
        RobustnessReport,
        Sweep,
        Transform,
        sweep_robustness,
    )
    from digitpad.core.types import MODEL_COLOURS, ModelPrediction, Point, Prediction, Stroke

# Where each public name lives. Importing digitpad.core loads none of its subpackages:
# a name loads its own on first use (PEP 562), so `digitpad predict` never pays for the
# explanations, fine-tuning or robustness code, and the window loads each when it needs it.
# (The function explain() is not among them: digitpad.core.explain is its subpackage, which
# importing it binds here; use `from digitpad.core.explain import explain`.)
_PUBLIC_FROM: dict[str, tuple[str, ...]] = {
    "digitpad.core.explain": (
        "Explainer",
        "Explanation",
        "Neighbour",
        "NeighbourIndex",
        "heat_map_over_input",
        "heat_map_rgba",
        "occlusion_saliency",
    ),
    "digitpad.core.files": (
        "MAX_PIXELS",
        "ImageLoadError",
        "load_image",
        "load_image_stream",
    ),
    "digitpad.core.number": (
        "MAX_NUMBER_STROKES",
        "DigitReading",
        "NumberReading",
        "read_number",
    ),
    "digitpad.core.paths": (
        "assets_dir",
        "bundled_models_dir",
        "user_cache_dir",
        "user_config_dir",
        "user_data_dir",
        "user_models_dir",
    ),
    "digitpad.core.personal": (
        "EXPORT_FORMATS",
        "MIN_SAMPLES",
        "FineTuneError",
        "FineTuneReport",
        "ModelFigures",
        "Sample",
        "SampleError",
        "SampleStore",
        "fine_tune",
        "personal_model_names",
        "reset_personal_models",
    ),
    "digitpad.core.preprocessing": (
        "MODEL_PEN_RATIO",
        "Paper",
        "Placement",
        "has_dark_background",
        "picture_paper",
        "place_field",
        "preprocess_bitmap",
        "pressure_width",
        "rasterise_strokes",
        "render_for_model",
        "smooth_polyline",
    ),
    "digitpad.core.recognition": (
        "INPUT_NAME",
        "METADATA_FORMAT_VERSION",
        "OUTPUT_NAME",
        "REFERENCE_FILE",
        "DigitRule",
        "ModelLoadError",
        "ModelLoadFailure",
        "ModelMetadata",
        "ModelRunError",
        "OnnxModel",
        "Recognizer",
        "ReferenceDataError",
        "ReferenceDigits",
        "SelfTestCheck",
        "SelfTestResult",
        "bundled_model_names",
        "load_reference_digits",
        "preferred_model",
        "read_reference_digits",
        "run_self_test",
        "samples_dir",
    ),
    "digitpad.core.robustness": (
        "TRANSFORM_NAMES",
        "TRANSFORMS",
        "RobustnessReport",
        "Sweep",
        "Transform",
        "sweep_robustness",
    ),
    "digitpad.core.types": (
        "MODEL_COLOURS",
        "ModelPrediction",
        "Point",
        "Prediction",
        "Stroke",
    ),
}
_SOURCE = {name: module for module, names in _PUBLIC_FROM.items() for name in names}

__all__ = [
    "EXPORT_FORMATS",
    "INPUT_NAME",
    "MAX_NUMBER_STROKES",
    "MAX_PIXELS",
    "METADATA_FORMAT_VERSION",
    "MIN_SAMPLES",
    "MODEL_COLOURS",
    "MODEL_PEN_RATIO",
    "OUTPUT_NAME",
    "REFERENCE_FILE",
    "TRANSFORMS",
    "TRANSFORM_NAMES",
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
    "RobustnessReport",
    "Sample",
    "SampleError",
    "SampleStore",
    "SelfTestCheck",
    "SelfTestResult",
    "Stroke",
    "Sweep",
    "Transform",
    "assets_dir",
    "bundled_model_names",
    "bundled_models_dir",
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
    "sweep_robustness",
    "user_cache_dir",
    "user_config_dir",
    "user_data_dir",
    "user_models_dir",
]


def __getattr__(name: str) -> Any:
    """Load a public name's subpackage the first time the name is asked for."""
    module = _SOURCE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # asked once: later look-ups find it without this call
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
