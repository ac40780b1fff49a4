"""Whatever a student's kernel writes to the check report is a wrong answer, never a grader crash."""

import json
import math
import random
import string

import numpy as np
import pytest

from autograder.grading.judge import judge_cell
from autograder.grading.reports import ReportFile
from autograder.learner.values import encode

from .test_judge import record

RAISED = ["ValueError", "Exception", "BaseException", "object"]




ARRAY_ARGS, ARRAY = (np.array([0.5, 1.0]),), np.array([1.0, 2.0])
REFERENCE = [
    record("f", 0, value=2.0, expected=2.0),
    record("f", 1, value=4.0, expected=4.0, args=(2.0,), hidden=True),
    record("p", 0, kind="value", args=None, value=0.25, expected=0.25),
    record("g", 0, kind="raises", args=(-1.0,), error=RAISED, expected="ValueError"),
    record("h", 0, value=ARRAY, expected=ARRAY, args=ARRAY_ARGS),
]
# What a right submission's kernel reports: its values, and no expected values (the kernel never sees them).
RIGHT = [
    record("f", 0, value=2.0),
    record("f", 1, value=4.0, args=(2.0,), hidden=True),
    record("p", 0, kind="value", args=None, value=0.25),
    record("g", 0, kind="raises", args=(-1.0,), error=RAISED),
    record("h", 0, value=ARRAY, args=ARRAY_ARGS),
]
NAMES = ["f", "p", "g", "h"]
TAGS = ["__float__", "__complex__", "__ndarray__", "__tuple__", "__dict__", "__callable__", "__other__"]


def judge(student):
    verdict = judge_cell(REFERENCE, student, sources=[])
    assert isinstance(verdict.message(), str) and all(isinstance(p, str) for p in verdict.problems)
    return verdict


def lines(records) -> str:
    return "".join(json.dumps(r, allow_nan=False) + "\n" for r in records)


# --- random records ---------------------------------------------------------------------------


def nested(depth: int, value=None):
    for _ in range(depth):
        value = [value]
    return value


DEEP = [nested(depth, leaf) for depth in (5, 50, 3000) for leaf in (None, {}, "x")]  # built once: it is slow


