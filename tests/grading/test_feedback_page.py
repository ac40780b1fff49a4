"""The course's feedback pages are the documents nbconvert's own exporter makes (make bench times
both)."""

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder.devtools.course import nbgrader
from autograder.grading.feedback_page import NO_ALT, FeedbackExporter

# nbconvert gives some elements (a widget's output, say) a new random id on every render.
RANDOM_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5E"
         "rkJggg==")
GRADES = {"nbgrader": {"score": 1, "max_score": 2, "late_penalty": 0, "notebook": "n"}}


def document(html: str) -> str:
    """A page as nbconvert's exporter writes it (parsed and written out again), ids left out."""
    return RANDOM_ID.sub("ID", str(BeautifulSoup(html, "html.parser")))


def feedback_config(tmp_path, **html_exporter) -> Config:
    """The settings GenerateFeedback gives its exporter (nbgrader's feedback template)."""
    config = GenerateFeedback(coursedir=CourseDirectory(root=str(tmp_path))).config
    config.HTMLExporter.update(html_exporter)
    return config


def images_notebook():
    cells = [new_code_cell("plot()", outputs=[new_output("display_data", data={
                 "image/png": PIXEL, "text/plain": "<Figure>"})]),
             new_markdown_cell('<img src="a.png"> beside <img src="b.png" alt="the b"/>\n'
                               'and <IMG SRC="c.png" />')]
    notebook = new_notebook(cells=cells)
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def test_images_without_alt_text_get_nbconverts_words_and_the_rest_is_untouched(tmp_path):
    config, notebook = feedback_config(tmp_path), images_notebook()
    theirs, _ = HTMLExporter(config=config).from_notebook_node(notebook, GRADES)
    ours, _ = FeedbackExporter(config=config).from_notebook_node(notebook, GRADES)
    assert ours.count(f'alt="{NO_ALT}"') == 3 and 'alt="the b"' in ours
    assert document(ours) == RANDOM_ID.sub("ID", theirs)


def test_another_template_goes_nbconverts_own_way(tmp_path):
    config, notebook = feedback_config(tmp_path, template_name="lab"), images_notebook()
    theirs, _ = HTMLExporter(config=config).from_notebook_node(notebook)
    ours, _ = FeedbackExporter(config=config).from_notebook_node(notebook)
    assert 'tabindex="0"' in theirs  # the lab template's areas, made focusable by nbconvert
    assert RANDOM_ID.sub("ID", ours) == RANDOM_ID.sub("ID", theirs)


@pytest.mark.slow
def test_a_students_feedback_is_the_page_nbconvert_makes(demo, tmp_path):
    course = shutil.copytree(demo.course, tmp_path / "course")  # the demo's own pages stay as made
    a = demo.assignment
    page = course / "feedback" / "right" / a / f"{a}.html"
    ours = page.read_text()  # made by the demo's generate_feedback, with the course's exporter
    nbgrader(course, "generate_feedback", a, "--student=right", "--force",
             "--GenerateFeedback.exporter_class=nbconvert.exporters.HTMLExporter")
    assert "<math" in ours and "Hidden tests ran here" in ours
    assert document(ours) == RANDOM_ID.sub("ID", page.read_text())
