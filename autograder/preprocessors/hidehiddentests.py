"""HideHiddenTests: keep hidden tests, and tracebacks that quote them, out of feedback."""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

HIDDEN_NOTE = "# Hidden tests ran here; their result is below."


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden-test regions from grade cells and shorten their error tracebacks.

    nbgrader's autograded notebooks contain the hidden tests, and a failing hidden test prints a
    traceback that quotes its source, so feedback generated from them reveals the hidden inputs
    and answers. This preprocessor replaces each region with a one-line note and cuts the
    traceback of any cell that had one down to its last line (exception type and message); the
    course's check helpers keep hidden answers out of those messages.
    """

    begin = Unicode("BEGIN HIDDEN TESTS", help="Marker that opens a hidden-test region").tag(
        config=True
    )
    end = Unicode("END HIDDEN TESTS", help="Marker that closes a hidden-test region").tag(
        config=True
    )

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or self.begin not in cell.source:
            return cell, resources
        cell.source = self._without_hidden_regions(cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources

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
