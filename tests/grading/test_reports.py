"""Check records are taken cell by cell, and the student's kernel never sees expected values."""

import json
import os

from autograder.grading.reports import ReportFile, without_expected


def test_expected_values_are_blanked_out_of_test_cells():
    source = ("check_function('f', f, args=[(1,)], expected=[np.e], atol=1e-6)\n"
              "check_value('p', p, 0.25, hidden=True)\n"
              "checks.check_value('q', q, expected=1 / 3)")
    blanked = without_expected(source)
    assert "np.e" not in blanked and "0.25" not in blanked and "1 / 3" not in blanked
    assert "expected=None" in blanked and "check_value('p', p, None, hidden=True)" in blanked
    assert "atol=1e-06" in blanked  # everything else is kept


def test_a_cell_that_does_not_parse_is_left_alone():
    assert without_expected("%timeit f(1)") == "%timeit f(1)"


def test_take_returns_only_what_came_since_the_last_take_and_skips_garbage(tmp_path):
    report = ReportFile(tmp_path / "checks.jsonl")
    with open(report.path, "a") as stream:
        stream.write(json.dumps({"check": "a"}) + "\nnot json\n[1, 2]\n")
    assert report.take() == [{"check": "a"}]
    assert report.take() == []
    with open(report.path, "a") as stream:
        stream.write(json.dumps({"check": "b"}) + "\n")
    assert report.take() == [{"check": "b"}]


def test_a_truncated_or_deleted_report_is_not_fatal(tmp_path):
    report = ReportFile(tmp_path / "checks.jsonl")
    report.path.write_text(json.dumps({"check": "a"}) + "\n")
    report.take()
    report.path.write_text("")
    assert report.take() == []
    report.path.unlink()
    assert report.take() == []


def test_a_report_replaced_by_a_link_or_a_pipe_is_not_read(tmp_path):
    secret = tmp_path / "grader-only.json"
    secret.write_text(json.dumps({"check": "secret"}) + "\n")
    report = ReportFile(tmp_path / "checks.jsonl")
    report.path.unlink()
    report.path.symlink_to(secret)
    assert report.take() == []
    report.path.unlink()
    os.mkfifo(report.path)
    assert report.take() == []  # and does not block
