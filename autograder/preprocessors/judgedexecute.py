"""JudgedExecute: nbgrader's Execute, sandboxed, with the verdicts decided outside the kernel.

It takes the place of ``nbgrader.preprocessors.Execute`` in ``Autograde.autograde_preprocessors``
(see autograder/nbgrader_config.py), so ``nbgrader autograde`` and ``course-grade`` both use it.
Compared with Execute it

- starts the kernel through :class:`autograder.sandbox.SandboxedKernelManager`, or, with
  ``spare_kernel``, takes one that booted while the previous notebook was graded;
- runs test cells with their expected values blanked out, and collects what each check reports;
- recovers from a cell that kills the kernel or outlives its timeout: that cell fails, the kernel
  is restarted, the cells before it are run again silently, and grading goes on with the next
  cell — so only the cells that depend on the broken one lose points;
- keeps at most ``max_output_bytes`` of output per cell;
- finally sets each test cell's outcome from :func:`autograder.judge.judge_cell`: a cell the judge
  passes loses its error outputs and its stderr becomes ordinary output (a warning costs nothing);
  a cell it fails gets, first, an error output saying which checks failed and why. nbgrader's
  SaveAutoGrades then scores the cells from those outputs as usual.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
from pathlib import Path

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_hook
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from ..judge import judge_cell
from ..reference import RecordsChecks, reference_records
from ..reports import test_cell_id
from ..sandbox import SandboxedKernelManager, SandboxUnavailable, refusal, status
from ..spare_kernel import Launch, SpareKernels
from ..zmq_polling import install
from .hidehiddentests import VERDICT, verdict_output

_warned_unsandboxed = False


def _loop_running() -> bool:
    """Whether an event loop runs in this thread (nbclient's async API): spares need their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@functools.cache
def _spares() -> SpareKernels:
    """This process's spare kernels (one process grades one notebook at a time)."""
    return SpareKernels()


class JudgedExecute(RecordsChecks, Execute):
    """Execute a submission in the sandbox and let the judge decide its test cells."""

    hide_expected = True

    max_output_bytes = Integer(1_000_000, help="Output kept per cell, in bytes; the rest is dropped.").tag(
        config=True)

    spare_kernel = Bool(False, help=(
        "Start the next notebook's kernel while this one is graded. course-grade's workers turn "
        "it on. Off by default: formgrader autogrades inside the Jupyter server, where a spare "
        "would wait for a next notebook that may never come.")).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources, km=None):
        install()
        self._require_sandbox()
        reference = self._reference(resources)
        self.records: dict[int, list[dict]] = {}
        self._output_bytes: dict[int, int] = {}
        self._broken: set[int] = set()
        self._spare_client = None
        super().preprocess(nb, resources, km)
        self._judge(reference)
        return self.nb, self.resources

    # --- running -----------------------------------------------------------------------------

    def _require_sandbox(self) -> None:
        """Refuse, before any student code runs, to grade without the sandbox unless told to."""
        global _warned_unsandboxed
        state = status()
        if state.sandboxed:
            if not state.quota and not _warned_unsandboxed:
                _warned_unsandboxed = True
                self.log.warning("Kernels have no disk quota (%s): only each file's size is limited.",
                                 state.quota_reason)
            return
        if SandboxedKernelManager(config=self.config).sandbox:
            self.log.error("%s", refusal(state))
            raise SandboxUnavailable(refusal(state))
        if not _warned_unsandboxed:
            _warned_unsandboxed = True
            self.log.warning("Grading is NOT sandboxed (%s; turned off by the course's settings): "
                             "student code runs with your rights.", state.reason)

    def create_kernel_manager(self):
        """nbclient's manager, reporting checks; or, with spare_kernel, a spare's, its kernel ready."""
        if not issubclass(self.kernel_manager_class, SandboxedKernelManager):
            raise TypeError(f"JudgedExecute needs a SandboxedKernelManager (or a subclass) to collect the "
                            f"checks' records; kernel_manager_class is {self.kernel_manager_class.__name__}")
        launch = self._launch()
        if self.spare_kernel and not _loop_running():
            # nbclient owns it from here, and stops it after the notebook like one it started.
            self.km, self._spare_client = _spares().take(launch)
        else:
            self.km = launch.manager(launch.kernel_name)
        return self.km

    def _launch(self) -> Launch:
        """How nbclient would make and start this notebook's kernel (for a spare: ahead of it)."""
        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name", "")
        manager_class, config = self.kernel_manager_class, self.config

        def manager(kernel_name: str):
            km = manager_class(config=config, **({"kernel_name": kernel_name} if kernel_name else {}))
            km.report_checks = True
            return km

        return Launch(name, manager, {"extra_arguments": list(self.extra_arguments)}, self.startup_timeout)

    async def async_start_new_kernel_client(self):
        kc, self._spare_client = self._spare_client, None
        spare = kc is not None
        if spare:  # ready already; nbclient goes on as with a client it made itself
            self.kc, kc.allow_stdin = kc, False
        else:
            kc = await super().async_start_new_kernel_client()
        try:
            if spare:
                folder = self.resources.get("metadata", {}).get("path")
                if folder:
                    self.km.copy_in(Path(folder))  # the submission's files
                await run_hook(self.on_notebook_start, notebook=self.nb)
            self.report = self.km.report
            if self.report is None:
                raise TypeError("JudgedExecute needs a kernel manager with report_checks on")
        except BaseException:  # nbclient cleans up only once the kernel is set up
            await self._async_cleanup_kernel()
            raise
        return kc

    # nbclient's synchronous setup calls this wrapper of the base class's coroutine; wrap ours.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def preprocess_cell(self, cell, resources, index):
        """Execute one cell; if it broke the kernel, fail it alone and go on with a fresh kernel."""
        try:
            cell, _ = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs.append(_error("KernelDied", "the kernel died while running this cell "
                                                     "(os._exit, a crash, or a resource limit)"))
            self._recover(index)
        except CellTimeoutError:
            cell.outputs.append(_error("CellTimeoutError", f"this cell ran longer than {self.timeout} s"))
            self._recover(index)
        else:
            if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                self._recover(index)  # the kernel may still be stuck in it
            elif cell.cell_type == "code" and self._disk_full():
                limit = self.km.disk_limit / 2**20
                note = (f"[disk quota exceeded: this kernel may write {limit:g} MB in all (working "
                        "folder and /tmp); the grader restarted it]\n")
                cell.outputs.append(new_output("stream", name="stdout", text=note))
                self.log.warning("Disk quota exceeded by cell %d of %s; the kernel was restarted", index,
                                 self.resources.get("metadata", {}).get("path", "the notebook"))
                self._recover(index)
            elif cell.cell_type == "code" and self._left_processes():
                # Killed, they stay zombies of the kernel and still count against the process
                # limit; only a fresh kernel gives the later cells their fair share.
                note = "[the grader stopped processes this cell left running, and restarted the kernel]\n"
                cell.outputs.append(new_output("stream", name="stdout", text=note))
                self._recover(index)
        return cell, self.resources

    def _disk_full(self) -> bool:
        full = getattr(self.km, "disk_full", None)
        return bool(full and full())

    def _left_processes(self) -> bool:
        reap = getattr(self.km, "reap_strays", None)
        return bool(reap and reap())

    def _recover(self, index: int) -> None:
        self._broken.add(index)
        run_sync(self._async_recover)(index)

    async def _async_recover(self, index: int) -> None:
        """A fresh kernel in the state the cells before ``index`` left (except broken ones)."""
        await self.km.restart_kernel(now=True)
        await self.kc.wait_for_ready(timeout=self.startup_timeout)
        self.replaying = True
        try:
            for i, cell in enumerate(self.nb.cells[:index]):
                if cell.cell_type == "code" and i not in self._broken:
                    await self.async_execute_cell(copy.deepcopy(cell), i, store_history=False)
        finally:
            self.replaying = False

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:  # the first message over the limit: say so, once
            note = f"\n[output cut: this cell printed more than {self.max_output_bytes:,} bytes]\n"
            outs.append(new_output("stream", name="stdout", text=note))
        return None

    # --- judging -----------------------------------------------------------------------------

    def _reference(self, resources) -> dict[str, list[dict]]:
        meta = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", meta["assignment"]))
        return reference_records(folder / f"{meta['notebook']}.ipynb", course=Path(coursedir.root),
                                 timeout=self.timeout or 120)

    def _judge(self, reference: dict[str, list[dict]]) -> None:
        sources = [cell.source for cell in self.nb.cells if cell.cell_type == "code"]
        for index, cell in enumerate(self.nb.cells):
            grade_id = test_cell_id(cell)
            if grade_id is None:
                continue
            verdict = judge_cell(reference.get(grade_id, []), self.records.get(index, []), sources=sources)
            # Kept for feedback, which shows only the verdict from the first hidden test on.
            cell.metadata[VERDICT] = {"passed": verdict.passed, "message": verdict.message()}
            if verdict.passed:
                kept = [_as_stdout(o) for o in cell.outputs
                        if o.output_type not in ("error", "execute_result")]
                cell.outputs = [*kept, verdict_output(cell.metadata[VERDICT])]
            else:
                # First, so that nbgrader's scoring sees the error before anything else.
                cell.outputs = [verdict_output(cell.metadata[VERDICT]),
                                *[o for o in cell.outputs if o.output_type != "execute_result"]]


def _error(name: str, message: str):
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


def _as_stdout(output):
    if output.output_type == "stream" and output.name == "stderr":
        output = copy.deepcopy(output)
        output.name = "stdout"  # shown, but nbgrader no longer reads it as a failure
    return output
