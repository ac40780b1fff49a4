"""HideHiddenTests: keep hidden tests, and all the student's code saw of them, out of feedback."""

from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, Unicode

HIDDEN_NOTE = "# Hidden tests ran here; their result is below."
AFTER_HIDDEN_NOTE = ("[this cell's output is not part of the feedback: it ran after hidden tests, and "
                     "code can pass on what it saw of them]")
VERDICT = "course_verdict"  # cell metadata key where JudgedExecute leaves the judge's verdict


def verdict_output(verdict: dict):
    """The judge's verdict on a test cell as an output: an error when failed, text when passed."""
    if verdict.get("passed"):
        return new_output("stream", name="stdout", text=verdict["message"] + "\n")
    return new_output("error", ename="CheckFailed", evalue=verdict["message"],
                      traceback=[f"CheckFailed: {verdict['message']}"])


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden-test regions from grade cells, and every output the student's code produced
    from the first hidden test on.

    nbgrader's autograded notebooks contain the hidden tests, and a failing hidden test prints a
    traceback that quotes its source, so feedback generated from them reveals the hidden inputs
    and answers. Removing the regions is not enough: the student's kernel must be given a hidden
    test's inputs to run it (its expected values it never sees), and code that is given them can
    print them — in that cell, or stashed away and printed by any later cell — or read the cell's
    text from its frames, ``linecache``, ``In``, IPython's history. So from the first cell with a
    hidden region on, the feedback shows no output of the kernel's: a test cell shows only the
    grader's verdict (which never quotes a value the student's code returned), any other cell a
    one-line note. Cells before it ran before any hidden input existed in the kernel and keep
    their outputs. The autograded notebook itself, which only instructors see, keeps everything.
    """

    # nbgrader's base class declares this without config=True, so the HTML exporter's setting of it
    # warned "Config option `display_data_priority` not recognized" on every feedback run; nbgrader's
    # own GetGrades declares it configurable the same way.
    display_data_priority = List(["text/html", "application/pdf", "text/latex", "image/svg+xml",
                                  "image/png", "image/jpeg", "text/plain"]).tag(config=True)

    begin = Unicode("BEGIN HIDDEN TESTS", help="Marker that opens a hidden-test region").tag(
        config=True
    )
    end = Unicode("END HIDDEN TESTS", help="Marker that closes a hidden-test region").tag(
        config=True
    )

    def preprocess(self, nb, resources):
        seen_hidden = False
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if self.begin in cell.source:
                seen_hidden = True
                cell.source = self._without_hidden_regions(cell.source)
            if seen_hidden:
                cell.outputs = self._safe_outputs(cell)
        return nb, resources

    def _safe_outputs(self, cell) -> list:
        verdict = cell.metadata.get(VERDICT)
        if isinstance(verdict, dict) and isinstance(verdict.get("message"), str):
            return [verdict_output(verdict)]
        if cell.get("outputs"):
            return [new_output("stream", name="stdout", text=AFTER_HIDDEN_NOTE + "\n")]
        return []

    def _without_hidden_regions(self, source: str) -> str:
        kept, hiding = [], False
        for line in source.splitlines():
            if self.begin in line:
                hiding = True
                kept.append(line[: len(line) - len(line.lstrip())] + HIDDEN_NOTE)
            elif self.end in line:
                hiding = False
            elif not hiding:
                kept.append(line)
        return "\n".join(kept)
