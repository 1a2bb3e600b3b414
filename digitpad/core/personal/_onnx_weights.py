"""Read an ONNX model's graph and weights, and write new weights back, without ``onnx``.

ONNX files are protocol buffers. Fine-tuning needs only a little of them: the graph's
nodes (to check it is a stack of layers this package can train) and its initializers
(the weights). A few dozen lines of protobuf wire format read those; new weights are
written by replacing each initializer's ``raw_data`` bytes in place. The new bytes have
the same length, so no length prefix changes and the result is the very same graph with
other numbers in it: every ONNX reader, onnxruntime included, opens it as before.

Wire format: each field is a varint key ``number << 3 | wire_type``, then a varint (type
0), 8 bytes (1), a varint length and that many bytes (2) or 4 bytes (5). ModelProto
field 7 is the graph; GraphProto field 1 a node, 5 an initializer; NodeProto 1 input,
2 output, 4 op_type, 5 attribute (AttributeProto 1 name, 3 int, 8 ints); TensorProto 1
dims, 2 data_type, 8 name, 9 raw_data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

_FLOAT = 1  # TensorProto.DataType.FLOAT
_MODEL_GRAPH, _GRAPH_NODE, _GRAPH_INITIALIZER = 7, 1, 5
_NODE_INPUT, _NODE_OUTPUT, _NODE_OP_TYPE, _NODE_ATTRIBUTE = 1, 2, 4, 5
_ATTRIBUTE_NAME, _ATTRIBUTE_INT, _ATTRIBUTE_INTS = 1, 3, 8
_TENSOR_DIMS, _TENSOR_DATA_TYPE, _TENSOR_NAME, _TENSOR_RAW_DATA = 1, 2, 8, 9


class OnnxFormatError(Exception):
    """The bytes are not the ONNX protobuf this reader understands; says why in one line."""


def _varint(data: bytes, position: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= end:
            raise OnnxFormatError("truncated varint")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7
        if shift > 63:
            raise OnnxFormatError("varint longer than 64 bits")


def _fields(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int, int]]:
    """Each field of the message in ``data[start:end]``: number, wire type, value or
    payload offset, and payload length (0 for numeric fields)."""
    position = start
    while position < end:
        key, position = _varint(data, position, end)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, position = _varint(data, position, end)
            yield number, wire_type, value, 0
        elif wire_type == 2:
            length, position = _varint(data, position, end)
            if position + length > end:
                raise OnnxFormatError(f"field {number} runs past the end of its message")
            yield number, wire_type, position, length
            position += length
        elif wire_type in (1, 5):
            size = 8 if wire_type == 1 else 4
            if position + size > end:
                raise OnnxFormatError(f"field {number} runs past the end of its message")
            yield number, wire_type, position, size
            position += size
        else:
            raise OnnxFormatError(f"unsupported wire type {wire_type} in field {number}")


def _packed_ints(data: bytes, wire_type: int, value: int, length: int) -> list[int]:
    if wire_type == 0:
        return [value]
    out, position = [], value
    while position < value + length:
        item, position = _varint(data, position, value + length)
        out.append(item)
    return out


def _text(data: bytes, offset: int, length: int) -> str:
    return data[offset : offset + length].decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Node:
    """One operator of the graph: its type, tensor names in and out, integer attributes."""

    op_type: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    attributes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Initializer:
    """A constant tensor of the graph; ``offset`` and ``length`` locate its raw bytes."""

    name: str
    dims: tuple[int, ...]
    data_type: int
    offset: int
    length: int

    def array(self, data: bytes) -> np.ndarray:
        """The float32 values (a copy) read from the model's bytes ``data``."""
        if self.data_type != _FLOAT:
            raise OnnxFormatError(f"initializer {self.name!r} is not float32")
        count = int(np.prod(self.dims, dtype=np.int64))
        if self.length != 4 * count:
            raise OnnxFormatError(f"initializer {self.name!r} holds no raw float32 data")
        values = np.frombuffer(data, dtype="<f4", count=count, offset=self.offset)
        return values.reshape(self.dims).astype(np.float32)


