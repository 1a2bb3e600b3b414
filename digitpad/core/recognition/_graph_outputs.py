"""An ONNX model that computes only some of its outputs, for the session a reading runs.

onnxruntime runs every node of a graph on every run, whichever outputs were asked for:
a reading needs each model's ``probabilities`` and at most one extra output, yet the
shipped models also give their logits, hidden layers and convolution maps (for the
explanations), and the CNN copies its two convolution maps out of its own memory layout
on every run. A model whose graph lists only the wanted outputs leaves those nodes
without a use, and onnxruntime's optimiser drops them; what the kept outputs come from
is untouched, so they are the same numbers (``OnnxModel`` compares them on a test digit
before it reads with such a session).

The ``onnx`` package is no dependency of the app, so the graph's list of outputs is
edited in the protobuf encoding itself: a model is a list of fields, its graph one of
them (field 7), and the graph's outputs are its fields 12, each naming its value in its
own field 1. Only those fields are read; every other byte is copied as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

_MODEL_GRAPH = 7
_GRAPH_OUTPUT = 12
_VALUE_NAME = 1
# Protobuf's wire types: a varint, 8 bytes, a length and that many bytes, 4 bytes.
_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5
_FIXED_SIZES = {_FIXED64: 8, _FIXED32: 4}
# A message with more fields than this is not read (a graph of real layers has a few
# hundred): a file of millions of tiny unknown fields, which onnxruntime skips in C, would
# hold a reading up for seconds here.
MAX_FIELDS = 100_000


def outputs_only(model: bytes, keep: Collection[str]) -> bytes | None:
    """``model`` (a serialised ONNX ModelProto) with only the graph outputs named in
    ``keep``; None when it cannot be read so (not one graph, an output without a name,
    an encoding this reader does not follow, a wanted output the graph lacks)."""
    try:
        graphs = [field for field in _fields(model) if field[0] == _MODEL_GRAPH]
        if len(graphs) != 1 or graphs[0][1] != _LENGTH:
            return None
        _, _, start, payload, end = graphs[0]
        graph = _graph_with(model[payload:end], keep)
    except ValueError:
        return None
    if graph is None:
        return None
    key = _varint_bytes(_MODEL_GRAPH << 3 | _LENGTH)
    return b"".join((model[:start], key, _varint_bytes(len(graph)), graph, model[end:]))


def _graph_with(graph: bytes, keep: Collection[str]) -> bytes | None:
    """A GraphProto's bytes without the outputs not in ``keep`` (None as ``outputs_only``)."""
    kept: list[bytes] = []
    found: set[str] = set()
    for number, wire, start, payload, end in _fields(graph):
        if number == _GRAPH_OUTPUT:
            if wire != _LENGTH:
                return None
            name = _name_of(graph[payload:end])
            if name is None:
                return None
            if name not in keep:
                continue
            found.add(name)
        kept.append(graph[start:end])
    return b"".join(kept) if found == set(keep) else None


def _name_of(value_info: bytes) -> str | None:
    """The name (field 1) of a ValueInfoProto; None when it has not exactly one."""
    names = [
        value_info[payload:end]
        for number, wire, _, payload, end in _fields(value_info)
        if number == _VALUE_NAME and wire == _LENGTH
    ]
    return names[0].decode("utf-8") if len(names) == 1 else None


def _fields(message: bytes) -> Iterator[tuple[int, int, int, int, int]]:
    """Each field of a protobuf message: its number, wire type, where its key starts,
    where its value starts and where it ends (ValueError for a broken encoding)."""
    position = 0
    for _ in range(MAX_FIELDS):
        if position >= len(message):
            return
        start = position
        key, position = _varint(message, position)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            _, position = _varint(message, position)
            payload = start  # unused for a varint
        elif wire == _LENGTH:
            length, payload = _varint(message, position)
            position = payload + length
        elif wire in _FIXED_SIZES:
            payload = position
            position += _FIXED_SIZES[wire]
        else:  # groups (long deprecated) or no wire type at all
            raise ValueError(f"wire type {wire}")
        if position > len(message) or number == 0:
            raise ValueError("truncated or numberless field")
        yield number, wire, start, payload, position
    if position < len(message):
        raise ValueError(f"more than {MAX_FIELDS} fields")


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at ``position`` and where the next value starts."""
    value = shift = 0
    for index in range(position, min(position + 10, len(data))):
        byte = data[index]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, index + 1
        shift += 7
    raise ValueError("truncated varint")


def _varint_bytes(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)
