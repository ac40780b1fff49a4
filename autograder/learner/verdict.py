"""What a learner sees after a test cell: one verdict for the whole cell, updated check by check.

Every check call in a test cell makes a :class:`CheckResult`; the results of one cell's run make a
:class:`CellVerdict`, displayed once (HTML, with a plain-text fallback for nbconvert, feedback and
terminals) and updated in place as later checks of the same cell finish. The latest verdict of each
exercise is kept for ``progress()``. None of this runs while grading: then the checks only report.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from autograder.learner.exercises import quiet_load

PASS, FAIL, NOT_ATTEMPTED = "pass", "fail", "not attempted"


@dataclass
class CheckResult:
    """One check call: what it checks, over how many cases, and the first failing case in words."""

    name: str  # the exercise's name, as the test cell's checks give it
    label: str  # what the check checks, in words
    cases: int
    failed: int = 0
    not_attempted: bool = False  # every failing case raised NotImplementedError: the stub is untouched
    detail: list[str] = field(default_factory=list)  # the first failing case, explained
    func: Any = None  # the learner's function, to tell later whether it changed since

    @property
    def status(self) -> str:
        if self.not_attempted and self.failed == self.cases:
            return NOT_ATTEMPTED
        return FAIL if self.failed else PASS

    def line(self) -> str:
        if self.status == PASS:
            count = f" ({self.cases} cases)" if self.cases > 1 else ""
            return f"✔ {self.label}{count}"
        if self.status == NOT_ATTEMPTED:
            return f"○ {self.label}: not attempted yet"
        if self.cases > 1:
            verb = "fails" if self.failed == 1 else "fail"
            return f"✘ {self.label}: {self.failed} of {self.cases} cases {verb}"
        return f"✘ {self.label}"

    def text(self) -> str:
        """This check on its own, for an exception's message (Validate) or a terminal."""
        return "\n".join([f"{self.name}: {self.line()}", *(f"  {line}" for line in self.detail)])


@dataclass
class CellVerdict:
    """The checks one run of a test cell made, all for one exercise."""

    results: list[CheckResult] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.results[0].name if self.results else ""

    @property
    def cases(self) -> int:
        return sum(r.cases for r in self.results)

    @property
    def failed(self) -> int:
        return sum(r.failed for r in self.results)

    @property
    def status(self) -> str:
        statuses = {r.status for r in self.results}
        if NOT_ATTEMPTED in statuses:
            return NOT_ATTEMPTED
        return FAIL if FAIL in statuses else PASS

    def add(self, result: CheckResult) -> None:
        # Several calls of one check in a row (a loop over cases) make one line.
        last = self.results[-1] if self.results else None
        if last and (last.name, last.label) == (result.name, result.label) and not last.detail:
            last.cases += result.cases
            last.failed += result.failed
            last.not_attempted = last.not_attempted or result.not_attempted
            last.detail = result.detail
            last.func = result.func
        else:
            self.results.append(result)

    def headline(self) -> str:
        sheet = quiet_load()
        exercise = sheet.find(self.name) if sheet else None
        who = exercise.heading if exercise else self.name
        if self.status == PASS:
            return f"✔ {who} — " + all_pass(self.cases)
        if self.status == NOT_ATTEMPTED:
            return f"○ {who} — not attempted yet: replace `raise NotImplementedError()` with your code"
        verb = "fails" if self.failed == 1 else "fail"
        return f"✘ {who} — not yet: {self.failed} of {self.cases} cases {verb}"

    def lines(self) -> list[tuple[str, list[str]]]:
        """(line, detail) per check; the detail only for the first failing check."""
        shown, out = False, []
        for result in self.results:
            detail = [] if shown or result.status != FAIL else result.detail
            shown = shown or bool(detail)
            line = result.line()
            if self.status == NOT_ATTEMPTED and result.status == PASS:  # e.g. "uses no np.outer" on a stub
                line = f"· {result.label}: checked once the function is written"
            out.append((line, detail))
        return out

    def footer(self) -> str | None:
        if self.status == FAIL:
            return f'Stuck? hint("{self.name}") gives a first hint; hint("{self.name}", 2) the next one.'
        return None

    # --- rendering: IPython asks for these ---------------------------------------------------

    def __repr__(self) -> str:  # text/plain: nbconvert, feedback, terminals
        out = [self.headline()]
        for line, detail in self.lines():
            out.append(f"  {line}")
            out.extend(f"      {d}" for d in detail)
        if footer := self.footer():
            out.append(footer)
        return "\n".join(out)

    def _repr_html_(self) -> str:
        colour = {PASS: "#1a7f37", FAIL: "#b3261e", NOT_ATTEMPTED: "#5f6368"}[self.status]
        items = []
        for line, detail in self.lines():
            body = f"<div>{html.escape(line)}</div>"
            if detail:
                body += ('<pre style="margin:2px 0 4px 1.2em;white-space:pre-wrap;background:none;padding:0">'
                         f"{html.escape(chr(10).join(detail))}</pre>")
            items.append(f'<li style="margin:0">{body}</li>')
        footer = self.footer()
        return (
            f'<div class="course-verdict course-verdict-{self.status.replace(" ", "-")}" role="status" '
            f'style="border-left:4px solid {colour};padding:4px 10px;margin:2px 0;line-height:1.45">'
            f'<div style="font-weight:600;color:{colour}">{html.escape(self.headline())}</div>'
            f'<ul style="list-style:none;margin:2px 0;padding-left:0.6em">{"".join(items)}</ul>'
            + (f"<div><code>{html.escape(footer)}</code></div>" if footer else "")
            + "</div>"
        )


def all_pass(cases: int) -> str:
    return {1: "its case passes", 2: "both cases pass"}.get(cases, f"all {cases} cases pass")


# --- one verdict per cell run, and the latest per exercise --------------------------------------

latest: dict[str, CellVerdict] = {}  # exercise name -> the verdict of its test cell's last run
_current: dict[str, Any] = {"verdict": None, "handle": None}
_hooked: list[Any] = []  # the shell whose pre_run_cell event starts a new verdict


def shell():
    """The IPython shell running this code, or None."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _new_cell(*_args) -> None:
    _current["verdict"], _current["handle"] = None, None


def show(result: CheckResult) -> None:
    """Add a check's result to its cell's verdict and show it: in place under IPython, else printed."""
    ipython = shell()
    if ipython is None or not hasattr(ipython, "events"):
        print(result.text())
        verdict = CellVerdict()
        verdict.add(result)
        latest[result.name] = verdict
        return
    if ipython not in _hooked:
        ipython.events.register("pre_run_cell", _new_cell)
        _hooked.append(ipython)
    verdict = _current["verdict"]
    if verdict is None or verdict.name != result.name:
        verdict = CellVerdict()
        verdict.add(result)
        _current["verdict"] = verdict
        from IPython.display import display
        _current["handle"] = display(verdict, display_id=True)
    else:
        verdict.add(result)
        _current["handle"].update(verdict)
    latest[result.name] = verdict