@dataclass(frozen=True)
class OnnxGraph:
    """The nodes in graph order and the initializers by name, read from ``data``."""

    data: bytes
    nodes: tuple[Node, ...]
    initializers: Mapping[str, Initializer]

    def weights(self) -> dict[str, np.ndarray]:
        """Every float32 initializer with raw data, as arrays by name."""
        return {
            name: tensor.array(self.data)
            for name, tensor in self.initializers.items()
            if tensor.data_type == _FLOAT and tensor.length
        }

    def with_weights(self, arrays: Mapping[str, np.ndarray]) -> bytes:
        """The model's bytes with the named initializers' values replaced.

        Raises
        ------
        OnnxFormatError
            A name is no float32 initializer with raw data, or an array's shape differs.
        """
        out = bytearray(self.data)
        for name, array in arrays.items():
            tensor = self.initializers.get(name)
            if tensor is None:
                raise OnnxFormatError(f"no initializer named {name!r}")
            tensor.array(self.data)  # checks type and raw storage
            if tuple(np.shape(array)) != tensor.dims:
                raise OnnxFormatError(f"{name!r} has shape {tensor.dims}, not {np.shape(array)}")
            raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
            out[tensor.offset : tensor.offset + tensor.length] = raw
        return bytes(out)


def _node(data: bytes, start: int, end: int) -> Node:
    inputs, outputs, op_type = [], [], ""
    attributes: dict[str, tuple[int, ...]] = {}
    for number, wire_type, value, length in _fields(data, start, end):
        if number == _NODE_INPUT and wire_type == 2:
            inputs.append(_text(data, value, length))
        elif number == _NODE_OUTPUT and wire_type == 2:
            outputs.append(_text(data, value, length))
        elif number == _NODE_OP_TYPE and wire_type == 2:
            op_type = _text(data, value, length)
        elif number == _NODE_ATTRIBUTE and wire_type == 2:
            name, ints = "", []
            for a_number, a_wire, a_value, a_length in _fields(data, value, value + length):
                if a_number == _ATTRIBUTE_NAME and a_wire == 2:
                    name = _text(data, a_value, a_length)
                elif a_number in (_ATTRIBUTE_INT, _ATTRIBUTE_INTS) and a_wire in (0, 2):
                    ints += _packed_ints(data, a_wire, a_value, a_length)
            attributes[name] = tuple(ints)
    return Node(op_type, tuple(inputs), tuple(outputs), attributes)


def _initializer(data: bytes, start: int, end: int) -> Initializer:
    dims: list[int] = []
    name, data_type, offset, length = "", 0, start, 0
    for number, wire_type, value, size in _fields(data, start, end):
        if number == _TENSOR_DIMS and wire_type in (0, 2):
            dims += _packed_ints(data, wire_type, value, size)
        elif number == _TENSOR_DATA_TYPE and wire_type == 0:
            data_type = value
        elif number == _TENSOR_NAME and wire_type == 2:
            name = _text(data, value, size)
        elif number == _TENSOR_RAW_DATA and wire_type == 2:
            offset, length = value, size
    return Initializer(name, tuple(dims), data_type, offset, length)


def read_onnx_graph(data: bytes) -> OnnxGraph:
    """Parse the graph's nodes and initializers out of an ONNX file's bytes.

    Raises
    ------
    OnnxFormatError
        The bytes are not a protobuf ModelProto with a graph.
    """
    graph = next(
        (
            (value, size)
            for number, wire, value, size in _fields(data, 0, len(data))
            if number == _MODEL_GRAPH and wire == 2
        ),
        None,
    )
    if graph is None:
        raise OnnxFormatError("no graph in the model")
    start, size = graph
    nodes, initializers = [], {}
    for number, wire_type, value, length in _fields(data, start, start + size):
        if wire_type != 2:
            continue
        if number == _GRAPH_NODE:
            nodes.append(_node(data, value, value + length))
        elif number == _GRAPH_INITIALIZER:
            tensor = _initializer(data, value, value + length)
            initializers[tensor.name] = tensor
    return OnnxGraph(bytes(data), tuple(nodes), initializers)
