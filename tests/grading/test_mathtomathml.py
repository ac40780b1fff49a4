"""MathToMathML turns the formulas of markdown cells into MathML, and nothing else."""

import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from traitlets.config import Config

from autograder.grading.preprocessors.mathtomathml import latex_to_mathml


@pytest.mark.parametrize(("markdown", "formulas"), [
    ("Let $x$ be a number and $\\mathbf{v}$ a vector.", 2),
    ("Display:\n\n$$\n\\frac{\\partial f}{\\partial x_i}\n$$\n", 1),
    ("It costs $5 and $10.", 0),
    ("The shell's `$HOME` and $a + b$.", 1),
    ("```\n$not = a formula$\n```\nbut $z$ is", 1),
    ("An escaped \\$ sign, then $y$.", 1),
    ("Two paragraphs: $a\n\nb$ are not one formula.", 0),
], ids=["inline", "display", "prices", "code-span", "fenced-code", "escaped", "paragraphs"])
def test_formulas_outside_code_become_mathml(markdown, formulas):
    assert latex_to_mathml(markdown).count("<math") == formulas


def test_display_formulas_are_blocks_and_the_rest_of_the_text_is_kept():
    out = latex_to_mathml("Since $$\\sum_i x_i$$ holds, **so** does it.")
    assert 'display="block"' in out and out.startswith("Since <math")
    assert out.endswith("holds, **so** does it.")


def test_the_course_configuration_renders_markdown_formulas_as_mathml_and_leaves_code_alone():
    config = Config()
    config.HTMLExporter.preprocessors = ["autograder.grading.preprocessors.MathToMathML"]
    nb = new_notebook(cells=[new_markdown_cell("The gradient $\\nabla f = A\\mathbf{x} - \\mathbf{b}$."),
                             new_code_cell("price = '$5 and $6'")])
    html, _ = HTMLExporter(config=config).from_notebook_node(nb)
    assert "<math" in html and "\\nabla" not in html and "$5 and $6" in html
