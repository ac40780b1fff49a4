"""Encode checked values as plain JSON, and back, so they can leave a kernel without pickle."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

# Tags for what plain JSON cannot say by itself. A decoder never builds anything but
# numbers, strings, lists, tuples, dicts and NumPy arrays from them.
FLOAT = "__float__"  # "nan", "inf" or "-inf"
COMPLEX = "__complex__"  # [real, imag], each an encoded float
ARRAY = "__ndarray__"  # {"dtype": str, "shape": [...], "data": nested lists}
TUPLE = "__tuple__"
DICT = "__dict__"  # [[key, value], ...]: keys need not be strings
CALLABLE = "__callable__"  # a function's qualified name; never called again
OTHER = "__other__"  # the type name of something we do not transport

_ARRAY_KINDS = "biufcU"  # bool, int, uint, float, complex, unicode
MAX_ARRAY_BYTES = 100_000_000  # what a decoded array may claim (a dtype such as "<U999999999" would)


def encode(value: Any) -> Any:
    """Return a JSON-serialisable form of ``value`` that :func:`decode` turns back."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _encode_float(float(value))
    if isinstance(value, numbers.Real):  # fractions.Fraction and the like: a number all the same
        return _encode_float(float(value))
    if isinstance(value, (complex, np.complexfloating)):
        return {COMPLEX: [_encode_float(value.real), _encode_float(value.imag)]}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _ARRAY_KINDS:
            return {OTHER: f"ndarray[{value.dtype}]"}
        return {
            ARRAY: {
                "dtype": value.dtype.str,
                "shape": list(value.shape),
                "data": [encode(x) for x in value.ravel().tolist()],
            }
        }
    if isinstance(value, list):
        return [encode(x) for x in value]
    if isinstance(value, tuple):
        return {TUPLE: [encode(x) for x in value]}
    if isinstance(value, dict):
        return {DICT: [[encode(k), encode(v)] for k, v in value.items()]}
    if callable(value):
        return {CALLABLE: getattr(value, "__qualname__", type(value).__name__)}
    return {OTHER: type(value).__name__}


def decode(data: Any) -> Any:
    """Inverse of :func:`encode`; callables and unknown objects come back as tagged dicts."""
    if isinstance(data, list):
        return [decode(x) for x in data]
    if not isinstance(data, dict):
        return data
    if len(data) != 1:
        raise ValueError(f"not an encoded value: a dict with keys {sorted(data)}")
    (tag, body), = data.items()
    if tag == FLOAT:
        return _decode_float(body)
    if tag == COMPLEX:
        return complex(_decode_float(body[0]), _decode_float(body[1]))
    if tag == ARRAY:
        dtype = np.dtype(body["dtype"])
        if dtype.kind not in _ARRAY_KINDS:
            raise ValueError(f"refusing to decode an array of dtype {dtype}")
        flat = [decode(x) for x in body["data"]]
        if dtype.itemsize * len(flat) > MAX_ARRAY_BYTES:
            raise ValueError(f"refusing to decode {len(flat)} elements of dtype {dtype}")
        return np.array(flat, dtype=dtype).reshape(body["shape"])
    if tag == TUPLE:
        return tuple(decode(x) for x in body)
    if tag == DICT:
        return {_hashable(decode(k)): decode(v) for k, v in body}
    if tag in (CALLABLE, OTHER):
        return {tag: str(body)}
    raise ValueError(f"not an encoded value: unknown tag {tag!r}")


def _encode_float(x: float) -> Any:
    if math.isnan(x):
        return {FLOAT: "nan"}
    if math.isinf(x):
        return {FLOAT: "inf" if x > 0 else "-inf"}
    return x


def _decode_float(body: Any) -> float:
    if isinstance(body, dict):
        body = body.get(FLOAT)
    if body in ("nan", "inf", "-inf"):
        return float(body)
    if isinstance(body, (int, float)) and not isinstance(body, bool):
        return float(body)
    raise ValueError(f"not an encoded float: {body!r}")


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key
