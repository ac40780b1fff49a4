"""Check helpers for the notebooks' test cells: explain failures to learners, report values to graders.

A test cell calls, for example::

    check_function("central_difference", central_difference,
                   args=[(np.sin, 0.0), (np.exp, 1.0)], expected=[1.0, np.e], atol=1e-8)

For a learner, a failing check raises :class:`CheckFailed` whose message says what was expected,
what came back (type, shape, dtype, the first differing element) and a hint. Checks inside hidden
tests pass ``hidden=True``: their messages describe the expected value but never show it.

For a grader, when the environment variable named by :data:`REPORT_ENV` holds a file path, every
check appends one JSON line there with its inputs, the learner's values (or the names of the
exception raised), and the expected value and tolerances it was given, encoded by
:mod:`autograder.values` — and decides nothing: it neither raises nor prints a verdict. The judge
(:mod:`autograder.judge`), outside the kernel, compares those values with what the reference
solution reports for the same checks; nothing in this process is trusted.
"""

from __future__ import annotations

import inspect
import json
import os
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .compare import DEFAULT_ATOL, DEFAULT_RTOL, compare, describe
from .source_rules import source_problems
from .values import encode

REPORT_ENV = "COURSE_CHECK_REPORT"

__all__ = [
    "CheckFailed", "check_function", "check_raises", "check_same", "check_source_avoids", "check_value",
    "REPORT_ENV",
]


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message explains what is wrong."""


def check_value(
    name: str,
    actual: Any,
    expected: Any,
    *,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    hint: str | None = None,
    hidden: bool = False,
) -> None:
    """Check one value, such as a variable the exercise asks the learner to compute."""
    __tracebackhide__ = True
    if _grading():
        _report(name, kind="value", case=0, args=None, value=actual, expected=expected,
                rtol=rtol, atol=atol, hidden=hidden)
        return _reported(name, 1)
    mismatch = compare(actual, expected, rtol=rtol, atol=atol, reveal=not hidden)
    if mismatch:
        raise CheckFailed(_message(name, "", mismatch.lines(), rtol, atol, hint, hidden))
    _passed(name, 1, hidden)


def check_same(
    name: str,
    first: Any,
    second: Any,
    *,
    expected: bool = True,
    hint: str | None = None,
    hidden: bool = False,
) -> None:
    """Check that two values the learner's code returned are equal (``expected=True``) or differ.

    For example, that a function given two generators with the same seed returns the same value.
    Values are equal when they are of the same kind and match exactly (NaN matches NaN). While
    grading, both values leave the kernel as they are and the judge compares them: a value whose
    ``__eq__`` says whatever it likes decides nothing.
    """
    __tracebackhide__ = True
    if not isinstance(expected, bool):
        raise TypeError(f"{name}: expected must be True (equal) or False (different), "
                        f"not {type(expected).__name__}")
    if _grading():
        _report(name, kind="same", case=0, args=None, value=[first, second], expected=expected,
                hidden=hidden)
        return _reported(name, 1)
    same = compare(second, first, rtol=0, atol=0) is None
    if same != expected:
        shown = not hidden
        if expected:
            lines = ["the two values differ, but they should be equal",
                     f"  first:  {describe(first, reveal=shown)}",
                     f"  second: {describe(second, reveal=shown)}"]
        else:
            lines = ["the two values are equal, but they should differ",
                     f"  both:   {describe(first, reveal=shown)}"]
        raise CheckFailed(_message(name, "", lines, None, None, hint, hidden))
    _passed(name, 1, hidden)


def check_function(
    name: str,
    func: Callable,
    *,
    args: Sequence[tuple],
    expected: Sequence[Any],
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    hint: str | None = None,
    hidden: bool = False,
) -> None:
    """Call ``func(*args[i])`` for every case ``i`` and check it returns ``expected[i]``."""
    __tracebackhide__ = True
    grading = _grading()
    if expected is None and grading:  # the grader keeps the expected values to itself
        expected = [None] * len(args)
    if len(args) != len(expected):
        raise ValueError(f"{name}: {len(args)} argument tuples but {len(expected)} expected values")
    for i, (case_args, want) in enumerate(zip(args, expected, strict=True)):
        case_args = _as_tuple(case_args)
        heading = _case_heading(name, func, case_args, i, len(args), hidden)
        try:
            got = func(*_copies(case_args))
        except Exception as err:  # the learner's code failed: report and explain
            if grading:
                _report(name, kind="call", case=i, args=case_args, error=err, expected=want,
                        rtol=rtol, atol=atol, hidden=hidden)
                continue
            failure = CheckFailed(_message(name, heading, _raised_lines(err), rtol, atol, hint, hidden))
            # A real error keeps its traceback (it shows where the learner's code broke); an
            # exercise not attempted yet needs none.
            raise failure from (None if isinstance(err, NotImplementedError) else err)
        if grading:
            _report(name, kind="call", case=i, args=case_args, value=got, expected=want,
                    rtol=rtol, atol=atol, hidden=hidden)
            continue
        mismatch = compare(got, want, rtol=rtol, atol=atol, reveal=not hidden)
        if mismatch:
            raise CheckFailed(_message(name, heading, mismatch.lines(), rtol, atol, hint, hidden))
    if grading:
        return _reported(name, len(args))
    _passed(name, len(args), hidden)


def check_raises(
    name: str,
    func: Callable,
    *,
    args: Sequence[tuple],
    exception: type[BaseException],
    hint: str | None = None,
    hidden: bool = False,
) -> None:
    """Check that ``func(*args[i])`` raises ``exception`` (or a subclass) for every case ``i``."""
    __tracebackhide__ = True
    grading = _grading()
    for i, case_args in enumerate(args):
        case_args = _as_tuple(case_args)
        heading = _case_heading(name, func, case_args, i, len(args), hidden)
        try:
            got = func(*_copies(case_args))
        except Exception as err:
            if grading:
                _report(name, kind="raises", case=i, args=case_args, error=err,
                        expected=exception.__name__, hidden=hidden)
                continue
            if isinstance(err, exception):
                continue
            lines = [f"expected {exception.__name__}, but it raised {type(err).__name__}: {err}"]
            raise CheckFailed(_message(name, heading, lines, None, None, hint, hidden)) from err
        if grading:
            _report(name, kind="raises", case=i, args=case_args, value=got,
                    expected=exception.__name__, hidden=hidden)
            continue
        lines = [f"expected {exception.__name__} to be raised, but it returned {describe(got)}"]
        raise CheckFailed(_message(name, heading, lines, None, None, hint, hidden))
    if grading:
        return _reported(name, len(args))
    _passed(name, len(args), hidden)


def check_source_avoids(
    name: str,
    func: Callable,
    *,
    forbidden: Sequence[str],
    hint: str | None = None,
) -> None:
    """Check that the code behind ``func`` uses none of ``forbidden``.

    ``"@"`` stands for the matrix-multiplication operator; any other entry is a function name,
    caught when it is called (``dot(a, b)``), reached as an attribute (``np.dot``, ``A.dot``) or
    imported (``from numpy import dot``). A variable that happens to share the name does not
    count, and neither do comments or strings: the source is parsed, not searched as text.

    Under IPython the check reads every cell the kernel has run, as the grader reads the notebook
    (:mod:`autograder.source_rules`): every ``def name`` and whatever it calls must avoid them,
    and ``name`` must be bound by plain ``def`` statements only. Outside IPython it reads
    ``func``'s own source. The check name must be the function's name, as in the course's cells.
    """
    __tracebackhide__ = True
    if _grading():
        # The judge reads the function's definition from the submitted notebook itself: what
        # this kernel says about its own source is not evidence.
        _report(name, kind="source", case=0, args=None, expected=list(forbidden),
                function=getattr(func, "__name__", name))
        return _reported(name, 1)
    history = _kernel_history()
    checked = name if name.isidentifier() else getattr(func, "__name__", name)
    if history is not None and not (history and "check_source_avoids" in history[-1]):
        history = None  # this cell was run without being stored (store_history=False): read func itself
    if history is not None:
        labels = [f"In [{i}]" for i in range(len(history))]
        problems = source_problems(history, checked, forbidden, labels=labels)
        if problems:
            # The kernel's history keeps cells as they were when they ran, also since edited ones.
            problems.append("(this check reads every cell the kernel has run: if you have changed one "
                            "since, restart the kernel and run all cells)")
    else:
        try:
            source = textwrap.dedent(inspect.getsource(func))
        except (OSError, TypeError) as err:
            raise CheckFailed(_message(name, "", [f"could not read the source of {name}: {err}"],
                                       None, None, hint, False)) from err
        problems = source_problems([source], func.__name__, forbidden, labels=[f"the source of {name}"])
    if problems:
        raise CheckFailed(_message(name, "", problems, None, None, hint, False))
    _passed(name, 1, False)


def _kernel_history() -> list[str] | None:
    """The cells this IPython kernel has run, in order, as IPython transformed them; None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    manager = getattr(shell, "history_manager", None)
    return list(manager.input_hist_parsed) if manager is not None else None


