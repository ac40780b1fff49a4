"""For self-study: hints one level at a time, the reference solution, and progress at a glance.

``hint("grad_f")`` shows the first hint of an exercise and ``hint("grad_f", 2)`` the next;
``solution("grad_f")`` shows the reference solution when the course's source notebooks are on this
machine (a clone of the course, ``make lab``, Binder) and says so plainly where they are not (a
release handed out through nbgrader); ``progress()`` lists every exercise of the notebook as its
test cell last left it, from this kernel's memory, without running anything.

The exercises and their hints come from ``exercises.toml`` beside the notebook
(:mod:`autograder.learner.exercises`); verdicts from :mod:`autograder.learner.verdict`. Nothing
here runs while grading: a graded notebook gets a one-line note instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder.learner.exercises import Exercise, Sheet, SheetError, load
from autograder.learner.modes import grading
from autograder.learner.verdict import FAIL, NOT_ATTEMPTED, PASS, all_pass, latest, shell

__all__ = ["hint", "progress", "solution"]

GRADING_NOTE = "(not available while the notebook is being graded)"


def hint(name: str, level: int = 1) -> None:
    """Show hint number ``level`` (1 = the first, a question or a pointer) of exercise ``name``."""
    sheet, exercise, problem = _lookup(name)
    if problem:
        return _show(problem)
    if not exercise.hints:
        return _show(f"{exercise.heading} has no hints.")
    if not isinstance(level, int) or isinstance(level, bool) or level < 1:
        return _show(f"The hint level is a whole number from 1 to {len(exercise.hints)}, "
                     f'as in hint("{name}", 2).')
    last = len(exercise.hints)
    level = min(level, last)
    more = (f'Still stuck? `hint("{name}", {level + 1})` gives the next hint.' if level < last else
            f'That was the last hint. `solution("{name}")` shows the reference solution, where the '
            "course's source notebooks are on this machine.")
    _show(f"**Hint {level} of {last}** · {exercise.heading}: {exercise.title}\n\n"
          f"{exercise.hints[level - 1]}\n\n*{more}*")


def solution(name: str) -> None:
    """Show the reference solution of exercise ``name``, from the course's source notebook."""
    if grading():
        return _show(f"solution(): {GRADING_NOTE}")
    sheet, exercise, problem = _lookup(name)
    if problem:
        return _show(problem)
    notebook = find_source(sheet.assignment)
    if notebook is None:
        return _show(
            "**Solutions are not available here.** This copy of the notebook was handed out without the "
            "course's source notebooks (for example through nbgrader, by your instructor). Ask your "
            "instructor, or study from a clone of the course, where `solution(...)` shows them.")
    text = solution_text(notebook, name)
    if text is None:
        return _show(f"The source notebook {notebook} has no solution for {name}.")
    if exercise.kind == "written":
        _show(f"**A model answer** · {exercise.heading}: {exercise.title}\n\n{text}\n\n"
              "*Yours may be worded differently and still be right: your instructor grades it.*")
    else:
        _show(f"**Reference solution** · {exercise.heading}: {exercise.title}\n\n```python\n{text}\n```\n\n"
              "*Yours may differ and still be right: its test cell decides.*")


def progress() -> None:
    """Show every exercise of this notebook as its test cell last left it, and the next notebook."""
    if grading():
        return _show(f"progress(): {GRADING_NOTE}")
    try:
        sheet = load()
    except SheetError as err:
        return _show(f"progress(): {err}")
    if sheet is None:
        return _show("progress(): this folder has no exercises.toml, so there is no list of exercises.")
    from IPython.display import display
    display(Progress(sheet, [(e, status(e)) for e in sheet.exercises]))


# --- progress ----------------------------------------------------------------------------------

CHANGED = "changed"
NOT_CHECKED = "not checked"
WRITTEN = "written"
_SYMBOL = {PASS: "✔", FAIL: "✘", NOT_ATTEMPTED: "○", CHANGED: "↻", NOT_CHECKED: "·", WRITTEN: "✎"}
_COLOUR = {PASS: "#1a7f37", FAIL: "#b3261e"}  # the verdicts' colours (≥ 4.5:1 on white)


def status(exercise: Exercise) -> tuple[str, str]:
    """(state, words) for one exercise, from the latest verdict of its test cell in this kernel."""
    if exercise.kind == "written":
        return WRITTEN, "written answer: graded by your instructor, not checked here"
    verdict = latest.get(exercise.name)
    if verdict is None:
        return NOT_CHECKED, "not checked yet: run its test cell"
    if _changed(exercise.name, verdict):
        return CHANGED, "changed since it was checked: run its test cell again"
    if verdict.status == PASS:
        return PASS, all_pass(verdict.cases)
    if verdict.status == NOT_ATTEMPTED:
        return NOT_ATTEMPTED, "not attempted yet"
    verb = "fails" if verdict.failed == 1 else "fail"
    return FAIL, f"not yet: {verdict.failed} of {verdict.cases} cases {verb}"


