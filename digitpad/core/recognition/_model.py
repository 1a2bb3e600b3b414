"""One ONNX model behind the digitpad contract, and the metadata that describes it.

The contract (``assets/models/README.md``): input ``image`` float32 0..255 ink bright,
``[N, 28, 28]`` or ``[N, 28, 28, 1]``; output ``probabilities`` float32 ``[N, 10]``. A
file that breaks it is refused at load time with a reason, so a wrong model never
produces confident nonsense later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from digitpad.core.files import UntrustedFileError, first_line, read_json_file, read_regular_file
from digitpad.core.recognition._graph_outputs import outputs_only
from digitpad.core.recognition._model_checks import (
    MAX_METADATA_BYTES,
    MAX_MODEL_BYTES,
    ModelRunError,
    check_probabilities,
    checked_row,
    fraction,
    input_shape,
    plain_file_name,
    probe_digit,
    run_time_limit,
    text,
    whole_number,
)
from digitpad.core.recognition._run_watchdog import WATCHDOG

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
        # Every value is type-checked: the document may come from anyone, and a number
        # like 1e999 (infinity) or a list where a name belongs must be refused here.
        try:
            evaluation = document.get("evaluation") or {}
            described_input = document.get("input") or {}
            if not isinstance(evaluation, Mapping) or not isinstance(described_input, Mapping):
                raise ValueError("'evaluation' and 'input' must be objects")
            accuracy = evaluation.get("accuracy")
            shape = described_input.get("shape")
            return cls(
                name=text(document["name"], "name"),
                display_name=text(document["display_name"], "display_name"),
                architecture=text(document["architecture"], "architecture"),
                parameters=whole_number(document["parameters"], "parameters"),
                onnx_file=plain_file_name(document["onnx_file"], "onnx_file"),
                sha256=text(document["sha256"], "sha256").lower(),
                accuracy=None if accuracy is None else fraction(accuracy, "accuracy"),
                input_shape=None if shape is None else input_shape(shape),
                display_order=whole_number(
                    document.get("display_order", DEFAULT_DISPLAY_ORDER),
                    "display_order",
                    -(10**6),
                    10**6,
                ),
                raw=dict(document),
            )
        except KeyError as error:
            raise ModelLoadError(f"metadata is missing the key {error.args[0]!r}") from None
        except (TypeError, ValueError, AttributeError, OverflowError) as error:
            raise ModelLoadError(f"metadata has a malformed value: {first_line(error)}") from None

    @classmethod
    def read(cls, json_path: str | Path) -> ModelMetadata:
        """Read and parse ``<name>.json`` through the bounded JSON door."""
        try:
            document = read_json_file(json_path, MAX_METADATA_BYTES)
        except UntrustedFileError as error:
            reason = "metadata file not found" if error.missing else f"metadata: {error}"
            raise ModelLoadError(reason) from None
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
    options.enable_cpu_mem_arena = False
    return options


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
    """A loaded model with one onnxruntime session, created once and reused; a reading's
    reader adds a second one, made once the readings repeat, that computes only what a
    reading reads (``reader(..., own_session=True)``)."""

    def __init__(
        self,
        session: ort.InferenceSession,
        metadata: ModelMetadata | None,
        path: Path,
        model_bytes: bytes | None = None,
    ) -> None:
        self._session = session
        # The file's bytes, for a session that computes only what a reading reads, one
        # picture at a time (``reader(..., own_session=True)``); None: every reader runs
        # ``session``.
        self._model_bytes = model_bytes
        self._image_shape = _check_contract(session)
        # onnxruntime's Python ``run`` checks the feed's names and its graph-capture
        # settings on every call, around its C session's ``run`` of the same arguments;
        # the contract checked them once, so a run calls the C session (the Python one
        # when an onnxruntime has none).
        self._run_session = getattr(session, "_sess", session)
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
        self._output_names = frozenset(output.name for output in session.get_outputs())
        self._check_runs()

    def _check_runs(self) -> None:
        """Run the model once on a real digit: a model that cannot answer is refused now.

        Catches what the signature cannot show: a batch size fixed at 2, a Reshape that
        fails at run time, an output of another width, or values that are no
        probabilities.
        """
        try:
            self.predict_batch(probe_digit()[np.newaxis])
        except ModelRunError as error:
            raise ModelLoadError(f"fails on a test digit: {error}") from None

    @classmethod
    def load(cls, onnx_path: str | Path, metadata: ModelMetadata | None = None) -> OnnxModel:
        """Open ``onnx_path``, verifying its sha256 against ``metadata`` when given.

        Raises
        ------
        ModelLoadError
            The file is missing, not ONNX, differs from its metadata or breaks the contract.
        """
        path = Path(onnx_path)
        # Read once, size-capped and never blocking; the bytes that were hashed are the
        # bytes that are loaded (and an ONNX file cannot pull in outside weight files).
        try:
            model_bytes = read_regular_file(path, MAX_MODEL_BYTES)
        except UntrustedFileError as error:
            reason = "not found" if error.missing else str(error)
            raise ModelLoadError(f"model file {path.name} {reason}") from None
        if metadata is not None and hashlib.sha256(model_bytes).hexdigest() != metadata.sha256:
            raise ModelLoadError(f"{path.name} does not match the sha256 in its metadata")
        try:
            session = ort.InferenceSession(
                model_bytes, sess_options=_session_options(), providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped errors for bad files
            detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise ModelLoadError(f"{path.name} is not a loadable ONNX model: {detail}") from None
        return cls(session, metadata, path, model_bytes)

    @property
    def display_name(self) -> str:
        """The name shown to people (``Dense``, ``CNN``)."""
        return self.metadata.display_name if self.metadata is not None else self.name

    @property
    def session(self) -> ort.InferenceSession:
        """The onnxruntime session, for benchmarks that time a bare run against ours."""
        return self._session

    @property
    def output_names(self) -> frozenset[str]:
        """Every output the model offers: ``probabilities`` and any extra ones.

        The extra outputs (``logits``, ``features``, ``hidden_1``, ``conv_1``, ...) are
        described in assets/models/README.md; a model without them still predicts.
        """
        return self._output_names

    def predict_batch(self, images: np.ndarray) -> np.ndarray:
        """Probabilities ``(N, 10)`` for ``images`` ``(N, 28, 28)`` float32 0..255 ink bright.

        Raises
        ------
        ModelRunError
            The model failed to run, or its output is not ten finite, non-negative
            numbers summing to 1 for every image.
        """
        return self.predict_with(images, ())[0]

    def predict_with(
        self, images: np.ndarray, extra_outputs: Iterable[str]
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """``predict_batch``'s checked probabilities and the named extra outputs, from
        one run (a "not a digit" rule may read the model's ``features``).

        Raises
        ------
        KeyError
            An extra output is not one of ``output_names``.
        ModelRunError
            As ``predict_batch``.
        """
        return self.reader(extra_outputs)(model_batch(images))

    def reader(self, extra_outputs: Iterable[str], *, own_session: bool = False) -> ModelReader:
        """``predict_with`` for these ``extra_outputs``, their names checked once: what a
        reading repeats (KeyError as ``predict_with``). With ``own_session`` its ``one``
        runs a session of its own that computes only those outputs for one picture
        (``_one_picture_session``), made once ``WHOLE_RUNS_FIRST`` readings went through
        the whole model."""
        return ModelReader(self, extra_outputs, own_session)

    def run_outputs(self, images: np.ndarray, names: Iterable[str]) -> dict[str, np.ndarray]:
        """The named outputs for ``images`` ``(N, 28, 28)``, computed in one run.

        Raises
        ------
        KeyError
            A name is not one of ``output_names``.
        ModelRunError
            onnxruntime could not run the model on these images.
        """
        wanted = self._known(names)
        return dict(zip(wanted, self._run(wanted, model_batch(images)), strict=True))

    def _known(self, names: Iterable[str]) -> list[str]:
        """``names`` as a list, each one of ``output_names`` (KeyError naming one that is not)."""
        wanted = list(names)
        if not self._output_names.issuperset(wanted):
            unknown = next(name for name in wanted if name not in self._output_names)
            raise KeyError(f"{self.name} has no output {unknown!r}")
        return wanted

    def _run(self, names: list[str], batch: np.ndarray) -> list[np.ndarray]:
        """onnxruntime's outputs ``names`` for ``batch`` (``model_batch``'s), stopped once
        past its time limit; ModelRunError when it fails or is stopped."""
        return self._run_on(self._run_session, names, batch)

    def _run_on(self, session: Any, names: list[str], batch: np.ndarray) -> list[np.ndarray]:
        """``_run`` on ``session`` (this model's C session or a ``_one_picture_session``)."""
        seconds = run_time_limit(len(batch))
        feed = {INPUT_NAME: batch.reshape((len(batch), *self._image_shape))}
        try:
            with WATCHDOG.limit(seconds) as run_options:
                return list(session.run(names, feed, run_options))
        except Exception as error:  # onnxruntime's errors have no common Python base
            if "terminate flag" in str(error):
                raise ModelRunError(f"took longer than {seconds:.0f} s and was stopped") from None
            raise ModelRunError(f"failed to run: {first_line(error)}") from None

    def _one_picture_session(self, names: list[str]) -> Any:
        """A C session of this model whose graph gives only the outputs ``names``, so a
        run skips the nodes that only feed the others (``outputs_only``), and whose
        batch is one picture, so the shapes the graph works out on every run are worked
        out once; this model's own session when there is no such graph, it does not
        load, or it does not give the whole model's very numbers on the test digit."""
        pruned = None if self._model_bytes is None else outputs_only(self._model_bytes, names)
        if pruned is None:
            return self._run_session
        options = _session_options()
        batch = self._session.get_inputs()[0].shape[0]
        if isinstance(batch, str):  # a named size: one picture
            options.add_free_dimension_override_by_name(batch, 1)
        try:
            session = ort.InferenceSession(
                pruned, sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception:  # onnxruntime's errors have no common Python base
            return self._run_session
        own = getattr(session, "_sess", session)
        probe = model_batch(probe_digit()[np.newaxis])
        try:
            whole, alone = self._run(names, probe), self._run_on(own, names, probe)
        except ModelRunError:
            return self._run_session
        same = all(np.array_equal(a, b) for a, b in zip(whole, alone, strict=True))
        return own if same else self._run_session

    def __repr__(self) -> str:
        return f"OnnxModel(name={self.name!r}, path={str(self.path)!r})"


def model_batch(images: np.ndarray) -> np.ndarray:
    """``images`` as the contiguous float32 ``(N, 28, 28)`` batch a run takes.

    Raises
    ------
    ValueError
        ``images`` are not of that shape.
    """
    batch = np.ascontiguousarray(images, dtype=np.float32)
    if batch.ndim != 3 or batch.shape[1:] != (28, 28):
        raise ValueError(f"expected images of shape (N, 28, 28), got {batch.shape}")
    return batch


# Making a reading's own session costs about 7 ms a model and saves tens of microseconds
# a reading: a command that reads a few pictures (``digitpad predict FILE``) never makes
# it, a window or a batch of files makes it once the readings repeat.
WHOLE_RUNS_FIRST = 20


class ModelReader:
    """One model's ``predict_with`` for fixed extra outputs: called with a batch made by
    ``model_batch``, it gives the checked probabilities and those outputs, from one run.
    A reading calls one per model; the names are checked when it is made."""

    __slots__ = ("_extras", "_model", "_names", "_run", "_run_one", "_whole_runs_left")

    def __init__(
        self, model: OnnxModel, extra_outputs: Iterable[str], own_session: bool = False
    ) -> None:
        self._extras = tuple(name for name in extra_outputs if name != OUTPUT_NAME)
        self._names = model._known((OUTPUT_NAME, *self._extras))
        self._model = model
        self._run = model._run
        self._whole_runs_left = WHOLE_RUNS_FIRST
        self._run_one: Callable[[list[str], np.ndarray], list[np.ndarray]] = (
            self._first_ones if own_session else model._run
        )

    def _first_ones(self, names: list[str], batch: np.ndarray) -> list[np.ndarray]:
        """The first ``one`` calls of a reader with a session of its own: the whole model
        reads the first ``WHOLE_RUNS_FIRST`` pictures, then that session is made
        (``OnnxModel._one_picture_session``) and every later ``one`` calls it."""
        if self._whole_runs_left > 0:
            self._whole_runs_left -= 1
            return self._run(names, batch)
        session = self._model._one_picture_session(names)
        self._run_one = partial(self._model._run_on, session)
        return self._run_one(names, batch)

    def __call__(self, batch: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Raises ModelRunError as ``OnnxModel.predict_batch``."""
        probabilities, *extras = self._run(self._names, batch)
        checked = check_probabilities(probabilities, len(batch))
        return checked, dict(zip(self._extras, extras, strict=True))

    def one(self, batch: np.ndarray) -> tuple[list[float], dict[str, np.ndarray]]:
        """The call for a batch of one picture, its probabilities as Python floats (what
        a reading shows: ``checked_row``); ModelRunError as the call."""
        probabilities, *extras = self._run_one(self._names, batch)
        return checked_row(probabilities), dict(zip(self._extras, extras, strict=True))
