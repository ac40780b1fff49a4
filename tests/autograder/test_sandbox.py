"""Graded kernels: sandboxed where bubblewrap works, limited and -P everywhere."""

import nbformat
import pytest
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
