"""A live kernel driven from Python: run a notebook's cells, then move its explorers and read them."""

from __future__ import annotations

import base64
import json
import queue
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from autograder.sandbox.zmq_polling import install


def execute(notebook, *, folder: Path, timeout: float = 120, allow_errors: bool = False):
    """Run a notebook (a NotebookNode, changed in place) as Restart & Run All would, in ``folder``."""
    install()
    resources = {"metadata": {"path": str(folder)}}
    NotebookClient(notebook, timeout=timeout, allow_errors=allow_errors, resources=resources).execute()
    return notebook


class CellError(RuntimeError):
    """Code sent to the kernel raised; the message carries the exception and traceback."""


@dataclass
class Outputs:
    """What one execution produced, including what a widget's Output area would show."""

    text: str = ""
    images: list[str] = field(default_factory=list)  # base64 PNGs, in display order
    displays: list[str] = field(default_factory=list)  # other displays' text (verdicts, hints)
    error: str | None = None


@dataclass(frozen=True)
class Shown:
    """What an explorer (autograder.learner.explorer.Explorer) shows after a move of its controls."""

    image: bytes  # the figure, as PNG
    readout: str  # the numbers printed under it
    alt: str  # the figure in words
    caption: str  # the figure's changing title, shown above it ("" for a figure without one)
    values: dict  # the positions synced to the page (a Steps control's is its index)
    current: dict  # each control's value, as explorer[name] gives it
    printed: str = ""  # anything the move printed (warnings, stray prints)


class KernelSession:
    """A kernel started in ``cwd``; use as a context manager so the kernel always stops."""

    def __init__(self, cwd: Path, *, timeout: float = 60):
        self.cwd, self.timeout = Path(cwd), timeout

    def __enter__(self) -> KernelSession:
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(self.cwd))
        return self

    def __exit__(self, *exc) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, code: str, *, allow_error: bool = False, store: bool = False) -> Outputs:
        """Execute ``code`` and collect every output published for it until the kernel is idle;
        ``store`` keeps it in the kernel's history, as a notebook cell run from the UI is."""
        msg_id = self.client.execute(code, store_history=store)
        out = Outputs()
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=self.timeout)
            except queue.Empty as err:
                raise TimeoutError(f"no reply within {self.timeout}s to:\n{code}") from err
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.text += content["text"]
            elif kind in ("display_data", "execute_result", "update_display_data"):
                data = content["data"]
                if "image/png" in data:
                    out.images.append(data["image/png"])
                elif "text/plain" in data and kind == "execute_result":
                    out.text += data["text/plain"] + "\n"
                elif "text/plain" in data:
                    out.displays.append(data["text/plain"])
            elif kind == "error":
                out.error = f"{content['ename']}: {content['evalue']}\n" + "\n".join(content["traceback"])
            elif kind == "status" and content["execution_state"] == "idle":
                break
        if out.error and not allow_error:
            raise CellError(out.error)
        return out

    def json(self, expression: str):
        """Evaluate ``expression`` in the kernel and bring its value back through JSON."""
        return json.loads(self.run(f"import json as _json; print(_json.dumps({expression}))").text)

    def explore(self, explorer: str, **changes) -> Shown:
        """Move an explorer's controls as its ``set`` does (``explorer`` names it in the kernel) and
        return what it shows then; with no changes, what it shows now. Values travel as JSON, so
        ``p=float("inf")`` works; a control the explorer lacks raises :class:`CellError`."""
        printed = ""
        if changes:
            arguments = json.dumps(json.dumps(changes))
            code = f"import json as _json; _frame = {explorer}.set(**_json.loads({arguments}))"
            printed = self.run(code).text
        else:
            self.run(f"_frame = {explorer}")
        shown = self.json(
            "(lambda e, f: {'image': __import__('base64').b64encode(e.image).decode(), 'readout': e.readout,"
            " 'alt': e.alt, 'caption': e.caption, 'values': e.values, 'current': {n: e[n] for n in e.values},"
            " 'frame': [getattr(f, 'readout', e.readout), getattr(f, 'alt', e.alt)]})"
            f"({explorer}, _frame)")
        if shown.pop("frame") != [shown["readout"], shown["alt"]]:
            raise AssertionError(f"{explorer}.set returned a frame other than the one it shows")
        shown["image"] = base64.b64decode(shown["image"])
        return Shown(**shown, printed=printed)

    def run_notebook(self, path: Path) -> None:
        """Run every code cell of a notebook in order, as Run All would; stop at an error."""
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                self.run(cell.source)
