"""Build student submissions from a released notebook: right, partly right, wrong, raising, blank.

The answers a scenario uses come from the source notebook (the reference solution, markers
removed) or from the assignment's module in :mod:`autograder.devtools.scenarios`, which also states the
exact points each scenario must earn per grade cell. The demo and the tests share them.
"""

from __future__ import annotations

import copy
import importlib
from dataclasses import dataclass, field

import nbformat

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

RIGHT, WRONG, RAISING, BLANK = "right", "wrong", "raising", "blank"


@dataclass(frozen=True)
class Scenario:
    """One kind of student: which answer goes in each solution cell, and the points it earns."""

    name: str
    answers: dict[str, str]  # solution grade_id -> RIGHT, WRONG, RAISING or BLANK, where not default
    expected: dict[str, float]  # test grade_id -> autograded points
    description: str = ""
    default: str = field(default=BLANK)  # for solution cells the scenario does not name

    def answer_for(self, grade_id: str) -> str:
        return self.answers.get(grade_id, self.default)


def standard_scenarios(mistakes: dict, tests: dict, *between: Scenario) -> list[Scenario]:
    """Every assignment's scenarios: right, the assignment's own (``between``), then wrong,
    raising and blank, each with the exact points per test cell."""
    nothing = dict.fromkeys(tests, 0)
    return [
        Scenario(RIGHT, {}, dict(tests), "every answer is the reference solution", default=RIGHT),
        *between,
        Scenario(WRONG, {}, nothing, "a typical mistake in every answer", default=WRONG),
        Scenario(RAISING, {}, nothing, "every answer raises an exception", default=RAISING),
        Scenario(BLANK, {}, nothing, "the release, untouched", default=BLANK),
    ]


def scenario_module(assignment: str):
    """The module holding an assignment's mistakes and scenarios, e.g. scenarios/a2_calculus.py."""
    return importlib.import_module(f"autograder.devtools.scenarios.{assignment.lower()}")


def scenarios(assignment: str) -> list[Scenario]:
    return list(scenario_module(assignment).SCENARIOS)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def is_solution(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def reference_answers(source_nb) -> dict[str, str]:
    """The solution cells' reference answers: the source text without the solution markers."""
    answers = {}
    for cell in source_nb.cells:
        if is_solution(cell):
            lines = cell.source.splitlines()
            kept = [ln for ln in lines if ln.strip() not in (SOLUTION_BEGIN, SOLUTION_END)]
            answers[grade_id(cell)] = "\n".join(kept)
    return answers


def build_submission(release_nb, source_nb, scenario: Scenario, mistakes: dict) -> nbformat.NotebookNode:
    """Fill a copy of the released notebook as the scenario's student would."""
    right = reference_answers(source_nb)
    submission = copy.deepcopy(release_nb)
    for cell in submission.cells:
        if not is_solution(cell):
            continue
        gid = grade_id(cell)
        kind = scenario.answer_for(gid)
        if kind == RIGHT:
            cell.source = right[gid]
        elif kind in (WRONG, RAISING):
            cell.source = mistakes[gid][kind]
        elif kind != BLANK:
            raise ValueError(f"scenario {scenario.name}: unknown answer kind {kind!r} for {gid}")
    return submission
