"""Repository conventions: clean notebooks, well-formed exercises, seeded randomness, figures present."""

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from autograder.course import SOURCE, assignments
from autograder.figures import figure_specs
from autograder.submissions import grade_id, is_solution, scenario_module

REPO = Path(__file__).resolve().parent.parent
SOURCES = [SOURCE / a / f"{a}.ipynb" for a in assignments()]


def committed_notebooks() -> list[str]:
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True)
    return out.stdout.split()


def test_there_are_committed_notebooks_to_check():
    assert len(committed_notebooks()) >= 2 * len(SOURCES) >= 2


@pytest.mark.parametrize("path", committed_notebooks())
def test_committed_notebook_has_no_outputs_and_no_widget_state(path):
    notebook = nbformat.read(REPO / path, as_version=4)
    assert "widgets" not in notebook.metadata
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path}: cell {cell.id}"


@pytest.fixture(params=SOURCES, ids=lambda p: p.stem)
def source(request):
    return nbformat.read(request.param, as_version=4)


def test_every_grade_cell_has_points_and_a_descriptive_id(source):
    graded = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len([c for c in graded if c.cell_type == "code"]) >= 6
    assert any(c.cell_type == "markdown" for c in graded), "at least one written answer"
    for cell in graded:
        assert cell.metadata["nbgrader"]["points"] > 0
        assert not re.fullmatch(r"cell-[0-9a-f]+", grade_id(cell)), grade_id(cell)


def test_every_test_cell_has_visible_and_hidden_checks(source):
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            assert "check_" in visible and "### BEGIN HIDDEN TESTS" in cell.source, meta["grade_id"]
            assert "hidden=True" in cell.source, meta["grade_id"]


def test_every_exercise_offers_a_collapsed_hint(source):
    last_markdown = ""
    for cell in source.cells:
        if cell.cell_type == "markdown" and not is_solution(cell):
            last_markdown = cell.source
        elif is_solution(cell) and cell.cell_type == "code":
            assert "<details>" in last_markdown, grade_id(cell)


def test_randomness_only_comes_from_seeded_generators(source):
    code = "\n".join(c.source for c in source.cells if c.cell_type == "code")
    assert not re.search(r"np\.random\.(seed|rand|randn|normal|uniform|choice|randint)\(", code)
    assert re.findall(r"default_rng\(([^)]*)\)", code) and all(
        seed.strip() for seed in re.findall(r"default_rng\(([^)]*)\)", code))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_figure_exists_next_to_its_notebook(path):
    specs = figure_specs(nbformat.read(path, as_version=4))
    assert specs, "each widget is preceded by a static figure"
    for relative, _ in specs:
        assert (path.parent / relative).is_file(), f"run `make figures` to draw {relative}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_scenarios_cover_every_solution_cell_and_grade_cell(path):
    notebook = nbformat.read(path, as_version=4)
    module = scenario_module(path.stem)
    solutions = {grade_id(c) for c in notebook.cells if is_solution(c)}
    tests = {grade_id(c): c.metadata["nbgrader"]["points"] for c in notebook.cells
             if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"}
    assert set(module.MISTAKES) == solutions
    assert module.TESTS == tests