# --- messages ---------------------------------------------------------------------------------


def _case_heading(name, func, case_args, i, n, hidden) -> str:
    if hidden:
        return f"hidden case {i + 1} of {n}"
    shown = ", ".join(_short_repr(a) for a in case_args)
    return f"case {i + 1} of {n}: {getattr(func, '__name__', name)}({shown})"


def _message(name, heading, lines, rtol, atol, hint, hidden) -> str:
    title = f"{name}: {heading}" if heading else name
    out = [title, *lines]
    if rtol is not None and not hidden:
        out.append(f"  (numbers match when |got - expected| <= {atol:g} + {rtol:g}·|expected|)")
    if hint:
        out.append(f"Hint: {hint}")
    return "\n".join(out)


def _raised_lines(err: Exception) -> list[str]:
    if isinstance(err, NotImplementedError):
        return ["not implemented yet: replace `raise NotImplementedError()` with your code"]
    return [f"your code raised {type(err).__name__}: {err}",
            "  (the traceback above this message shows where)"]


def _short_repr(value: Any) -> str:
    if callable(value) and hasattr(value, "__name__"):
        return f"<function {value.__name__}>"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, separator=", ", threshold=20).replace("\n", "")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _passed(name: str, cases: int, hidden: bool) -> None:
    plural = "s" if cases != 1 else ""
    print(f"✔ {name}: {cases} {'hidden ' if hidden else ''}check{plural} passed")


