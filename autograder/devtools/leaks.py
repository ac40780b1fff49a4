"""Find reference solutions and hidden tests where students could read them (releases, feedback)."""

from __future__ import annotations

import html
import re

from autograder.devtools.submissions import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    SOLUTION_BEGIN,
    SOLUTION_END,
    is_solution,
)

MIN_LENGTH = 8  # shorter lines ("return H", "else:") are too common to be evidence of a leak


def secret_lines(source_nb) -> dict[str, set[str]]:
    """Lines that only the instructor's source has: {"solution": …, "hidden test": …}.

    A line counts only when it is long enough and appears nowhere in the notebook outside the
    secret regions, so a line that the release shows anyway is never reported.
    """
    secret: dict[str, set[str]] = {"solution": set(), "hidden test": set()}
    public: set[str] = set()
    for cell in source_nb.cells:
        lines = [ln.strip() for ln in cell.source.splitlines()]
        if cell.cell_type == "markdown" and is_solution(cell):
            secret["solution"].update(ln for ln in lines if ln not in (SOLUTION_BEGIN, SOLUTION_END))
            continue
        region = None
        for line in lines:
            if line in (SOLUTION_BEGIN, HIDDEN_BEGIN):
                region = "solution" if line == SOLUTION_BEGIN else "hidden test"
            elif line in (SOLUTION_END, HIDDEN_END):
                region = None
            elif region:
                secret[region].add(line)
            else:
                public.add(line)
    # A hidden test may hold the solution's own lines (the reference, bound in place of a learner's
    # function so that each exercise is graded on its own): a student who writes them leaks nothing.
    secret["hidden test"] -= secret["solution"]
    return {kind: {ln for ln in lines if len(ln) >= MIN_LENGTH and ln not in public}
            for kind, lines in secret.items()}


def visible_text(page: str) -> str:
    """The text of an HTML page as a reader sees it: tags removed, entities decoded."""
    without_tags = re.sub(r"<[^>]+>", "", page)
    return html.unescape(without_tags)


def find_leaks(text: str, secrets: dict[str, set[str]]) -> list[str]:
    """Every secret line that ``text`` contains, as "kind: line"."""
    present = {ln.strip() for ln in text.splitlines()}
    return sorted(f"{kind}: {ln}" for kind, lines in secrets.items() for ln in lines if ln in present)
