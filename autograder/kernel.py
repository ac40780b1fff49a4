"""A live kernel driven from Python: run a notebook's cells, then poke its widgets and read what they draw."""

from __future__ import annotations

import json
import queue
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from .zmq_polling import install


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

    def redraw(self, code: str) -> tuple[list[str], str]:
        """Run code that moves widget controls; return (images drawn, text printed) by the redraw."""
        out = self.run(code)
        return out.images, out.text

    def run_notebook(self, path: Path) -> None:
        """Run every code cell of a notebook in order, as Run All would; stop at an error."""
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                self.run(cell.source)
