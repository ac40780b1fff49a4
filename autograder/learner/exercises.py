"""A notebook's list of exercises, read from the ``exercises.toml`` beside it.

The file names each exercise (its solution cell's nbgrader ``grade_id``), its number and title as
the notebook's headings give them, whether it is code or a written answer, and its hints, from a
first question to something close to the answer. The check helpers use it for verdict headlines,
and :mod:`autograder.learner.study` for ``hint()``, ``solution()`` and ``progress()``. It travels with the
notebook: ``nbgrader generate_assignment`` copies it into every release.

Student kernels import this module: it reads only the standard library and its own file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

FILENAME = "exercises.toml"


class SheetError(ValueError):
    """An exercises.toml that cannot be used, with the reason."""


@dataclass(frozen=True)
class Exercise:
    name: str
    number: str
    title: str
    kind: str  # "code" (checked by its test cell) or "written" (graded by the instructor)
    hints: tuple[str, ...]

    @property
    def heading(self) -> str:
        """``Exercise 3 · numerical_gradient``, as verdicts and progress name it."""
        return f"Exercise {self.number} · {self.name}"


@dataclass(frozen=True)
class Sheet:
    assignment: str
    title: str
    exercises: tuple[Exercise, ...]
    next_title: str | None = None
    next_path: str | None = None  # relative to the notebook's folder

    def find(self, name: str) -> Exercise | None:
        return next((e for e in self.exercises if e.name == name), None)


def parse(data: dict, where: str = FILENAME) -> Sheet:
    """A :class:`Sheet` from exercises.toml's parsed contents; :class:`SheetError` says what is wrong."""
    def text(table: dict, key: str, context: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SheetError(f"{where}: {context} needs a non-empty string {key!r}")
        return value

    exercises = []
    for i, entry in enumerate(data.get("exercise", [])):
        context = f"exercise {i + 1}"
        if not isinstance(entry, dict):
            raise SheetError(f"{where}: {context} is not a table")
        kind = entry.get("kind", "code")
        if kind not in ("code", "written"):
            raise SheetError(f"{where}: {context} has kind {kind!r}; use 'code' or 'written'")
        hints = entry.get("hints", [])
        if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
            raise SheetError(f"{where}: {context} needs hints as a list of non-empty strings")
        exercises.append(Exercise(name=text(entry, "name", context), number=str(entry.get("number", i + 1)),
                                  title=text(entry, "title", context), kind=kind, hints=tuple(hints)))
    names = [e.name for e in exercises]
    if len(set(names)) != len(names):
        raise SheetError(f"{where}: an exercise name appears twice")
    following = data.get("next") or {}
    if not isinstance(following, dict):
        raise SheetError(f"{where}: next must be a table with a title and a path")
    link = following.get("path")
    if link is not None and (not isinstance(link, str) or ":" in link or link.startswith("/")):
        raise SheetError(f"{where}: next.path must be relative to the notebook, such as ../A2/A2.ipynb")
    return Sheet(assignment=text(data, "assignment", "the file"), title=text(data, "title", "the file"),
                 exercises=tuple(exercises),
                 next_title=following.get("title"), next_path=following.get("path"))


_cache: dict[Path, tuple[float, Sheet]] = {}


def load(folder: Path | None = None) -> Sheet | None:
    """The sheet beside the notebook (a kernel's working folder is its notebook's), or None if there is
    none. Read again only when the file changes: checks look it up for every verdict."""
    path = (folder or Path.cwd()) / FILENAME
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        with path.open("rb") as stream:
            sheet = parse(tomllib.load(stream), str(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise SheetError(f"{path}: not valid TOML ({err})") from err
    _cache[path] = (stamp, sheet)
    return sheet


def quiet_load(folder: Path | None = None) -> Sheet | None:
    """:func:`load`, but None for a broken file: a verdict must not fail because of its headline."""
    try:
        return load(folder)
    except Exception:  # noqa: BLE001 - any broken file (bad UTF-8, nesting too deep): no headline
        return None
