"""Values cross the kernel boundary as plain JSON and come back unchanged."""

import json
import math

import numpy as np
import pytest

from autograder.learner.values import decode, encode


@pytest.mark.parametrize(
    "value",
    [
        None, True, 3, -2.5, "text", 1 + 2j, [1, 2.0], (1, "a"), {"k": 1.5, 2: [3]},
        np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1 + 1j, 2]), np.array([True, False]),
        np.arange(6, dtype=np.int32).reshape(2, 3), np.zeros((0, 3)),
    ],
    ids=["none", "bool", "int", "float", "str", "complex", "list", "tuple", "dict",
         "float-matrix", "complex-array", "bool-array", "int32-array", "empty-array"],
)
def test_round_trip_keeps_value_and_type(value):
    back = decode(json.loads(json.dumps(encode(value), allow_nan=False)))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        np.testing.assert_array_equal(back, value)
    else:
        assert back == value


def test_nan_and_infinities_are_encoded_explicitly():
    encoded = encode([math.nan, math.inf, -math.inf, np.array([np.nan, 1.0])])
    text = json.dumps(encoded, allow_nan=False)  # would raise on a bare NaN
    back = decode(json.loads(text))
    assert math.isnan(back[0]) and back[1] == math.inf and back[2] == -math.inf
    assert math.isnan(back[3][0]) and back[3][1] == 1.0


def test_numpy_scalars_become_python_numbers():
    assert encode(np.float64(0.5)) == 0.5 and type(encode(np.int64(3))) is int
    assert encode(np.bool_(True)) is True


def test_functions_and_objects_travel_by_name_only():
    assert decode(encode(np.sin)) == {"__callable__": "sin"}
    assert decode(encode(object())) == {"__other__": "object"}
    assert decode(encode(np.array([object()]))) == {"__other__": "ndarray[object]"}


@pytest.mark.parametrize(
    "data",
    [{"__pickle__": "gASV"}, {"a": 1, "b": 2}, {"__float__": "1e400x"},
     {"__ndarray__": {"dtype": "|O", "shape": [1], "data": [1]}}],
    ids=["unknown-tag", "plain-dict", "bad-float", "object-array"],
)
def test_decoding_rejects_anything_but_plain_data(data):
    with pytest.raises(ValueError):
        decode(data)


def test_a_fraction_travels_as_the_number_it_is():
    from fractions import Fraction

    assert decode(encode(Fraction(1, 4))) == 0.25
