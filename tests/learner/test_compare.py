"""compare() accepts right answers within tolerance and names the first way a wrong one differs."""

import numpy as np
import pytest

from autograder.learner.compare import compare


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (1.0 + 1e-9, 1.0), (np.float64(2.0), 2), (np.array(3.0), 3.0), (2 + 0j, 2.0),
        (np.array([1.0, 2.0]), [1.0, 2.0]),
        (np.nan, np.nan), (np.inf, np.inf), ((1.0, "a"), (1.0, "a")), ({"x": 1.0}, {"x": 1.0}),
        (True, True), (None, None), (np.array([True]), np.array([True])),
    ],
    ids=["float-within-tol", "numpy-scalar", "zero-d-array", "complex-real", "array-vs-list", "nan", "inf",
         "tuple", "dict", "bool", "none", "bool-array"],
)
def test_matching_values_pass(actual, expected):
    assert compare(actual, expected) is None


def test_a_list_is_not_the_array_a_test_expects():
    found = compare([1.0, 2.0], np.array([1.0, 2.0]))
    assert found.reason.startswith("expected a NumPy array") and found.got.startswith("list of length 2")
    assert compare((1.0, 2.0), np.array([1.0, 2.0]), blind=True).got == "a tuple"


def test_tolerances_are_honoured():
    assert compare(1.001, 1.0, atol=1e-2) is None
    assert compare(1.001, 1.0) is not None
    assert compare(101.0, 100.0, rtol=0.02, atol=0) is None


def test_shape_mismatch_names_both_shapes():
    found = compare(np.ones((2, 1)), np.ones(2))
    assert found.reason == "the shapes differ: expected (2,), got (2, 1)"


def test_first_differing_element_is_named_with_both_values():
    found = compare(np.array([1.0, 2.0, 9.0, 7.0]), np.array([1.0, 2.0, 3.0, 4.0]))
    assert "2 of 4 elements differ; the first at index (2,)" in found.reason
    assert "expected 3.0" in found.reason and "got 9.0" in found.reason


def test_hidden_expected_values_are_never_shown():
    found = compare(np.array([1.0, 5.0]), np.array([1.0, 123.456]), reveal=False)
    text = "\n".join(found.lines())
    assert "123.456" not in text and "got 5.0" in text and "shape (2,)" in text
    scalar = compare(4.0, 987.654, reveal=False)
    assert "987.654" not in "\n".join(scalar.lines())


@pytest.mark.parametrize(
    ("actual", "expected", "reason"),
    [
        (np.array([1.0]), 1.0, "expected a single number"),
        ("1.0", 1.0, "expected a single number"),
        (True, 1.0, "expected a single number"),
        (None, np.zeros(2), "expected an array"),
        (np.array(["a", "b"]), np.zeros(2), "expected an array of numbers"),
        (np.nan, 1.0, "the number is not close enough"),
        ((1.0,), (1.0, 2.0), "expected a tuple of length 2"),
        (1, True, "the value differs"),
    ],
    ids=["array-for-scalar", "string-for-number", "bool-for-number", "none-for-array",
         "strings-for-array", "nan-for-number", "short-tuple", "int-for-bool"],
)
def test_wrong_kinds_of_value_are_explained(actual, expected, reason):
    assert compare(actual, expected).reason == reason


def test_nested_mismatch_says_where():
    assert compare((1.0, np.array([2.0, 3.0])), (1.0, np.array([2.0, 4.0]))).where == "[1]"


def test_numpy_booleans_count_as_booleans():
    """Regression: np.True_ was reported as "expected bool True, got bool np.True_"."""
    assert compare(np.True_, True) is None and compare(True, np.bool_(True)) is None
    assert compare(np.False_, True).reason == "the value differs"
    assert compare(1, True) is not None
