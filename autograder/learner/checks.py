"""Check helpers for the notebooks' test cells: a verdict for learners, values for graders.

A test cell calls, for example::

    check_function("central_difference", central_difference,
                   args=[(np.sin, 0.0), (np.exp, 1.0)], expected=[1.0, np.e], atol=1e-8,
                   label="matches the derivative of sin and exp")

Learning (a notebook run by hand, Run All, Binder), every check adds one line to the cell's verdict
(:mod:`autograder.learner.verdict`): what it checks, and for the first failing case the call, what was
expected, what came back (type, shape, dtype, the first differing element). It never raises, so
Run All reaches the end of the notebook whatever state the exercises are in. Checks inside hidden
tests pass ``hidden=True``: their messages describe the expected value but never show it. Hints and
solutions come only when asked for (:mod:`autograder.learner.study`, re-exported here).

Under nbgrader (Validate; autograde without the course's judge) a failing check raises
:class:`CheckFailed`, so the cell counts as failed: see :mod:`autograder.learner.modes`.

For a grader, when the environment variable named by :data:`REPORT_ENV` holds a file path, every
check appends one JSON line there with its inputs, the learner's values (or the names of the
exception raised), and the expected value and tolerances it was given, encoded by
:mod:`autograder.learner.values` — and decides nothing: it neither raises nor prints a verdict. The judge
(:mod:`autograder.grading.judge`), outside the kernel, compares those values with what the reference
solution reports for the same checks; nothing in this process is trusted.
"""

from __future__ import annotations

import copy
import inspect
import json
import os
import textwrap
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder.learner.compare import DEFAULT_ATOL, DEFAULT_RTOL, compare, describe, plain_repr
from autograder.learner.modes import REPORT_ENV, STRICT_ENV, grading, mode
from autograder.learner.source_rules import source_problems
from autograder.learner.study import hint, progress, solution
from autograder.learner.values import encode
from autograder.learner.verdict import PASS, CheckResult, show

