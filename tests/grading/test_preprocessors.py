"""HideHiddenTests keeps hidden tests and what student code saw of them out of feedback (nbgrader #917)."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.grading.preprocessors import HideHiddenTests
from autograder.grading.preprocessors.hidehiddentests import AFTER_HIDDEN_NOTE, VERDICT

HIDDEN_CELL = ("check(visible)\n    ### BEGIN HIDDEN TESTS\n    check(secret_input, 42)\n"
               "    ### END HIDDEN TESTS\nafter()")


def _printed(text):
    return new_output("stream", name="stdout", text=text)


def test_the_hidden_region_is_removed_and_its_cell_shows_only_the_graders_verdict():
    cell = new_code_cell(HIDDEN_CELL, outputs=[
        _printed("stack: check(secret_input, 42)\n"),
        new_output("error", ename="CheckFailed", evalue="f: hidden case 1 of 1",
                   traceback=["Traceback", "----> 3 check(secret_input, 42)", "CheckFailed: ..."])])
    cell.metadata[VERDICT] = {"passed": False, "message": "✘ judged by the grader: 1 of 2 checks failed"}
    notebook, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    out = notebook.cells[0]
    assert "secret_input" not in out.source and "HIDDEN" not in out.source
    assert out.source.splitlines() == [
        "check(visible)", "    # Hidden tests ran here; their result is below.", "after()"]
    assert [o.output_type for o in out.outputs] == ["error"]
    assert "secret_input" not in str(out.outputs) and "1 of 2 checks failed" in out.outputs[0].evalue


def test_no_output_of_the_kernel_after_the_first_hidden_test_reaches_feedback():
    """Regression: a function stashed the hidden inputs it was called with; a later cell printed them."""
    before = new_code_cell("x = 1", outputs=[_printed("before the hidden tests\n")])
    hidden = new_code_cell(HIDDEN_CELL, outputs=[_printed("✔ ...\n")])
    hidden.metadata[VERDICT] = {"passed": True, "message": "✔ judged by the grader: all 2 checks match"}
    later = new_code_cell("print(stash)", outputs=[_printed("secret_input=3.25\n")])
    quiet = new_code_cell("y = 2")
    later_test = new_code_cell("check(g)", outputs=[_printed("got: secret_input=3.25\n")])
    later_test.metadata[VERDICT] = {"passed": False, "message": "✘ judged by the grader: 1 of 1 failed"}
    notebook = new_notebook(cells=[before, hidden, new_markdown_cell("text"), later, quiet, later_test])
    notebook, _ = HideHiddenTests().preprocess(notebook, {})
    cells = notebook.cells
    assert cells[0].outputs[0].text == "before the hidden tests\n"
    assert cells[1].outputs[0].text.startswith("✔ judged by the grader")
    assert cells[3].outputs[0].text == AFTER_HIDDEN_NOTE + "\n"
    assert cells[4].outputs == []
    assert cells[5].outputs[0].evalue.startswith("✘ judged by the grader")
    assert "secret_input" not in str([c.get("outputs") for c in cells])


def test_a_notebook_without_hidden_tests_keeps_every_output():
    cell = new_code_cell("check(visible)", outputs=[
        new_output("error", ename="CheckFailed", evalue="e", traceback=["line 1", "line 2"])])
    notebook, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    assert notebook.cells[0].outputs[0]["traceback"] == ["line 1", "line 2"]
