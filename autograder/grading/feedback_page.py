"""The HTML exporter of the course's feedback: nbconvert's, without its second reading of the page.

nbconvert's HTMLExporter renders a notebook through its template and then parses the whole page
again with BeautifulSoup's pure-Python parser, for three touches: a default alt text on each image
that has none, and ``tabindex`` on the input and output areas of JupyterLab-template cells. On
this course's feedback pages (some 13,000 tags: highlighted code and MathML) that reading took
about half of each page's time. nbgrader's feedback template is the classic one, which has no such
areas, so here only the images are touched, where the template wrote them; any other template
goes nbconvert's own way. tests/grading/test_feedback_page.py checks that the page, once parsed,
is the very document nbconvert makes.
"""

from __future__ import annotations

import re

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

NO_ALT = "No description has been provided for this image"  # nbconvert's words for it
FEEDBACK_TEMPLATE = "feedback"  # nbgrader's (GenerateFeedback sets it)
# An <img> tag without an alt attribute; the attributes it has, and its closing "/" if any.
IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt\s*=)([^>]*?)\s*(/?)>", re.IGNORECASE)


def _with_alt(match: re.Match) -> str:
    return f'<img{match.group(1)} alt="{NO_ALT}"{match.group(2)}>'


class FeedbackExporter(HTMLExporter):
    """HTMLExporter's page for nbgrader's feedback template, in about 0.4 of its time (make bench)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        if self.template_name != FEEDBACK_TEMPLATE:
            return super().from_notebook_node(nb, resources, **kw)
        # The filters HTMLExporter registers for each notebook: code highlighted in the notebook's
        # own language, and widget outputs shown as the notebook's metadata says.
        info = nb.metadata.get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name"))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        html, missing = IMAGE_WITHOUT_ALT.subn(_with_alt, html)
        if missing:
            self.log.warning("Alternative text is missing on %s image(s).", missing)
        return html, resources
