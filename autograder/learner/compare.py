"""Compare a value with the expected one and explain the first way in which they differ."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Number
from typing import Any

import numpy as np

DEFAULT_RTOL = 1e-7
DEFAULT_ATOL = 1e-10


@dataclass(frozen=True)
class Mismatch:
    """Why a value is not the expected one, in words a learner can act on."""

    reason: str
    expected: str
    got: str
    where: str = ""  # a path inside nested values, such as "[1]"
    numeric: bool = False  # numbers were compared within a tolerance (the message may say which)

    def lines(self) -> list[str]:
        at = f"in {self.where} of the value: " if self.where else ""
        return [f"{at}{self.reason}", f"  expected: {self.expected}", f"  got:      {self.got}"]


def compare(
    actual: Any,
    expected: Any,
    *,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    reveal: bool = True,
    where: str = "",
    blind: bool = False,
) -> Mismatch | None:
    """Return ``None`` when ``actual`` matches ``expected``, else the first :class:`Mismatch`.

    Numbers match within ``|actual - expected| <= atol + rtol * |expected|``; arrays must have
    the same shape and match element by element; NaN matches only NaN. With ``reveal=False``
    the explanation describes the expected value (type, shape) but never shows its numbers.
    With ``blind=True`` it names only the kind of value that came back (a number, an array …),
    never its contents, size, shape or where it differs: the grader's messages reach feedback,
    and a value the student's code chose could carry what that code saw of the hidden tests.
    """
    if _is_number(expected) or _is_numeric_array(expected):
        return _compare_numeric(actual, expected, rtol, atol, reveal, where, blind)
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(actual, expected, rtol, atol, reveal, where, blind)
    if isinstance(expected, dict):
        return _compare_dict(actual, expected, rtol, atol, reveal, where, blind)
    if isinstance(expected, np.ndarray):  # arrays of booleans or strings: exact
        if not isinstance(actual, np.ndarray) or actual.shape != expected.shape:
            return Mismatch("expected an array of the same shape",
                            describe(expected, reveal=reveal), _got(actual, blind), where)
        same = bool(np.array_equal(actual, expected))
    elif isinstance(expected, (bool, np.bool_)):  # NumPy's booleans are booleans too
        same = isinstance(actual, (bool, np.bool_)) and bool(actual) == bool(expected)
    else:  # None, str and anything else: exact, and of the same type
        same = type(actual) is type(expected) and bool(actual == expected)
    if not same:
        return Mismatch(
            "the value differs", describe(expected, reveal=reveal), _got(actual, blind), where
        )
    return None


def _got(actual: Any, blind: bool) -> str:
    """The value that came back, described; only its kind when ``blind``."""
    if not blind:
        return describe(actual)
    if isinstance(actual, np.ndarray):
        return "an array"
    if isinstance(actual, (bool, np.bool_)):
        return "a boolean"
    if _is_number(actual):
        return "a number"
    return {str: "a string", list: "a list", tuple: "a tuple", dict: "a dict", type(None): "None"}.get(
        type(actual), "a value of another type")


def describe(value: Any, *, reveal: bool = True) -> str:
    """A short description: type, shape and dtype for arrays, and the value when revealed."""
    if isinstance(value, np.ndarray):
        text = f"ndarray of shape {value.shape}, dtype {value.dtype}"
        if reveal and value.size <= 12:
            text += f": {np.array2string(value, precision=10, separator=', ').replace(chr(10), '')}"
        return text
    name = type(value).__name__
    if _is_number(value):  # as a person writes it: 2.0, not float64 2.0
        return plain_repr(value) if reveal else "a number"
    if isinstance(value, (np.generic,)) or isinstance(value, (str, bool)):
        return f"{name} {plain_repr(value)}" if reveal else name
    if value is None:
        return "None"
    if isinstance(value, (list, tuple, dict)):
        shown = f": {plain_repr(value)}" if reveal and len(value) <= 6 else ""
        return f"{name} of length {len(value)}{shown}"
    return name


def plain_repr(value: Any) -> str:
    """``repr`` as a person writes values: 1.5 and True, not np.float64(1.5) and np.True_."""
    return repr(_plain(value))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic) and not isinstance(value, np.ndarray):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if type(value) in (list, tuple):
        return type(value)(_plain(v) for v in value)
    if type(value) is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value


def _compare_numeric(actual, expected, rtol, atol, reveal, where, blind) -> Mismatch | None:
    want = np.asarray(expected)
    expected_text = describe(expected, reveal=reveal)
    got_text = _got(actual, blind)
    if want.ndim == 0:
        if not _is_number(actual) and not (_is_numeric_array(actual) and np.ndim(actual) == 0):
            return Mismatch("expected a single number", expected_text, got_text, where)
        if not _close(np.asarray(actual), want, rtol, atol).all():
            return Mismatch("the number is not close enough", expected_text, got_text, where, numeric=True)
        return None
    if not isinstance(actual, np.ndarray):
        if not isinstance(actual, (list, tuple)):
            return Mismatch("expected an array", expected_text, got_text, where)
        if isinstance(expected, np.ndarray):  # the task asks for an array: a list is a different thing
            return Mismatch("expected a NumPy array (np.array(...) makes one of a list)",
                            expected_text, got_text, where)
        try:
            actual = np.asarray(actual)
        except ValueError:  # ragged lists
            return Mismatch("expected an array", expected_text, got_text, where)
    if actual.dtype.kind not in "biufc":
        return Mismatch("expected an array of numbers", expected_text, got_text, where)
    if actual.shape != want.shape:
        shapes = f"expected {want.shape}" if blind else f"expected {want.shape}, got {actual.shape}"
        return Mismatch(f"the shapes differ: {shapes}", expected_text,
                        got_text if blind else describe(actual, reveal=False), where)
    close = _close(actual, want, rtol, atol)
    if close.all():
        return None
    if blind:
        return Mismatch("some elements are not close enough", expected_text, got_text, where)
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    got = plain_repr(actual[index].item())
    shown = f"expected {plain_repr(want[index].item())}, got {got}" if reveal else f"got {got}"
    return Mismatch(
        f"{int((~close).sum())} of {close.size} elements differ; the first at index {index}: {shown}",
        expected_text,
        describe(actual),
        where,
        numeric=True,
    )


def _compare_sequence(actual, expected, rtol, atol, reveal, where, blind) -> Mismatch | None:
    if not isinstance(actual, (tuple, list)) or len(actual) != len(expected):
        return Mismatch(
            f"expected a {type(expected).__name__} of length {len(expected)}",
            describe(expected, reveal=reveal),
            _got(actual, blind),
            where,
        )
    for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
        found = compare(a, e, rtol=rtol, atol=atol, reveal=reveal, where=f"{where}[{i}]", blind=blind)
        if found:
            return found
    return None


def _compare_dict(actual, expected, rtol, atol, reveal, where, blind) -> Mismatch | None:
    if not isinstance(actual, dict) or set(actual) != set(expected):
        keys = sorted(map(repr, expected))
        return Mismatch(f"expected a dict with keys {', '.join(keys)}", "dict", _got(actual, blind), where)
    for key, e in expected.items():
        found = compare(actual[key], e, rtol=rtol, atol=atol, reveal=reveal, where=f"{where}[{key!r}]",
                        blind=blind)
        if found:
            return found
    return None


def _close(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    actual = actual.astype(complex if np.iscomplexobj(actual) else float)
    expected = expected.astype(complex if np.iscomplexobj(expected) else float)
    both_nan = np.isnan(actual) & np.isnan(expected)
    with np.errstate(invalid="ignore", over="ignore"):
        near = np.abs(actual - expected) <= atol + rtol * np.abs(expected)
        same_inf = np.isinf(actual) & (actual == expected)
    return both_nan | near | same_inf


def _is_number(value: Any) -> bool:
    return isinstance(value, (Number, np.number)) and not isinstance(value, (bool, np.bool_))


def _is_numeric_array(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iufc"
    if isinstance(value, list) and value:
        try:
            return np.asarray(value).dtype.kind in "iufc"
        except ValueError:
            return False
    return False
