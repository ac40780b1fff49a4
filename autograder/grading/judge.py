"""Decide, outside the student's kernel, whether a graded cell's reported values are right.

Every check in a test cell reports one record (see :mod:`autograder.learner.checks`). The reference
solution, run in a trusted kernel, reports the same checks with the expected values and the
tolerances the source notebook states. A cell earns its points only when every reference record
has a student record for the same check, the same case and the same inputs, and the student's
value matches the reference's expected value within the reference's tolerances. What the student's
kernel claims about expected values, tolerances or pass/fail is never read; a check that never
reported earns nothing.
"""

from __future__ import annotations

import builtins
import json
from collections import defaultdict
from dataclasses import dataclass, field

from autograder.learner.compare import compare
from autograder.learner.source_rules import source_problems
from autograder.learner.values import decode


@dataclass
class Verdict:
    passed: bool
    checks: int
    problems: list[str] = field(default_factory=list)
    hidden: int = 0  # how many of the checks are hidden ones
    failed: list[str] = field(default_factory=list)  # the labels of the failed checks, without reasons

    def message(self, *, terse: bool = False) -> str:
        """The verdict in words; ``terse`` names the failed checks without saying why: any reason
        (which exception, which kind of value) is a choice the student's code made, and from the
        first hidden test on that code may have seen the hidden inputs."""
        if self.passed:
            hidden = f" ({self.hidden} of them hidden checks)" if self.hidden else ""
            return f"✔ judged by the grader: all {self.checks} checks match the reference solution{hidden}"
        if terse:
            return "\n".join([f"✘ judged by the grader: {len(self.problems)} of {self.checks} checks failed",
                              *[f"{label}: does not match the reference" for label in self.failed[:5]],
                              *([f"… and {len(self.failed) - 5} more"] if len(self.failed) > 5 else [])])
        shown = self.problems[:5]
        more = len(self.problems) - len(shown)
        return "\n".join([f"✘ judged by the grader: {len(self.problems)} of {self.checks} checks failed",
                          *shown, *([f"… and {more} more"] if more else [])])


UNREADABLE = "reported a record the grader cannot read"
MAX_PROBLEM_CHARS = 1000  # a problem quotes the student's value; a huge value must not flood the feedback


def judge_cell(reference: list[dict], student: list[dict], *, sources: list[str]) -> Verdict:
    """The verdict on one test cell. ``sources`` are the submitted notebook's code cells, in order.

    The student's records may hold anything at all: what cannot be read fails its check, records for
    checks the reference does not make are ignored, and nothing a record holds makes this raise.
    """
    wanted, broken = _keyed(reference)
    got, _ = _keyed(student)  # a student record without a readable key belongs to no check
    problems = [f"the reference solution {UNREADABLE}"] * broken
    failed = ["the reference solution"] * broken
    for key, (ref, *_) in wanted.items():
        mine = got.get(key)
        if not mine:
            problems.append(f"{_label(ref)}: never reported (the cell stopped before reaching it)")
            failed.append(_label(ref))
            continue
        for record in mine:
            try:
                problem = _judge_one(ref, record, sources)
            except Exception:  # noqa: BLE001 - a record nobody foresaw is a wrong answer, not a crash
                problem = UNREADABLE
            if problem:
                problems.append(_short(f"{_label(ref)}: {problem}", MAX_PROBLEM_CHARS))
                failed.append(_label(ref))
                break
    # More records of a check than the test makes: something other than the test's own calls wrote
    # into the report (a forged record placed before the real one would otherwise be judged).
    known = {key[:2]: refs[0] for key, refs in wanted.items()}
    extra = {key[:2] for key in got if key not in wanted and key[:2] in known}
    for pair in sorted(extra):
        problems.append(f"{_label(known[pair])}: reported more often than the test checks it "
                        "(records the test did not make)")
        failed.append(_label(known[pair]))
    hidden = sum(bool(refs[0].get("hidden")) for refs in wanted.values())
    passed = bool(wanted) and not problems
    return Verdict(passed=passed, checks=len(wanted) + broken, problems=problems, hidden=hidden,
                   failed=failed)


def _keyed(records: list[dict]) -> tuple[dict[tuple, list[dict]], int]:
    """Records by (check, kind, case, n-th time this check and case appear in the cell), and how many
    records had no readable key. Keys are canonical JSON texts: hashable whatever a record holds, and
    equal only for equal JSON (``0``, ``0.0`` and ``false`` are three cases)."""
    seen: dict[tuple, int] = defaultdict(int)
    keyed: dict[tuple, list[dict]] = defaultdict(list)
    unreadable = 0
    for record in records:
        base = _key(record)
        if base is None:
            unreadable += 1
            continue
        keyed[(*base, seen[base])].append(record)
        seen[base] += 1
    return dict(keyed), unreadable


def _key(record) -> tuple[str, str, str] | None:
    if not isinstance(record, dict):
        return None
    base = tuple(_canonical(record.get(name)) for name in ("check", "kind", "case"))
    return None if None in base else base