# --- machine-readable report for graders ------------------------------------------------------


def _grading() -> bool:
    return bool(os.environ.get(REPORT_ENV))


def _report(name, *, kind, case, args=None, value=None, error=None, expected=None,
            rtol=None, atol=None, hidden=False, function=None) -> None:
    record = {
        "check": name,
        "kind": kind,
        "case": case,
        "args": encode(args) if args is not None else None,
        "value": encode(value),
        # The exception's class and its bases, so "raises ValueError" accepts a subclass.
        "error": [c.__name__ for c in type(error).__mro__] if error is not None else None,
        "expected": encode(expected),
        "rtol": rtol,
        "atol": atol,
        "hidden": hidden,
        "function": function,
    }
    with open(os.environ[REPORT_ENV], "a", encoding="utf-8") as stream:
        stream.write(json.dumps(record, allow_nan=False) + "\n")


def _reported(name: str, cases: int) -> None:
    plural = "s" if cases != 1 else ""
    print(f"{name}: {cases} check{plural} sent to the grader")


def _as_tuple(case_args: Any) -> tuple:
    if not isinstance(case_args, tuple):
        raise TypeError(f"each entry of args must be a tuple of arguments, not {type(case_args).__name__}")
    return case_args


def _copies(case_args: tuple) -> tuple:
    # A learner's function that modifies its input in place must not change the test's data.
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in case_args)