__all__ = [
    "CheckFailed", "check_function", "check_raises", "check_same", "check_source_avoids",
    "check_source_uses_only", "check_value",
    "hint", "progress", "solution", "REPORT_ENV", "STRICT_ENV",
]


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message explains what is wrong.

    IPython shows an exception with ``_render_traceback_`` as the lines it returns: the verdict in
    words, not a traceback into these helpers (nbgrader's Validate dialog shows the same lines).
    """

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


def check_value(
    name: str,
    actual: Any,
    expected: Any,
    *,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    label: str | None = None,
    hidden: bool = False,
) -> None:
    """Check one value, such as a variable the exercise asks the learner to compute."""
    __tracebackhide__ = True
    if grading():
        _report(name, kind="value", case=0, args=None, value=actual, expected=expected,
                rtol=rtol, atol=atol, hidden=hidden)
        return _reported(name, 1)
    result = CheckResult(name, _label(label, hidden, f"{name} has the expected value"), cases=1)
    mismatch = compare(actual, expected, rtol=rtol, atol=atol, reveal=not hidden)
    if mismatch:
        _fail(result, "", mismatch.lines(), _tolerance(mismatch, rtol, atol, hidden))
    _conclude(result)


def check_same(
    name: str,
    func: Callable,
    *,
    args: Sequence[tuple],
    expected: bool = True,
    label: str | None = None,
    hidden: bool = False,
) -> None:
    """Check that ``func(*args[0])`` and ``func(*args[1])`` return equal values (``expected=True``)
    or different ones.

    For example, that a function given two generators with the same seed returns the same value.
    Values are equal when they are of the same kind and match exactly (NaN matches NaN). While
    grading, both values leave the kernel as they are and the judge compares them: a value whose
    ``__eq__`` says whatever it likes decides nothing.
    """
    __tracebackhide__ = True
    if not isinstance(expected, bool):
        raise TypeError(f"{name}: expected must be True (equal) or False (different), "
                        f"not {type(expected).__name__}")
    if len(args) != 2:
        raise ValueError(f"{name}: check_same calls the function twice: give two argument tuples")
    reporting = grading()
    default = "gives the same value twice" if expected else "gives two different values"
    result = CheckResult(name, _label(label, hidden, default), cases=1, func=func)
    values = []
    for case_args in args:
        try:
            values.append(func(*_copies(_as_tuple(case_args))))
        except Exception as err:  # the learner's code failed: report and explain
            if reporting:
                _report(name, kind="same", case=0, error=err, expected=expected, hidden=hidden)
                return _reported(name, 1)
            heading = _case_heading(name, func, _as_tuple(case_args), 0, 1, hidden)
            _fail(result, heading, _raised_lines(err, func), None, not_attempted=_untouched(err, func))
            return _conclude(result)
    if reporting:
        _report(name, kind="same", case=0, args=None, value=values, expected=expected, hidden=hidden)
        return _reported(name, 1)
    first, second = values
    same = compare(second, first, rtol=0, atol=0) is None
    if same != expected:
        shown = not hidden
        if expected:
            lines = ["the two values differ, but they should be equal",
                     f"first:  {describe(first, reveal=shown)}",
                     f"second: {describe(second, reveal=shown)}"]
        else:
            lines = ["the two values are equal, but they should differ",
                     f"both:   {describe(first, reveal=shown)}"]
        _fail(result, "", lines, None)
    _conclude(result)


def check_function(
    name: str,
    func: Callable,
    *,
    args: Sequence[tuple],
    expected: Sequence[Any],
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    label: str | None = None,
    hidden: bool = False,
) -> None:
    """Call ``func(*args[i])`` for every case ``i`` and check it returns ``expected[i]``."""
    __tracebackhide__ = True
    reporting = grading()
    if expected is None and reporting:  # the grader keeps the expected values to itself
        expected = [None] * len(args)
    if len(args) != len(expected):
        raise ValueError(f"{name}: {len(args)} argument tuples but {len(expected)} expected values")
    result = CheckResult(name, _label(label, hidden, "returns the expected values" if len(args) > 1
                                      else "returns the expected value"), cases=len(args), func=func)
    for i, (case_args, want) in enumerate(zip(args, expected, strict=True)):
        case_args = _as_tuple(case_args)
        given = _copies(case_args)
        try:
            got = func(*given)
        except Exception as err:  # the learner's code failed: report and explain
            if reporting:
                _report(name, kind="call", case=i, args=case_args, error=err, expected=want,
                        rtol=rtol, atol=atol, hidden=hidden)
                continue
            heading = _case_heading(name, func, case_args, i, len(args), hidden)
            _fail(result, heading, _raised_lines(err, func), None, not_attempted=_untouched(err, func))
            continue
        changed = _changed(case_args, given)
        if reporting:
            _report(name, kind="call", case=i, args=case_args, value=got, expected=want,
                    rtol=rtol, atol=atol, hidden=hidden, changed=changed)
            continue
        mismatch = compare(got, want, rtol=rtol, atol=atol, reveal=not hidden)
        if changed:
            _fail(result, _case_heading(name, func, case_args, i, len(args), hidden),
                  _changed_lines(func, changed), None)
        elif mismatch:
            _fail(result, _case_heading(name, func, case_args, i, len(args), hidden), mismatch.lines(),
                  _tolerance(mismatch, rtol, atol, hidden))
    if reporting:
        return _reported(name, len(args))
    _conclude(result)


def check_raises(
    name: str,
    func: Callable,
    *,
    args: Sequence[tuple],
    exception: type[BaseException],
    label: str | None = None,
    hidden: bool = False,
) -> None:
    """Check that ``func(*args[i])`` raises ``exception`` (or a subclass) for every case ``i``."""
    __tracebackhide__ = True
    reporting = grading()
    result = CheckResult(name, _label(label, hidden, f"raises {exception.__name__} for invalid input"),
                         cases=len(args), func=func)
    for i, case_args in enumerate(args):
        case_args = _as_tuple(case_args)
        heading = _case_heading(name, func, case_args, i, len(args), hidden)
        try:
            got = func(*_copies(case_args))
        except Exception as err:
            if reporting:
                _report(name, kind="raises", case=i, args=case_args, error=err,
                        expected=exception.__name__, hidden=hidden)
                continue
            if isinstance(err, exception):
                continue
            if isinstance(err, NotImplementedError):
                _fail(result, heading, _raised_lines(err, func), None, not_attempted=_untouched(err, func))
                continue
            raised = f"expected {exception.__name__}, but it raised {type(err).__name__}: {_text(err)}"
            _fail(result, heading, [raised, *_where(err)], None)
            continue
        if reporting:
            _report(name, kind="raises", case=i, args=case_args, value=got,
                    expected=exception.__name__, hidden=hidden)
            continue
        _fail(result, heading, [f"expected {exception.__name__} to be raised, but it returned "
                                f"{describe(got, reveal=not hidden)}"], None)
    if reporting:
        return _reported(name, len(args))
    _conclude(result)


def check_source_avoids(
    name: str,
    func: Callable,
    *,
    forbidden: Sequence[str],
    label: str | None = None,
) -> None:
    """Check that the code behind ``func`` uses none of ``forbidden``.

    ``"@"`` stands for the matrix-multiplication operator; any other entry is a function name,
    caught when it is called (``dot(a, b)``), reached as an attribute (``np.dot``, ``A.dot``) or
    imported (``from numpy import dot``). A variable that happens to share the name does not
    count, and neither do comments or strings: the source is parsed, not searched as text.

    Under IPython the check reads every cell the kernel has run, as the grader reads the notebook
    (:mod:`autograder.learner.source_rules`): every ``def name`` and whatever it calls must avoid them,
    and ``name`` must be bound by plain ``def`` statements only. Outside IPython it reads
    ``func``'s own source. The check name must be the function's name, as in the course's cells.
    """
    __tracebackhide__ = True
    shown = ", ".join("the @ operator" if f == "@" else f for f in forbidden)
    _check_source(name, func, list(forbidden), None, label or f"does not use {shown}")


def check_source_uses_only(
    name: str,
    func: Callable,
    *,
    allowed: Sequence[str],
    label: str | None = None,
) -> None:
    """Check that the code behind ``func`` uses only what ``allowed`` lists: an allowlist.

    Every attribute the code reaches (``zeros`` for ``np.zeros``, ``shape`` for ``A.shape``), every
    built-in name it loads (``range``, ``sum``), every name it imports with ``from … import`` and
    the ``@`` operator (``"@"``) must be listed. Arithmetic operators other than ``@``, indexing,
    comparisons, literals, and the notebook's own functions and variables need no entry, but what
    those use counts too: the code is read as :func:`check_source_avoids` reads it, through every
    def and binding the function can reach. A name the exercise does not list — ``np.inner``,
    ``np.kron``, ``functools.reduce``, ``np.roots`` — fails, so the exercise's text can say what is
    allowed instead of listing everything that is not.
    """
    __tracebackhide__ = True
    _check_source(name, func, [], list(allowed), label or "uses only what the exercise allows")


def _check_source(name: str, func: Callable, forbidden: list[str], allowed: list[str] | None,
                  label: str) -> None:
    __tracebackhide__ = True
    if grading():
        # The judge reads the function's definition from the submitted notebook itself: what
        # this kernel says about its own source is not evidence.
        rule = list(forbidden) if allowed is None else {"allowed": list(allowed)}
        _report(name, kind="source", case=0, args=None, expected=rule,
                function=getattr(func, "__name__", name))
        return _reported(name, 1)
    result = CheckResult(name, label, cases=1, func=func)
    history = _kernel_history()
    checked = name if name.isidentifier() else getattr(func, "__name__", name)
    if history is not None and not (history and "check_source_" in history[-1]):
        history = None  # this cell was run without being stored (store_history=False): read func itself
    if history is not None:
        labels = [f"In [{i}]" for i in range(len(history))]
        problems = source_problems(history, checked, forbidden, labels=labels, allowed=allowed)
        if problems and _own_source_is_clean(func, forbidden, allowed):
            # The kernel's history keeps cells as they were when they ran, also since edited ones.
            problems = ["your function as it is now keeps to the rule, but an earlier cell this kernel ran "
                        "still counts (the grader reads the saved notebook, as a fresh kernel would):",
                        *problems,
                        "Kernel → Restart Kernel and Run All Cells leaves the old versions behind"]
        elif problems:
            problems.append("(this check reads every cell the kernel has run: if you have changed one "
                            "since, restart the kernel and run all cells)")
    else:
        try:
            source = textwrap.dedent(inspect.getsource(func))
        except (OSError, TypeError) as err:
            problems = [f"could not read the source of {name}: {err}"]
        else:
            problems = source_problems([source], func.__name__, forbidden, labels=[f"the source of {name}"],
                                       allowed=allowed)
    if problems:
        _fail(result, "", problems, None)
    _conclude(result)


def _own_source_is_clean(func: Callable, forbidden: Sequence[str],
                         allowed: Sequence[str] | None = None) -> bool:
    """Whether ``func``'s own current definition keeps to the rule (False if unreadable)."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return False
    return not source_problems([source], func.__name__, forbidden, labels=["now"], allowed=allowed)


def _kernel_history() -> list[str] | None:
    """The cells this IPython kernel has run, in order, as IPython transformed them; None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    manager = getattr(shell, "history_manager", None)
    return list(manager.input_hist_parsed) if manager is not None else None


# --- verdicts ---------------------------------------------------------------------------------


def _label(label: str | None, hidden: bool, default: str) -> str:
    return label or ("hidden cases" if hidden else default)


def _fail(result: CheckResult, heading: str, lines: list[str], tolerance: str | None, *,
          not_attempted: bool = False) -> None:
    """Count one failing case; the first one's explanation becomes the check's detail."""
    first = result.failed == 0
    result.failed += 1
    if not_attempted and first:
        result.not_attempted = True
    elif not not_attempted:
        result.not_attempted = False  # a case that ran and failed: the function has been written
    if first:
        result.detail = [*([heading] if heading else []), *lines, *([tolerance] if tolerance else [])]


def _conclude(result: CheckResult) -> None:
    """Show the result (learning), or raise when it failed (strict: nbgrader is running the notebook)."""
    if mode() == "strict":
        if result.status != PASS:
            raise CheckFailed(result.text())
        print(result.text())
        return
    show(result)


def _tolerance(mismatch, rtol, atol, hidden) -> str | None:
    """The tolerance sentence, where numbers were compared."""
    if not mismatch.numeric or hidden:
        return None
    return f"(numbers match when |got − expected| ≤ {atol:g} + {rtol:g}·|expected|)"


def _case_heading(name, func, case_args, i, n, hidden) -> str:
    if hidden:
        return f"hidden case {i + 1} of {n}"
    shown = ", ".join(_short_repr(a) for a in case_args)
    return f"case {i + 1} of {n}: {getattr(func, '__name__', name)}({shown})"


def _raised_lines(err: Exception, func: Callable) -> list[str]:
    if _untouched(err, func):
        return ["not attempted yet: replace `raise NotImplementedError()` with your code"]
    frame = _innermost(err)
    if isinstance(err, NotImplementedError) and frame is not None:
        return [f"{frame.name}, which this code calls, is not written yet (it raises NotImplementedError): "
                "solve that exercise first"]
    return [f"your code raised {type(err).__name__}: {_text(err)}", *_where(err)]


def _text(err: BaseException) -> str:
    try:
        return str(err)
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails still gets its verdict
        return "(its message cannot be shown)"


def _untouched(err: Exception, func: Callable) -> bool:
    """The exercise's own stub raised NotImplementedError (not a function it calls)."""
    if not isinstance(err, NotImplementedError):
        return False
    frame = _innermost(err)
    return frame is None or frame.name == getattr(func, "__name__", None)


def _innermost(err: BaseException):
    """The innermost frame of the learner's code: outside these helpers and NumPy."""
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if not f.filename.startswith((_PACKAGE, _NUMPY))]
    return frames[-1] if frames else None


