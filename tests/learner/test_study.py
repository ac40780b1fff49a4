"""exercises.toml, hints and progress outside a notebook (the kernel-side behaviour is tested in
tests/notebooks/test_learner_checks.py)."""

import pytest

from autograder.learner.exercises import SheetError, load, quiet_load
from autograder.learner.study import hint, progress, solution

SHEET = '''
assignment = "A9_demo"
title = "A.9 Demo"
[next]
title = "A.10 More"
path = "../A10_more/A10_more.ipynb"
[[exercise]]
name = "square"
number = "1"
title = "a square"
kind = "code"
hints = ["What is x times x?", "Return `x * x`."]
[[exercise]]
name = "why"
number = "2"
title = "why squares"
kind = "written"
hints = ["Think of areas.", "A side times a side."]
'''


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "exercises.toml").write_text(SHEET)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("autograder.learner.study.latest", {})  # no verdicts from other tests' checks
    return tmp_path


def test_hints_come_one_level_at_a_time_and_stop_at_the_last(folder, capsys):
    hint("square")
    first = capsys.readouterr().out
    assert "Hint 1 of 2" in first and "What is x times x?" in first and "Return" not in first
    hint("square", 5)
    last = capsys.readouterr().out
    assert "Return `x * x`." in last and "last hint" in last
    hint("cube")
    assert 'no exercise called \'cube\'. Its exercises: "square", "why"' in capsys.readouterr().out


def test_without_a_source_notebook_there_is_no_solution(folder, capsys):
    solution("square")
    assert "Solutions are not available here" in capsys.readouterr().out


def test_progress_lists_unchecked_and_written_exercises_and_the_next_notebook(folder, capsys):
    progress()
    text = capsys.readouterr().out
    assert "0 of 1 checked exercises pass; 1 written answer for your instructor" in text
    assert "· Exercise 1 · square (a square): not checked yet" in text
    assert "✎ Exercise 2 · why" in text and "Next: A.10 More (../A10_more/A10_more.ipynb)" in text


@pytest.mark.parametrize("text", [
    SHEET.replace('kind = "written"', 'kind = "essay"'),
    SHEET.replace('path = "../A10_more/A10_more.ipynb"', 'path = "javascript:alert(1)"'),
    SHEET.replace('name = "why"', 'name = "square"'),
    "a = " + "[" * 100_000,
    b"title = '\xff'",
], ids=["unknown-kind", "link-with-a-scheme", "a-name-twice", "nested-too-deep", "not-utf8"])
def test_a_broken_sheet_is_reported_and_never_breaks_a_verdict(tmp_path, text):
    (tmp_path / "exercises.toml").write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(SheetError):
        load(tmp_path)
    assert quiet_load(tmp_path) is None
