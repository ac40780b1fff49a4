"""The check records a kernel writes while grading, taken cell by cell by the process that runs it."""

from __future__ import annotations

import ast
import json
import os
import re
import stat
from pathlib import Path

MAX_RECORDS_BYTES = 5_000_000  # per cell; a kernel that writes more is not reporting checks
MAX_LINE_BYTES = 1_000_000  # per record: a check reports a few small values
MAX_DEPTH = 100  # brackets within brackets; a real record nests a few levels, json.loads recurses per level


class ReportFile:
    """A JSON-lines file the kernel appends to; :meth:`take` returns what came since the last call."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.touch()
        self.path.chmod(0o666)  # the kernel may run as another user
        self.offset = 0

    def take(self) -> list[dict]:
        try:
            # Never through a link (the kernel could point one at a file only the grader may read),
            # and never blocked by a pipe put in the file's place.
            descriptor = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:  # deleted or replaced by the kernel: nothing more is believed from it
            return []
        with open(descriptor, "rb") as stream:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return []
            size = info.st_size
            if size < self.offset:  # truncated by the kernel: start over from what is there now
                self.offset = 0
            stream.seek(self.offset)
            data = stream.read(MAX_RECORDS_BYTES)
        self.offset = size
        return [record for line in data.split(b"\n") if (record := _record(line)) is not None]


def _record(line: bytes) -> dict | None:
    """One line as a check record, or None. The kernel writes what it likes: nothing here raises."""
    if len(line) > MAX_LINE_BYTES:
        return None
    try:
        text = line.decode("utf-8")  # the check helpers write ASCII
    except UnicodeDecodeError:
        return None
    if _too_deep(text):
        return None
    try:
        record = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON; the check helpers encode it explicitly")


# A JSON string, or what is left of one that is never closed. Unrolled, so it matches in linear time.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?')
_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest deeper than MAX_DEPTH; counted, so nothing recurses."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def test_cell_id(cell) -> str | None:
    """The grade id of an autograded test cell (a grade cell that is not a solution), else None."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
        return meta.get("grade_id")
    return None


CHECKS_WITH_EXPECTED = {"check_value": 2, "check_function": None}  # name -> position of expected


def plain_test_cells(notebook) -> list[str]:
    """The grade ids of test cells that call no check helper (``check_…``): plain nbgrader cells,
    graded on whether they raise."""
    plain = []
    for cell in notebook.cells:
        grade_id = test_cell_id(cell)
        if grade_id is None:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        calls = {getattr(n.func, "id", getattr(n.func, "attr", ""))
                 for n in ast.walk(tree) if isinstance(n, ast.Call)}
        if not any(name.startswith("check_") for name in calls):
            plain.append(grade_id)
    return plain


def without_expected(source: str) -> str:
    """``source`` with every check's expected value replaced by None.

    The student's kernel runs the test cells, hidden ones included; it must not see the expected
    values, or a check helper replaced by the student could report them back as its own answers.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in CHECKS_WITH_EXPECTED:
            continue
        for keyword in node.keywords:
            if keyword.arg == "expected":
                keyword.value = ast.Constant(None)
        position = CHECKS_WITH_EXPECTED[name]
        if position is not None and len(node.args) > position:
            node.args[position] = ast.Constant(None)
    return ast.unparse(tree)