def _where(err: BaseException) -> list[str]:
    """Where the learner's code raised, as a line to show."""
    frame = _innermost(err)
    if frame is None:
        return []
    code = f": {frame.line.strip()}" if frame.line else ""
    return [f"in {frame.name}, line {frame.lineno}{code}"]


_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_NUMPY = os.path.dirname(np.__file__)


def _short_repr(value: Any) -> str:
    if callable(value) and hasattr(value, "__name__"):
        return f"<function {value.__name__}>"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, separator=", ", threshold=20).replace("\n", "")
    text = plain_repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- machine-readable report for graders ------------------------------------------------------


def _report(name, *, kind, case, args=None, value=None, error=None, expected=None,
            rtol=None, atol=None, hidden=False, function=None, changed=None) -> None:
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
        "changed": changed,  # the arguments the call changed in place (their positions)
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


_DATA = (np.ndarray, list, tuple, dict, set)  # arguments a function should leave as it found them


def _copies(case_args: tuple) -> tuple:
    # A learner's function that modifies its input in place must not change the test's data.
    return tuple(copy.deepcopy(a) if isinstance(a, _DATA) else a for a in case_args)


def _changed(case_args: tuple, given: tuple) -> list[int]:
    """The positions of the arguments the call changed in place (a random generator's state, which
    a draw changes, is not data)."""
    return [i for i, (before, after) in enumerate(zip(case_args, given, strict=True))
            if isinstance(before, _DATA) and not _same(before, after)]


def _same(before, after) -> bool:
    if isinstance(before, np.ndarray) and isinstance(after, np.ndarray):  # fast for large arrays
        return (before.shape == after.shape and before.dtype == after.dtype
                and bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc")))
    return encode(before) == encode(after)


def _changed_lines(func: Callable, changed: list[int]) -> list[str]:
    try:
        names = list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        names = []
    which = ", ".join(f"`{names[i]}`" if i < len(names) else f"argument {i + 1}" for i in changed)
    return [f"it changed {which} in place: the caller's data is overwritten. Work on a copy "
            "(np.array(x, dtype=float) makes one; np.asarray does not copy an array)"]