def garbage(rng: random.Random, depth: int = 0):
    """Any value a record field could hold. Its numbers are never close to a right value (0.25, 2, 4)."""
    roll = rng.randrange(14 if depth < 3 else 8)
    if roll == 0:
        return None
    if roll == 1:
        return rng.choice([True, False])
    if roll == 2:
        return rng.choice([rng.randrange(-3, 2), 10 ** rng.randrange(20, 5000), -(2**64)])
    if roll == 3:
        return rng.choice([math.nan, math.inf, -math.inf, rng.uniform(10, 1e300), -rng.uniform(10, 1e300)])
    if roll in (4, 5):
        alphabet = string.printable + "\u00e9\u2028\ud800\U0001f600\x00"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
    if roll == 6:
        return rng.choice(TAGS + NAMES + ["call", "value", "raises", "source", ""])
    if roll == 7:
        return rng.choice(DEEP)
    if roll in (8, 9):
        return [garbage(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    if roll == 10:
        keys = [*TAGS, "dtype", "x"]
        return {rng.choice(keys): garbage(rng, depth + 1) for _ in range(rng.randrange(0, 3))}
    if roll == 11:  # keys JSON cannot have
        return {rng.choice([1, None, (1, 2), 2.5]): garbage(rng, depth + 1)}
    if roll == 12:
        dtype = rng.choice(["<f8", "<i8", "<U999999999", "|O", "|V8", "<M8[s]", "f8,f8", garbage(rng, 3)])
        shape = rng.choice([[2], [-1], [1, 10**18], garbage(rng, 3)])
        data = rng.choice([[10.0, 20.0], garbage(rng, 3)])
        return {"__ndarray__": {"dtype": dtype, "shape": shape, "data": data}}
    return {rng.choice(TAGS): garbage(rng, depth + 1)}


def wrong_value(rng: random.Random, right):
    """A well-formed encoded value that is not ``right``."""
    choice = rng.randrange(4)
    if choice == 0:
        return encode(rng.choice([2.5, 3.0, -2.0, 0.3, 1e6]))
    if choice == 1:
        return encode(rng.choice([math.nan, math.inf, np.array([1.0, 2.5]), np.array([[1.0, 2.0]]), (2.0,)]))
    if choice == 2:
        return encode(rng.choice([[2.0], "2.0", None, True, 1 + 2j]))
    return rng.choice([r["value"] for r in RIGHT if r["value"] != right])


def hostile(rng: random.Random):
    """A record a student's kernel might write: garbage, or a right record with some fields changed."""
    roll = rng.randrange(10)
    if roll == 0:
        return garbage(rng)
    if roll == 1:
        return {rng.choice([*RIGHT[0], "", "x", *TAGS]): garbage(rng) for _ in range(rng.randrange(0, 6))}
    mutated = dict(rng.choice(RIGHT))
    if roll == 2:
        mutated["value"] = wrong_value(rng, mutated["value"])
    for _ in range(rng.randrange(1, 4)):
        field = rng.choice(list(mutated))
        if rng.random() < 0.1:
            del mutated[field]
        elif field == "check":
            mutated[field] = rng.choice(NAMES + [garbage(rng)])
        elif field == "kind":
            mutated[field] = rng.choice(["call", "value", "raises", "source", garbage(rng)])
        elif field == "case":
            mutated[field] = rng.choice([0, 1, 2, -1, True, 0.0, "0", [0], {"0": 0}, 10**4000, garbage(rng)])
        elif field == "error":
            mutated[field] = rng.choice([RAISED, ["TypeError", "Exception"], "ValueError", [["ValueError"]],
                                         garbage(rng)])
        elif field == "value":
            mutated[field] = rng.choice([wrong_value(rng, mutated["value"]), garbage(rng)])
        else:  # fields the judge must not read: lie in them
            mutated[field] = rng.choice([mutated.get("value"), 1e300, True, garbage(rng)])
    return mutated


def is_right(student, right) -> bool:
    """Whether ``student`` says what ``right`` says in every field the judge reads."""
    if not isinstance(student, dict):
        return False
    fields = ["check", "kind", "case", "args", "error"] + ([] if right["kind"] == "raises" else ["value"])

    def canonical(rec, name):
        value = rec.get(name)
        if name == "error" and value == []:
            value = None  # no exception either way
        try:
            return json.dumps(value, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            return object()  # equal to nothing

    return all(canonical(student, name) == canonical(right, name) for name in fields)


def test_the_right_records_pass():
    assert judge(RIGHT).passed


def test_random_records_never_crash_the_judge_and_never_pass_a_cell_missing_a_right_record():
    rng = random.Random(20240601)
    for _ in range(3000):
        mode = rng.randrange(3)
        noise = [hostile(rng) for _ in range(rng.randrange(0, 8))]
        if mode == 0:  # anything, in any order: fails unless every check has its right record
            student = [r for r in RIGHT if rng.random() < 0.7] + noise
            rng.shuffle(student)
            if not all(any(is_right(s, r) for s in student) for r in RIGHT):
                assert not judge(student).passed, student
            else:
                judge(student)
        elif mode == 1:  # right records, then more of the same checks: records the test did not make
            student = rng.sample(RIGHT, len(RIGHT)) + noise
            if any(isinstance(r, dict) and r.get("check") in NAMES for r in noise):
                judge(student)  # may pass only if the extra records have no readable key
            else:
                assert judge(student).passed, student
        else:  # right records among records for checks the reference does not make
            for r in noise:
                if isinstance(r, dict) and r.get("check") in NAMES:
                    r["check"] = rng.choice(["nope", ["f"], {"f": 1}, None, 10**30])
            student = RIGHT + noise
            rng.shuffle(student)
            assert judge(student).passed, student


def test_random_report_lines_never_crash_take_and_never_hide_a_right_record(tmp_path):
    rng = random.Random(7)
    report = ReportFile(tmp_path / "checks.jsonl")
    right = lines(RIGHT).encode().splitlines(keepends=True)
    for _ in range(200):
        junk = []
        for _ in range(rng.randrange(0, 6)):
            roll = rng.randrange(6)
            if roll == 0:  # bytes that are not UTF-8
                junk.append(rng.randbytes(rng.randrange(1, 200)).replace(b"\n", b" ") + b"\xff\n")
            elif roll == 1:
                junk.append(rng.choice([b"[", b"{"]) * rng.randrange(101, 200_000) + b"\n")
            elif roll == 2:  # a right record with a bare NaN or Infinity in it
                token = rng.choice(["NaN", "Infinity", "-Infinity"])
                junk.append(json.dumps(dict(RIGHT[0], value="@")).replace('"@"', token).encode() + b"\n")
            elif roll == 3:  # a right record cut short, or with a byte that is not UTF-8
                line = rng.choice(right)
                junk.append(line[: rng.randrange(len(line) - 1)] + rng.choice([b"", b"\xc3"]) + b"\n")
            elif roll == 4:  # JSON, but not a dict
                junk.append(rng.choice([b"[1, 2]", b"3", b'"x"', b"null", b"[{}]", b"true"]) + b"\n")
            else:
                junk.append(rng.choice([b"\n", b"\r\n", b"\x00\n", b"\"\\\"\\\"[[[\n", b"]]]]\n"]))
        mixed = right + junk
        rng.shuffle(mixed)
        with open(report.path, "ab") as stream:
            stream.write(b"".join(mixed))
        taken = report.take()
        assert sorted(map(json.dumps, taken)) == sorted(json.dumps(json.loads(line)) for line in right)
        assert judge(taken).passed


# --- regressions from the outside attack suite -----------------------------------------------


def test_a_list_as_the_case_id_is_a_check_that_never_reported_not_a_type_error():
    """Bug: _keyed built dict keys from record["case"]; a list there raised TypeError."""
    student = [dict(RIGHT[0], case=[0]), dict(RIGHT[1], check={"f": 1}), *RIGHT[2:]]
    verdict = judge(student)
    assert not verdict.passed
    assert verdict.problems[:2] == ["f (case 1): never reported (the cell stopped before reaching it)",
                                    "f (hidden case 2): never reported (the cell stopped before reaching it)"]


def test_a_line_of_200000_open_brackets_is_skipped_not_a_recursion_error(tmp_path):
    """Bug: json.loads raised RecursionError (not ValueError) on deep nesting while the report was read."""
    report = ReportFile(tmp_path / "checks.jsonl")
    report.path.write_text("[" * 200_000 + "\n" + '{"a": ' * 200_000 + "\n" + lines(RIGHT))
    assert report.take() == json.loads(json.dumps(RIGHT))


def test_invalid_utf8_bytes_are_skipped(tmp_path):
    report = ReportFile(tmp_path / "checks.jsonl")
    report.path.write_bytes(b"\xff\xfe\x80\n" + lines(RIGHT[:1]).encode()[:-2] + b"\xc3\x28}\n"
                            + lines(RIGHT).encode())
    assert judge(report.take()).passed


def test_a_10_mb_line_is_dropped_and_later_records_are_read(tmp_path):
    report = ReportFile(tmp_path / "checks.jsonl")
    report.path.write_text(json.dumps({"check": "f", "value": "x" * 10_000_000}) + "\n")
    assert report.take() == []
    with open(report.path, "a") as stream:  # a line over the per-line cap, then right records
        stream.write(json.dumps({"check": "f", "value": [1.5] * 300_000}) + "\n" + lines(RIGHT))
    assert judge(report.take()).passed


def test_nan_tokens_are_not_read_as_values(tmp_path):
    report = ReportFile(tmp_path / "checks.jsonl")
    report.path.write_text(lines(RIGHT[1:]) + json.dumps(dict(RIGHT[0], value=math.nan)) + "\n")
    records = report.take()
    assert len(records) == len(RIGHT) - 1 and not judge(records).passed
    # Handed over directly, a bare NaN (or a huge int) is a wrong value, not a crash.
    for value in (math.nan, math.inf, 10**4000, nested(5000)):
        assert not judge([dict(RIGHT[0], value=value), *RIGHT[1:]]).passed


def test_a_record_for_a_check_that_does_not_exist_is_ignored():
    assert judge([record("nope", value=1.0), *RIGHT]).passed


def test_more_records_of_a_check_than_the_test_makes_fail_the_cell():
    """Regression: a forged record written before the real one was judged in its place."""
    assert not judge([*RIGHT, record("f", 7, value=0.0)]).passed
    assert "records the test did not make" in judge([RIGHT[0], *RIGHT]).message()


def test_a_right_record_after_garbage_lines_is_still_read(tmp_path):
    report = ReportFile(tmp_path / "checks.jsonl")
    report.path.write_text("not json\n[1, 2]\n{\"check\": \n\"\\\"\n{}\n" + lines(RIGHT))
    assert judge(report.take()).passed


def test_duplicated_right_records_fail():
    assert not judge(RIGHT + RIGHT).passed


NOT_ERROR_NAMES = ["ValueError", [["ValueError"]], {"ValueError": 1}, True, [1, "ValueError"]]


@pytest.mark.parametrize("error", NOT_ERROR_NAMES,
                         ids=["string", "nested-list", "dict", "bool", "not-all-strings"])
def test_the_error_field_must_be_a_list_of_strings(error):
    verdict = judge([*RIGHT[:3], dict(RIGHT[3], error=error), RIGHT[4]])
    assert verdict.problems == ["g (case 1): reported a record the grader cannot read"]


def test_an_array_that_claims_a_huge_dtype_is_refused_not_allocated():
    value = {"__ndarray__": {"dtype": "<U999999999", "shape": [2], "data": ["a", "b"]}}
    verdict = judge([*RIGHT[:4], dict(RIGHT[4], value=value)])
    assert verdict.problems == ["h (case 1): reported a value the grader cannot read"]


def test_an_unreadable_reference_record_fails_the_cell_instead_of_vanishing():
    verdict = judge_cell([*REFERENCE, "not a record", dict(REFERENCE[0], case=math.nan)], RIGHT, sources=[])
    assert not verdict.passed and "reference solution" in verdict.problems[0]
