"""`make figures`: draw the static figures that stand before each widget, from the notebook's own code.

A markdown cell that shows a figure carries ``{"course": {"figure": "figures/NAME.png",
"code": "draw_...(...)"}}`` in its metadata. This runs the source notebook, then that code, and
saves the PNG it displays next to the notebook, so the picture a reader sees without a kernel is
the one the widget draws at those settings, never a hand-made one.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from autograder.devtools.course import SOURCE, assignments
from autograder.devtools.kernel import execute


def figure_specs(notebook) -> list[tuple[str, str]]:
    """(relative PNG path, code that draws it) for every figure cell of a notebook."""
    specs = []
    for cell in notebook.cells:
        spec = cell.metadata.get("course", {})
        if cell.cell_type == "markdown" and "figure" in spec:
            if f"({spec['figure']})" not in cell.source:
                raise ValueError(f"figure cell does not show its own image {spec['figure']}")
            specs.append((spec["figure"], spec["code"]))
    return specs


def draw_figures(notebook_path: Path) -> list[Path]:
    """Run the notebook and save each figure next to it; return the files written."""
    notebook = nbformat.read(notebook_path, as_version=4)
    specs = figure_specs(notebook)
    if not specs:
        return []
    first = len(notebook.cells)
    notebook.cells.extend(new_code_cell(code) for _, code in specs)
    execute(notebook, folder=notebook_path.parent)
    written = []
    for (relative, code), cell in zip(specs, notebook.cells[first:], strict=True):
        images = [o["data"]["image/png"] for o in cell.outputs if "image/png" in o.get("data", {})]
        if len(images) != 1:
            raise RuntimeError(f"{code} displayed {len(images)} images, expected exactly one")
        target = notebook_path.parent / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(images[0]))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    for assignment in assignments():
        for path in draw_figures(SOURCE / assignment / f"{assignment}.ipynb"):
            print(f"wrote {path.relative_to(SOURCE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
