"""Graded kernels: sandboxed where bubblewrap works, limited and -P everywhere."""

import os

import nbformat
import pytest
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

from autograder import sandbox
from autograder.sandbox import SandboxedKernelManager, status

PROBE = """
import os, sys, resource
print('uid', os.getuid())
print('path has cwd', '' in sys.path or os.getcwd() in sys.path)
print('memory limit', resource.getrlimit(resource.RLIMIT_AS)[0])
print('sees', open('given.txt').read())
open('written-here', 'w').close()
print('wrote', os.listdir('.'))
"""


def run_probe(folder, **manager_config) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    client = NotebookClient(nb, timeout=60, kernel_manager_class=SandboxedKernelManager,
                            resources={"metadata": {"path": str(folder)}})
    client.km = client.create_kernel_manager()
    for name, value in manager_config.items():
        setattr(client.km, name, value)
    client.execute()
    return "".join(o.get("text", "") for o in nb.cells[0].outputs)


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.skipif(not status().sandboxed, reason=f"no sandbox here: {status().reason}")
def test_a_sandboxed_kernel_is_limited_and_works_on_a_private_copy_of_its_folder(tmp_path):
    (tmp_path / "given.txt").write_text("the submission's file")
    out = run_probe(tmp_path)
    assert "path has cwd False" in out
    assert f"memory limit {4 * 2**30}" in out
    assert "sees the submission's file" in out and "written-here" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["given.txt"]  # the real folder is untouched


@pytest.mark.slow
def test_without_the_sandbox_the_kernel_still_gets_limits_a_clean_path_and_a_private_copy(tmp_path):
    (tmp_path / "given.txt").write_text("the submission's file")
    out = run_probe(tmp_path, sandbox=False)
    assert "path has cwd False" in out and f"memory limit {4 * 2**30}" in out
    assert "sees the submission's file" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["given.txt"]


def test_a_missing_bubblewrap_is_reported_with_how_to_install_it(monkeypatch):
    sandbox.status.cache_clear()
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    try:
        state = sandbox.status()
        assert not state.sandboxed and "make sandbox" in state.reason
    finally:
        sandbox.status.cache_clear()


@pytest.mark.slow
def test_a_restarted_kernel_finds_its_files_as_they_were_and_a_stopped_one_leaves_no_folder(tmp_path):
    (tmp_path / "given.txt").write_text("the submission's file")
    (tmp_path / "run.sh").write_text("#!/bin/sh\n")
    (tmp_path / "run.sh").chmod(0o755)
    os.mkfifo(tmp_path / "pipe")  # never copied: reading it would wait forever
    km = SandboxedKernelManager(kernel_name="python3", report_checks=True)
    run_sync(km.start_kernel)(cwd=str(tmp_path))
    work, runtime = km.work_dir, km.work_dir.parent.parent
    assert sorted(p.name for p in work.iterdir()) == ["given.txt", "run.sh"]
    assert os.access(work / "run.sh", os.X_OK)
    (work / "given.txt").unlink()  # as a cell might, before a later cell kills the kernel
    (work / "junk.txt").write_text("written by the killed kernel")
    run_sync(km.restart_kernel)(now=True)
    assert sorted(p.name for p in work.iterdir()) == ["given.txt", "run.sh"]
    run_sync(km.shutdown_kernel)(now=True)
    assert not runtime.exists()


@pytest.mark.slow
def test_a_kernel_that_died_on_its_own_leaves_no_folder(tmp_path):
    km = SandboxedKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(cwd=str(tmp_path))
    runtime = km.work_dir.parent.parent
    km.provisioner.process.kill()
    km.provisioner.process.wait()
    run_sync(km.cleanup_resources)()  # what nbclient calls when the kernel is already dead
    assert not runtime.exists()
