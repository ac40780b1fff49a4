"""A JupyterLab server with the learner settings and Debian's Chromium: for the browser tests
(tests/browser/) and the browser half of `make bench`, which must see the same page a learner sees."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from autograder.devtools.course import REPO

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own browser download is unavailable here: use Debian's build, with the flags a
# closed network and a root user need.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "course-browser-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(root: Path, home: Path) -> Iterator[str]:
    """JupyterLab (and Notebook 7) from this environment, as `make lab` starts it, serving ``root``
    on a free loopback port; yields its URL. ``home`` holds its config, workspaces and log."""
    port = free_port()
    # A fresh user config and workspace: nothing from the machine's ~/.jupyter leaks in.
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(REPO / "jupyter-config" / "learner"),
               JUPYTER_CONFIG_DIR=str(home / "config"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    log = (home / "jupyter.log").open("w")
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
               f"--LabApp.workspaces_dir={home / 'workspaces'}",
               f"--LabApp.user_settings_dir={home / 'settings'}", "--allow-root"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {log.name}") from None
                time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser):
    """A new page in a browser context of its own (its own storage, nothing shared)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def open_notebook(page, server: str, path: str, *, app: str = "lab") -> None:
    """Open a notebook in JupyterLab (``app="lab"``) or Notebook 7 (``app="notebooks"``)."""
    # A workspace of its own, so JupyterLab does not reopen (and count) an earlier notebook.
    route = f"lab/workspaces/{uuid.uuid4().hex}/tree" if app == "lab" else "notebooks"
    page.goto(f"{server}/{route}/{path}?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")


ALL_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""
ANY_STARTED = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .some(p => /\\[(\\d+|\\*)\\]/.test(p.textContent))"""


KERNEL_DIALOG = """[...document.querySelectorAll('.jp-Dialog')]
    .some(d => d.textContent.includes('Select Kernel'))"""


def accept_kernel(dialog) -> None:
    """Take the kernel JupyterLab offers (it asks when Run All comes before the kernel is ready,
    as on a busy machine)."""
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()   # "Select", the preferred kernel
    dialog.wait_for(state="detached")


def run_all_cells(page, *, tries: int = 3, timeout_ms: int = 120_000) -> None:
    """Run → Run All Cells, then wait until every code cell has an execution count.

    A click that lands while the kernel is still starting can be dropped, or answered with
    JupyterLab's Select Kernel dialog (its offer is taken), so the command is given again (up to
    ``tries`` times) when no cell has started after a while.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    kernel_dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    for _ in range(tries):
        if kernel_dialog.count():
            accept_kernel(kernel_dialog)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(f"() => ({ANY_STARTED})() || {KERNEL_DIALOG}", timeout=20_000)
            if kernel_dialog.count():   # Run All came before the kernel was ready: take it
                accept_kernel(kernel_dialog)
                page.wait_for_function(ANY_STARTED, timeout=10_000)   # the cells run, or ask again
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_function(ALL_RAN, timeout=timeout_ms)