def _changed(name: str, verdict) -> bool:
    """Whether the function the checks called is no longer the one the notebook defines by that name."""
    checked = next((r.func for r in verdict.results if r.func is not None), None)
    if checked is None:
        return False
    namespace = getattr(shell(), "user_ns", None)
    return namespace is not None and name in namespace and namespace[name] is not checked


class Progress:
    """The progress table; IPython renders it as HTML, text elsewhere."""

    def __init__(self, sheet: Sheet, rows: list[tuple[Exercise, tuple[str, str]]]):
        self.sheet, self.rows = sheet, rows

    def summary(self) -> str:
        checked = [state for exercise, (state, _) in self.rows if exercise.kind == "code"]
        written = len(self.rows) - len(checked)
        done = sum(state == PASS for state in checked)
        text = f"{done} of {len(checked)} checked exercises pass"
        return text + (f"; {written} written answer{'s' if written != 1 else ''} for your instructor"
                       if written else "")

    def next_line(self) -> str:
        if self.sheet.next_title and self.sheet.next_path:
            return f"Next: {self.sheet.next_title} ({self.sheet.next_path})"
        return "This is the last notebook of the course."

    def __repr__(self) -> str:
        lines = [f"Progress in {self.sheet.title}: {self.summary()}"]
        for exercise, (state, words) in self.rows:
            lines.append(f"  {_SYMBOL[state]} {exercise.heading} ({exercise.title}): {words}")
        lines.append(self.next_line())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape
        left = 'style="text-align:left"'
        rows = "".join(
            f'<tr><td style="text-align:center;color:{_COLOUR.get(state, "inherit")}">{_SYMBOL[state]}</td>'
            f"<td {left}>{escape(exercise.heading)}</td><td {left}>{escape(exercise.title)}</td>"
            f"<td {left}>{escape(words)}</td></tr>"
            for exercise, (state, words) in self.rows)
        if self.sheet.next_title and self.sheet.next_path:
            following = (f'<p>Next: <a href="{escape(self.sheet.next_path, quote=True)}">'
                         f"{escape(self.sheet.next_title)}</a></p>")
        else:
            following = f"<p>{escape(self.next_line())}</p>"
        names = ("status", "exercise", "task", "verdict")
        head = "".join(f'<th scope="col" {left}>{name}</th>' for name in names)
        return (f'<div class="course-progress"><p><strong>Progress in {escape(self.sheet.title)}:</strong> '
                f"{escape(self.summary())}</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{following}</div>")


# --- solutions ---------------------------------------------------------------------------------


def find_source(assignment: str) -> Path | None:
    """The course's source notebook for ``assignment`` in the clone this notebook belongs to: the
    working folder itself (source/<assignment>/), or source/ in a folder above it (notebooks/ of a
    clone, Binder). A release fetched through nbgrader sits in a folder of its own, with no source/
    above it, wherever the course's package happens to be installed."""
    here = Path.cwd()
    candidates = [here / f"{assignment}.ipynb"]
    for folder in [here, *here.parents][:4]:
        candidates.append(folder / "source" / assignment / f"{assignment}.ipynb")
    return next((path for path in candidates if path.is_file() and _has_solutions(path)), None)


def _has_solutions(path: Path) -> bool:
    try:
        return "### BEGIN SOLUTION" in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def solution_text(notebook: Path, name: str) -> str | None:
    """The solution cell ``name`` of a source notebook, without nbgrader's solution markers."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id") == name and meta.get("solution"):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            kept = [line for line in source.splitlines()
                    if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            return "\n".join(kept).strip("\n")
    return None


# --- shared ------------------------------------------------------------------------------------


def _lookup(name: str) -> tuple[Sheet | None, Exercise | None, str | None]:
    try:
        sheet = load()
    except SheetError as err:
        return None, None, str(err)
    if sheet is None:
        return None, None, "This folder has no exercises.toml, so there are no hints or solutions here."
    exercise = sheet.find(name) if isinstance(name, str) else None
    if exercise is None:
        names = ", ".join(f'"{e.name}"' for e in sheet.exercises)
        return sheet, None, f"{sheet.title} has no exercise called {name!r}. Its exercises: {names}."
    return sheet, exercise, None


class Note:
    """A hint, a solution or a message: Markdown for notebooks, the same text elsewhere."""

    def __init__(self, markdown: str):
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def _show(markdown: str) -> None:
    if shell() is None:
        print(markdown)
        return
    from IPython.display import display
    display(Note(markdown))
