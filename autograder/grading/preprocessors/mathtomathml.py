"""MathToMathML: the LaTeX of markdown cells as MathML, so formgrader and feedback show it offline.

nbconvert's HTML leaves ``$…$`` for MathJax, which its templates (and nbgrader's) load from a CDN:
without the internet — a class network, a feedback file opened from disk — graders and students
see raw LaTeX. Browsers draw MathML themselves (Chromium, Firefox, Safari), so this step converts
each formula of a markdown cell, written answers included, with latex2mathml before the page is
rendered. Code (fenced blocks, `spans`) and escaped dollars are left alone, and so is a formula
latex2mathml cannot convert (MathJax, where it loads, still typesets it).
"""

from __future__ import annotations

import re

from latex2mathml.converter import convert
from nbconvert.preprocessors import Preprocessor

# What is not mathematics: fenced code blocks, inline code spans, escaped dollars.
_CODE = re.compile(r"(^|\n)(```|~~~).*?(\n\2[^\n]*(?=\n|$)|$)|(`+)[^`].*?\4|\\\$", re.S)
# $$display$$, then $inline$ as pandoc reads it: no space inside either dollar, and the closing one
# not followed by a digit ("it costs $5 and $10" holds no formula).
_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$"
                   r"|\$(?P<inline>[^\s$](?:[^$\n]|\n(?!\s*\n))*?(?<=[^\s\\]))\$(?!\d)", re.S)


def latex_to_mathml(markdown: str) -> str:
    """``markdown`` with each formula outside code replaced by its MathML."""
    pieces, last = [], 0
    for code in _CODE.finditer(markdown):
        pieces.append(_convert(markdown[last:code.start()]))
        pieces.append(code.group(0))
        last = code.end()
    pieces.append(_convert(markdown[last:]))
    return "".join(pieces)


def _convert(text: str) -> str:
    def mathml(match: re.Match) -> str:
        display = match.group("display") is not None
        latex = match.group("display") if display else match.group("inline")
        try:
            return convert(latex.strip(), display="block" if display else "inline")
        except Exception:  # noqa: BLE001 - a formula it cannot read stays as it was written
            return match.group(0)

    return _MATH.sub(mathml, text)


class MathToMathML(Preprocessor):
    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = latex_to_mathml(cell.source)
        return cell, resources
