"""One ONNX model behind the digitpad contract, and the metadata that describes it.

The contract (``assets/models/README.md``): input ``image`` float32 0..255 ink bright,
``[N, 28, 28]`` or ``[N, 28, 28, 1]``; output ``probabilities`` float32 ``[N, 10]``. A
file that breaks it is refused at load time with a reason, so a wrong model never
produces confident nonsense later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

METADATA_FORMAT_VERSION = 1
INPUT_NAME = "image"
OUTPUT_NAME = "probabilities"
_ACCEPTED_INPUT_SHAPES = ((28, 28), (28, 28, 1))
# Where a model without a ``display_order`` in its metadata is listed: after the others.
DEFAULT_DISPLAY_ORDER = 100


class ModelLoadError(Exception):
    """A model or its metadata cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class ModelMetadata:
    """The parts of ``<name>.json`` the app relies on; the whole document stays in ``raw``."""

    name: str
    display_name: str
    architecture: str
    parameters: int
    onnx_file: str
    sha256: str
    accuracy: float | None = None
    input_shape: tuple[int | None, ...] | None = None
    display_order: int = DEFAULT_DISPLAY_ORDER
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> ModelMetadata:
        """Parse a format-1 metadata document, refusing other versions and missing keys."""
        version = document.get("format_version")
        if version != METADATA_FORMAT_VERSION:
            raise ModelLoadError(
                f"metadata format_version {version!r} is not supported "
                f"(expected {METADATA_FORMAT_VERSION})"
            )
        try:
            accuracy = (document.get("evaluation") or {}).get("accuracy")
            input_shape = (document.get("input") or {}).get("shape")
            return cls(
                name=str(document["name"]),
                display_name=str(document["display_name"]),
                architecture=str(document["architecture"]),
                parameters=int(document["parameters"]),
                onnx_file=str(document["onnx_file"]),
                sha256=str(document["sha256"]).lower(),
                accuracy=None if accuracy is None else float(accuracy),
                input_shape=None if input_shape is None else tuple(input_shape),
                display_order=int(document.get("display_order", DEFAULT_DISPLAY_ORDER)),
                raw=dict(document),
            )
        except KeyError as error:
            raise ModelLoadError(f"metadata is missing the key {error.args[0]!r}") from None
        except (TypeError, ValueError, AttributeError) as error:
            raise ModelLoadError(f"metadata has a malformed value: {error}") from None

    @classmethod
    def read(cls, json_path: str | Path) -> ModelMetadata:
        """Read and parse ``<name>.json``."""
        if not Path(json_path).is_file():
            raise ModelLoadError("metadata file not found")
        try:
            document = json.loads(Path(json_path).read_text(encoding="utf-8"))
        except OSError as error:
            raise ModelLoadError(f"cannot read metadata: {error.strerror or error}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ModelLoadError(f"metadata is not valid JSON: {error}") from None
        if not isinstance(document, dict):
            raise ModelLoadError("metadata is not a JSON object")
        return cls.from_dict(document)


def _session_options() -> ort.SessionOptions:
    """Options for tiny models where thread hand-offs cost more than the arithmetic."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return options


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_contract(session: ort.InferenceSession) -> tuple[int, ...]:
    """Verify the session's signature; return the per-image input shape it wants."""
    inputs, outputs = session.get_inputs(), session.get_outputs()
    input_names = [i.name for i in inputs]
    output_names = [o.name for o in outputs]
    if input_names != [INPUT_NAME]:
        raise ModelLoadError(f"expected one input named {INPUT_NAME!r}, found {input_names}")
    if OUTPUT_NAME not in output_names:
        raise ModelLoadError(f"no output named {OUTPUT_NAME!r} (found {output_names})")
    model_input = inputs[0]
    if model_input.type != "tensor(float)":
        raise ModelLoadError(f"input {INPUT_NAME!r} is {model_input.type}, expected float32")
    per_image = tuple(model_input.shape[1:])
    if len(model_input.shape) < 1 or per_image not in _ACCEPTED_INPUT_SHAPES:
        raise ModelLoadError(
            f"input shape {model_input.shape} is neither [N, 28, 28] nor [N, 28, 28, 1]"
        )
    model_output = next(o for o in outputs if o.name == OUTPUT_NAME)
    if model_output.type != "tensor(float)":
        raise ModelLoadError(f"output {OUTPUT_NAME!r} is {model_output.type}, expected float32")
    if len(model_output.shape) != 2 or model_output.shape[1] != 10:
        raise ModelLoadError(f"output shape {model_output.shape} is not [N, 10]")
    return per_image


class OnnxModel:
    """A loaded model with one onnxruntime session, created once and reused."""

    def __init__(
        self, session: ort.InferenceSession, metadata: ModelMetadata | None, path: Path
    ) -> None:
        self._session = session
        self._image_shape = _check_contract(session)
        if metadata is not None and metadata.input_shape is not None:
            described = tuple(metadata.input_shape[1:])
            if described != self._image_shape:
                raise ModelLoadError(
                    f"metadata describes input [N, {', '.join(map(str, described))}] but "
                    f"the model takes [N, {', '.join(map(str, self._image_shape))}]"
                )
        self.name = metadata.name if metadata is not None else path.stem
        self.metadata = metadata
        self.path = path

    @classmethod
    def load(cls, onnx_path: str | Path, metadata: ModelMetadata | None = None) -> OnnxModel:
        """Open ``onnx_path``, verifying its sha256 against ``metadata`` when given.

        Raises
        ------
        ModelLoadError
            The file is missing, not ONNX, differs from its metadata or breaks the contract.
        """
        path = Path(onnx_path)
        if not path.is_file():
            raise ModelLoadError(f"model file {path.name} not found")
        if metadata is not None and _file_sha256(path) != metadata.sha256:
            raise ModelLoadError(f"{path.name} does not match the sha256 in its metadata")
        try:
            session = ort.InferenceSession(
                str(path), sess_options=_session_options(), providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped errors for bad files
            detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise ModelLoadError(f"{path.name} is not a loadable ONNX model: {detail}") from None
        return cls(session, metadata, path)

    @property
    def display_name(self) -> str:
        """The name shown to people (``Dense``, ``CNN``)."""
        return self.metadata.display_name if self.metadata is not None else self.name

    @property
    def output_names(self) -> frozenset[str]:
        """Every output the model offers: ``probabilities`` and any extra ones.

        The extra outputs (``logits``, ``features``, ``hidden_1``, ``conv_1``, ...) are
        described in assets/models/README.md; a model without them still predicts.
        """
        return frozenset(output.name for output in self._session.get_outputs())

    def predict_batch(self, images: np.ndarray) -> np.ndarray:
        """Probabilities ``(N, 10)`` for ``images`` ``(N, 28, 28)`` float32 0..255 ink bright."""
        return self.run_outputs(images, (OUTPUT_NAME,))[OUTPUT_NAME]

    def run_outputs(self, images: np.ndarray, names: Iterable[str]) -> dict[str, np.ndarray]:
        """The named outputs for ``images`` ``(N, 28, 28)``, computed in one run.

        Raises
        ------
        KeyError
            A name is not one of ``output_names``.
        """
        wanted = list(names)
        unknown = [name for name in wanted if name not in self.output_names]
        if unknown:
            raise KeyError(f"{self.name} has no output {unknown[0]!r}")
        batch = np.ascontiguousarray(images, dtype=np.float32)
        if batch.ndim != 3 or batch.shape[1:] != (28, 28):
            raise ValueError(f"expected images of shape (N, 28, 28), got {batch.shape}")
        batch = batch.reshape((batch.shape[0], *self._image_shape))
        values = self._session.run(wanted, {INPUT_NAME: batch})
        return dict(zip(wanted, values, strict=True))

    def __repr__(self) -> str:
        return f"OnnxModel(name={self.name!r}, path={str(self.path)!r})"
