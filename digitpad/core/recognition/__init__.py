"""The models and the one seam to them: a picture in, every model's answer out.

ONNX models behind the digitpad contract, their checks and time limit, the
"not a digit" rules, the shipped reference digits and the installed copy's self-test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digitpad.core._lazy import lazy_names
from digitpad.core.recognition._accuracy_claim import (
    ACCURACY_CHECK_KEY,
    CLAIM_TOLERANCE,
    checked_claim,
)
from digitpad.core.recognition._model import (
    INPUT_NAME,
    METADATA_FORMAT_VERSION,
    OUTPUT_NAME,
    ModelLoadError,
    ModelMetadata,
    OnnxModel,
)
from digitpad.core.recognition._model_checks import (
    MAX_METADATA_BYTES,
    MAX_MODEL_BYTES,
    ModelRunError,
    check_probabilities,
    probe_digit,
)
from digitpad.core.recognition._model_choice import (
    preferred_model,
)
from digitpad.core.recognition._personal_set import (
    PERSONAL_DIR,
    POINTER_FILE,
    POINTER_FORMAT,
    is_set_name,
    personal_set_folder,
)
from digitpad.core.recognition._recognizer import (
    RESET_HINT,
    ModelLoadFailure,
    Recognizer,
    bundled_model_names,
    user_model_folders,
)
from digitpad.core.recognition._reference import (
    REFERENCE_FILE,
    ReferenceDataError,
    ReferenceDigits,
    load_reference_digits,
    read_npz_arrays,
    read_reference_digits,
)
from digitpad.core.recognition._rejection import (
    FEATURE_DETECTOR,
    METADATA_KEY,
    DigitRule,
    FeatureDetector,
)

if TYPE_CHECKING:
    from digitpad.core.recognition._self_test import (
        SelfTestCheck,
        SelfTestResult,
        run_self_test,
        sample_files,
        samples_dir,
    )

# The self-test loads when an installation is checked (``digitpad --self-test``), never
# for a reading.
_LAZY = {
    name: "digitpad.core.recognition._self_test"
    for name in ("SelfTestCheck", "SelfTestResult", "run_self_test", "sample_files", "samples_dir")
}

__all__ = [
    "ACCURACY_CHECK_KEY",
    "CLAIM_TOLERANCE",
    "FEATURE_DETECTOR",
    "INPUT_NAME",
    "MAX_METADATA_BYTES",
    "MAX_MODEL_BYTES",
    "METADATA_FORMAT_VERSION",
    "METADATA_KEY",
    "OUTPUT_NAME",
    "PERSONAL_DIR",
    "POINTER_FILE",
    "POINTER_FORMAT",
    "REFERENCE_FILE",
    "RESET_HINT",
    "DigitRule",
    "FeatureDetector",
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
    "check_probabilities",
    "checked_claim",
    "is_set_name",
    "load_reference_digits",
    "personal_set_folder",
    "preferred_model",
    "probe_digit",
    "read_npz_arrays",
    "read_reference_digits",
    "run_self_test",
    "sample_files",
    "samples_dir",
    "user_model_folders",
]

__getattr__, __dir__ = lazy_names(__name__, _LAZY)
