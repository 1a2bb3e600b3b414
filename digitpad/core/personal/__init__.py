"""Learning one person's handwriting on this machine, without TensorFlow.

The samples store, numpy copies of the ONNX models that can be trained, the fine-tune
that writes personal models, and their own "not a digit" rule.
"""

from __future__ import annotations

from digitpad.core.personal._adapt import (
    FineTuneRecipe,
    adam_update,
    adapt,
)
from digitpad.core.personal._fine_tune_progress import (
    FineTuneError,
    FineTuneProgress,
)
from digitpad.core.personal._finetune import (
    MIN_SAMPLES,
    FineTuneReport,
    ModelFigures,
    fine_tune,
    recipe_for,
)
from digitpad.core.personal._jitter import (
    StrokeJitter,
    stroke_variants,
    warp_strokes,
)
from digitpad.core.personal._non_digit_reference import (
    NON_DIGITS_FILE,
    load_non_digit_reference,
)
from digitpad.core.personal._numpy_net import (
    NumpyNet,
    UnsupportedGraphError,
    softmax,
)
from digitpad.core.personal._onnx_weights import (
    OnnxFormatError,
    OnnxGraph,
    read_onnx_graph,
)
from digitpad.core.personal._personal_models import (
    LEFTOVERS,
    is_fine_tuned_copy,
    legacy_files,
    personal_model_names,
    reset_personal_models,
    save_personal_models,
)
from digitpad.core.personal._personal_rule import (
    ALLOWANCE,
    COPY_QUANTILE,
    SAMPLE_MARGIN,
    rechosen_rule,
)
from digitpad.core.personal._samples import (
    EXPORT_FORMATS,
    IDX_IMAGES,
    IDX_LABELS,
    ExportFormat,
    Sample,
    SampleError,
    SampleStore,
    strokes_to_json,
)

__all__ = [
    "ALLOWANCE",
    "COPY_QUANTILE",
    "EXPORT_FORMATS",
    "IDX_IMAGES",
    "IDX_LABELS",
    "LEFTOVERS",
    "MIN_SAMPLES",
    "NON_DIGITS_FILE",
    "SAMPLE_MARGIN",
    "ExportFormat",
    "FineTuneError",
    "FineTuneProgress",
    "FineTuneRecipe",
    "FineTuneReport",
    "ModelFigures",
    "NumpyNet",
    "OnnxFormatError",
    "OnnxGraph",
    "Sample",
    "SampleError",
    "SampleStore",
    "StrokeJitter",
    "UnsupportedGraphError",
    "adam_update",
    "adapt",
    "fine_tune",
    "is_fine_tuned_copy",
    "legacy_files",
    "load_non_digit_reference",
    "personal_model_names",
    "read_onnx_graph",
    "rechosen_rule",
    "recipe_for",
    "reset_personal_models",
    "save_personal_models",
    "softmax",
    "stroke_variants",
    "strokes_to_json",
    "warp_strokes",
]