def _label(ref: dict) -> str:
    check = _short(str(ref.get("check")), 100)
    if ref.get("kind") == "value":
        return check
    case = ref.get("case")
    number = case + 1 if isinstance(case, int) and not isinstance(case, bool) else case
    return f"{check} ({'hidden ' if ref.get('hidden') else ''}case {_short(str(number), 20)})"


def _judge_one(ref: dict, record: dict, sources: list[str]) -> str | None:
    """What is wrong with one student record, or None."""
    if ref.get("kind") == "same":
        return _judge_same(ref, record)
    if ref["kind"] == "source":
        return _judge_source(ref, sources)
    args, raised = _canonical(record.get("args")), _error_names(record.get("error"))
    if args is None or raised is None:
        return UNREADABLE
    if args != _canonical(ref.get("args")):
        return "reported for other inputs than the test gives"
    if ref["kind"] == "raises":
        wanted = ref["expected"]
        if wanted in raised:
            return None
        if raised:
            return f"expected {wanted} to be raised, but it raised {_exception_name(raised)}"
        return f"expected {wanted} to be raised, but it returned a value"
    if raised:
        return f"your code raised {_exception_name(raised)}"
    changed = record.get("changed") or []
    if not isinstance(changed, list):
        return UNREADABLE
    if changed:
        return "it changed an argument in place (the caller's data is overwritten)"
    expected = decode(ref["expected"])
    try:
        # decode and compare are written for values a check reports, not for whatever a kernel
        # writes: what they trip over (no encoded value, an int too big for a float) is a wrong answer.
        value = decode(record.get("value"))
        # Blind: the message reaches feedback, and a value the student's code chose could carry
        # what that code saw of the hidden tests (see HideHiddenTests).
        mismatch = compare(value, expected, rtol=ref["rtol"], atol=ref["atol"], reveal=not ref.get("hidden"),
                           blind=True)
    except Exception:  # noqa: BLE001
        return "reported a value the grader cannot read"
    if mismatch is None:
        return None
    return "; ".join(line.strip() for line in mismatch.lines())


def _canonical(value) -> str | None:
    """``value`` as canonical JSON text, or None if it is not plain JSON data (or too deep, too big)."""
    try:
        return json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None


def _error_names(error) -> list[str] | None:
    """The names of the exception class and its bases that a record reports ([] if nothing was
    raised), or None if the field is not a list of strings."""
    if error is None:
        return []
    if isinstance(error, list) and all(isinstance(name, str) for name in error):
        return error
    return None


# Exception names the feedback may quote: Python's and NumPy's own. A class the student's code
# defined can have any name, the hidden tests' inputs included.
KNOWN_EXCEPTIONS = frozenset(
    [name for name, value in vars(builtins).items()
     if isinstance(value, type) and issubclass(value, BaseException)]
    + ["LinAlgError", "AxisError", "ComplexWarning", "CheckFailed"])


def exception_label(name: str) -> str:
    """An exception's name as feedback may quote it: Python's and NumPy's own only."""
    return name if name in KNOWN_EXCEPTIONS else "an exception of its own"


def _exception_name(raised: list[str]) -> str:
    """The first name in the raised exception's class hierarchy that the feedback may quote."""
    for name in raised:
        if name in KNOWN_EXCEPTIONS:
            return name if name == raised[0] else f"an exception of its own (a {name})"
    return "an exception of its own"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _judge_source(ref: dict, sources: list[str]) -> str | None:
    """Forbidden names (a list), or everything but the allowed ones (``{"allowed": [...]}``), are
    looked for in the submitted notebook's code (every cell, read as IPython runs it), not in what
    the kernel says: :mod:`autograder.learner.source_rules`. The rule comes from the reference's record."""
    rule = decode(ref["expected"])
    if isinstance(rule, dict):
        forbidden, allowed = rule.get("forbidden", []), rule["allowed"]
    else:
        forbidden, allowed = rule, None
    problems = source_problems(sources, ref["function"], forbidden, allowed=allowed)
    if not problems:
        return None
    more = len(problems) - 3
    return "; ".join(problems[:3]) + (f"; … and {more} more" if more > 0 else "")


def _judge_same(ref: dict, record: dict) -> str | None:
    """Whether the two values a ``check_same`` reported are equal as the reference says they must be.

    The student's kernel only hands the two values out; equality is decided here, on decoded plain
    data, so an ``__eq__`` of the student's making has no say. The message quotes neither value.
    """
    raised = _error_names(record.get("error"))
    if raised is None:
        return UNREADABLE
    if raised:
        return f"your code raised {_exception_name(raised)}"
    try:
        pair = decode(record.get("value"))
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return UNREADABLE
        first, second = pair
        same = compare(second, first, rtol=0, atol=0, blind=True) is None
    except Exception:  # noqa: BLE001 - whatever the kernel wrote, a wrong answer and never a crash
        return UNREADABLE
    if same == ref["expected"]:
        return None
    if ref["expected"]:
        return "the two values differ, but the test expects them to be equal"
    return "the two values are equal, but the test expects them to differ"
