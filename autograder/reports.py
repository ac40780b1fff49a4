"""The check records a kernel writes while grading, taken cell by cell by the process that runs it."""

from __future__ import annotations

import ast
import json
import os
import stat
from pathlib import Path

MAX_RECORDS_BYTES = 5_000_000  # per cell; a kernel that writes more is not reporting checks


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
        records = []
        for line in data.decode("utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
        return records


def test_cell_id(cell) -> str | None:
    """The grade id of an autograded test cell (a grade cell that is not a solution), else None."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
        return meta.get("grade_id")
    return None


CHECKS_WITH_EXPECTED = {"check_value": 2, "check_function": None}  # name -> position of expected


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
