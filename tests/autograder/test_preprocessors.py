"""HideHiddenTests keeps hidden tests out of feedback (nbgrader #917)."""

from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.preprocessors import HideHiddenTests


def test_hidden_region_and_the_traceback_quoting_it_are_removed():
    cell = new_code_cell(
        "check(visible)\n    ### BEGIN HIDDEN TESTS\n    check(secret_input, 42)\n"
        "    ### END HIDDEN TESTS\nafter()",
        outputs=[new_output("error", ename="CheckFailed", evalue="f: hidden case 1 of 1",
                            traceback=["Traceback", "----> 3 check(secret_input, 42)", "CheckFailed: ..."])],
    )
    notebook, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    out = notebook.cells[0]
    assert "secret_input" not in out.source and "HIDDEN" not in out.source
    assert out.source.splitlines() == [
        "check(visible)", "    # Hidden tests ran here; their result is below.", "after()"]
    assert out.outputs[0]["traceback"] == ["CheckFailed: f: hidden case 1 of 1"]


def test_cells_without_hidden_tests_keep_their_traceback():
    cell = new_code_cell("check(visible)", outputs=[
        new_output("error", ename="CheckFailed", evalue="e", traceback=["line 1", "line 2"])])
    notebook, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    assert notebook.cells[0].outputs[0]["traceback"] == ["line 1", "line 2"]
