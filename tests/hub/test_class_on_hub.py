"""A class on the real JupyterHub, in Chromium: an instructor releases A.2, two students fetch, solve
(one right, one partly wrong), validate and submit it, the instructor collects, grades with
`course-grade`, grades the written answer in formgrader and releases feedback, and each student
fetches their own feedback — and, from their own server, can read nobody else's work.
"""

from __future__ import annotations

import json
import re
import time

import nbformat
import psutil
import pytest
from playwright.sync_api import Page, expect

from autograder.devtools.course import SOURCE
from autograder.devtools.submissions import build_submission, scenario_module
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ASSIGNMENT = "A2_calculus"
EXPECT = 60_000  # ms: formgrader's lists take seconds when both cores are busy
WRITTEN = "gradient_by_hand"  # the written answer, graded by hand in formgrader (2 points)
# (scenario, points for the written answer, total): 15 autograded points + 2 written = 17
PLAN = {"ada": ("right", 2, 17), "bob": ("partly-right", 0, 10)}

# Runs a shell command in a new terminal of the Jupyter server at `base` (the page's own origin,
# so the browser's hub cookies authenticate it) and resolves with what the terminal printed.
TERMINAL = """async ([base, command]) => {
    const xsrf = decodeURIComponent((document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1] || '');
    const headers = {'X-XSRFToken': xsrf};
    const made = await fetch(base + 'api/terminals', {method: 'POST', headers});
    if (!made.ok) throw new Error('POST api/terminals: ' + made.status);
    const {name} = await made.json();
    const url = location.origin.replace(/^http/, 'ws') + base + 'terminals/websocket/' + name;
    const socket = new WebSocket(url);
    let text = '';
    const done = await new Promise((resolve, reject) => {
        const line = command + '; echo "COURSE-""DONE rc=$?"\\r';
        socket.onopen = () => socket.send(JSON.stringify(['stdin', line]));
        socket.onmessage = (event) => {
            const [kind, data] = JSON.parse(event.data);
            if (kind === 'stdout') text += data;
            const end = text.match(/COURSE-DONE rc=(\\d+)/);
            if (end) resolve(text);
        };
        socket.onerror = () => reject(new Error('terminal websocket failed'));
    });
    socket.close();
    await fetch(base + 'api/terminals/' + name, {method: 'DELETE', headers});
    return done;
}"""


# Runs code in the kernel of the notebook at `path` through the Jupyter server at `base` (the
# kernel's websocket, as JupyterLab talks to it); resolves with [status, what the kernel printed].
KERNEL = """async ([base, path, code]) => {
    const xsrf = decodeURIComponent((document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1] || '');
    let found;  // JupyterLab starts the notebook's kernel once the notebook is open
    for (let tries = 0; !found && tries < 240; tries++) {
        const sessions = await (await fetch(base + 'api/sessions', {headers: {'X-XSRFToken': xsrf}})).json();
        found = sessions.find(s => s.path === path && s.kernel);
        if (!found) await new Promise(r => setTimeout(r, 250));
    }
    const kernel = found.kernel.id;
    const session = crypto.randomUUID(), id = crypto.randomUUID();
    const url = location.origin.replace(/^http/, 'ws') + base + 'api/kernels/' + kernel
        + '/channels?session_id=' + session;
    const socket = new WebSocket(url);
    let text = '';
    const status = await new Promise((resolve, reject) => {
        socket.onopen = () => socket.send(JSON.stringify({
            header: {msg_id: id, username: '', session, msg_type: 'execute_request', version: '5.3'},
            parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
            content: {code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false,
                      stop_on_error: true}}));
        socket.onmessage = (event) => {
            const message = JSON.parse(event.data);
            if (message.parent_header.msg_id !== id) return;
            if (message.msg_type === 'stream') text += message.content.text;
            if (message.msg_type === 'error') text += message.content.ename + ': ' + message.content.evalue;
            if (message.channel === 'shell' && message.msg_type === 'execute_reply') {
                resolve(message.content.status);
            }
        };
        socket.onerror = () => reject(new Error('kernel websocket failed'));
    });
    socket.close();
    return [status, text];
}"""


def in_kernel(page: Page, base: str, path: str, code: str) -> tuple[str, str]:
    """(status, output) of ``code`` run in the kernel of the open notebook ``path``."""
    status, text = page.evaluate(KERNEL, [base, path, code])
    return status, text


def terminal(page: Page, base: str, command: str, *, timeout: float = 300_000) -> tuple[int, str]:
    """(exit status, output) of ``command`` run in a terminal of the server at path ``base``."""
    page.set_default_timeout(timeout)
    text = page.evaluate(TERMINAL, [base, command])
    page.set_default_timeout(60_000)
    output = text.split('COURSE-""DONE', 1)[-1]  # what follows the echo of the command line itself
    status = int(re.search(r"COURSE-DONE rc=(\d+)", output).group(1))
    return status, output


def login(browser, hub, user: str) -> Page:
    page = open_page(browser)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.passwords[user])
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/lab"), timeout=120_000)
    page.wait_for_selector(".jp-LabShell", timeout=120_000)
    return page


def open_assignments(page: Page) -> None:
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Assignment List", exact=True).click()
    page.wait_for_selector("#nbgrader-assignment-list")


def contents(page: Page, base: str, path: str) -> dict:
    response = page.request.get(f"{base}api/contents/{path}?content=1")
    assert response.ok, f"GET {path}: {response.status}"
    return response.json()


def put_notebook(page: Page, base: str, path: str, notebook) -> None:
    xsrf = next(c["value"] for c in page.context.cookies(base)
                if c["name"] == "_xsrf" and c["path"] != "/hub/")
    response = page.request.put(f"{base}api/contents/{path}", headers={"X-XSRFToken": xsrf},
                                data=json.dumps({"type": "notebook", "format": "json",
                                                 "content": json.loads(nbformat.writes(notebook))}))
    assert response.ok, f"PUT {path}: {response.status} {response.text()}"


def formgrader_button(page: Page, column: str) -> None:
    """Click an action of A.2's row in formgrader's Manage Assignments and wait for its success dialog."""
    page.locator(f"tr:has(td.name:has-text('{ASSIGNMENT}')) td.{column} a").click()
    modal = page.locator("#success-modal, #error-modal")
    expect(modal).to_be_visible(timeout=180_000)
    assert modal.get_attribute("id") == "success-modal", f"formgrader's {column}: {modal.inner_text()}"
    modal.get_by_role("button", name="Close").first.click()
    expect(modal).to_have_count(0, timeout=EXPECT)


def memory_of(user: str) -> dict[str, int]:
    """RSS in MiB of ``user``'s single-user server, of their kernels, and of both."""
    rss = {"server": 0, "kernels": 0}
    for process in psutil.process_iter(["username", "cmdline", "memory_info"]):
        if process.info["username"] == user and process.info["memory_info"]:
            kind = "kernels" if "ipykernel_launcher" in " ".join(process.info["cmdline"] or []) else "server"
            rss[kind] += process.info["memory_info"].rss
    return {kind: round(value / 2**20) for kind, value in {**rss, "both": sum(rss.values())}.items()}


def take_the_assignment(page: Page, hub, user: str, scenario_name: str) -> None:
    """Fetch A.2 from the Assignments tab, solve it as ``scenario_name``, Validate and Submit it."""
    base = f"{hub.url}/user/{user}/"
    # students have the Assignments tab and Validate, and no instructor tools
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    items = {t.strip() for t in page.locator(".lm-Menu-itemLabel").all_text_contents()} - {""}
    assert "Assignment List" in items and not {"Formgrader", "Courses", "Create Assignment"} & items, items
    page.keyboard.press("Escape")
    open_assignments(page)
    page.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT).get_by_role(
        "button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
    expect(fetched).to_be_visible(timeout=EXPECT)
    # the student's answers, typed in as a file (what typing them into the cells would save)
    path = f"{hub.klass.course}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    release = nbformat.from_dict(contents(page, base, path)["content"])
    module = scenario_module(ASSIGNMENT)
    scenario = next(s for s in module.SCENARIOS if s.name == scenario_name)
    source = nbformat.read(SOURCE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    solved = build_submission(release, source, scenario, module.MISTAKES)
    put_notebook(page, base, path, solved)
    page.goto(f"{base}lab/tree/{path}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # the student works in the notebook: its kernel runs every code cell
    code = "\n".join(cell.source for cell in nbformat.reads(nbformat.writes(solved), as_version=4).cells
                     if cell.cell_type == "code")
    status, output = in_kernel(page, f"/user/{user}/", path, code)
    assert status == "ok", output
    page.get_by_role("button", name="Validate").click()
    verdict = ("Success! Your notebook passes all the tests" if scenario_name == "right"
               else "The following cell failed")
    expect(page.locator(".jp-Dialog")).to_contain_text(verdict, timeout=120_000)
    page.locator(".jp-Dialog").get_by_role("button").last.click()
    open_assignments(page)
    fetched.get_by_role("button", name="Submit").click()
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first
    expect(submitted).to_be_visible(timeout=EXPECT)


def grade_the_class(instructor: Page, hub, written: dict[str, str]) -> float:
    """Collect, `course-grade`, grade the written answer of each student (``written``: user ->
    formgrader's button), generate and release feedback; return course-grade's seconds."""
    service = f"{hub.url}/services/{hub.klass.course}/"
    instructor.goto(f"{service}formgrader/manage_assignments")
    formgrader_button(instructor, "collect")
    instructor.goto(f"{service}lab")
    instructor.wait_for_selector(".jp-LabShell")
    started = time.monotonic()
    status, output = terminal(instructor, f"/services/{hub.klass.course}/",
                              f"course-grade --assignment {ASSIGNMENT}")
    seconds = time.monotonic() - started
    assert status == 0 and "graded 2," in output, output
    assert "student kernels run in bubblewrap" in output, output  # sandboxed, as the grader account
    listing = instructor.request.get(f"{service}formgrader/api/submitted_notebooks/{ASSIGNMENT}/{ASSIGNMENT}")
    assert listing.ok, listing.status
    submissions = {s["student"]: s["id"] for s in listing.json()}
    for user, button in written.items():
        instructor.goto(f"{service}formgrader/submissions/{submissions[user]}")
        cell = instructor.locator(".nbgrader_cell", has=instructor.locator(f"input#{WRITTEN}"))
        instructor.wait_for_load_state("networkidle")  # formgrader has loaded the grades it shows
        saved = lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"  # noqa: E731
        with instructor.expect_response(saved, timeout=EXPECT):
            cell.get_by_role("button", name=button).click()
    instructor.goto(f"{service}formgrader/manage_assignments")
    formgrader_button(instructor, "generate-feedback")
    formgrader_button(instructor, "release-feedback")
    return seconds


def feedback_score(page: Page, hub, user: str) -> tuple[float, float]:
    """Fetch Feedback in the Assignments tab; (score, out of) from the feedback the student got."""
    base, folder = f"{hub.url}/user/{user}/", f"{hub.klass.course}/{ASSIGNMENT}/feedback"
    open_assignments(page)
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first
    submitted.get_by_role("button", name="Fetch Feedback").click()
    expect(page.get_by_text("(view feedback)")).to_be_visible(timeout=EXPECT)
    stamp = contents(page, base, folder)["content"][0]["name"]
    html = contents(page, base, f"{folder}/{stamp}/{ASSIGNMENT}.html")["content"]
    score = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", re.sub(r"<[^>]+>", " ", html))
    assert score, "no score in the feedback"
    return float(score.group(1)), float(score.group(2))


def test_a_class_takes_an_assignment_on_the_hub(hub, browser, record_property):
    k = hub.klass
    students = {name.rsplit("-", 1)[1]: name for name in k.students}  # "ada" -> "hub1a2b-ada"
    ada, bob = students["ada"], students["bob"]
    service = f"/services/{k.course}/"

    # The instructor releases A.2 from formgrader (the hub's service for the course).
    instructor = login(browser, hub, k.instructors[0])
    assert "Nbgrader" in [t.strip() for t in instructor.locator(".lm-MenuBar-itemLabel").all_text_contents()]
    instructor.goto(f"{hub.url}{service}formgrader/manage_assignments")
    expect(instructor.locator(f"td.name:has-text('{ASSIGNMENT}')")).to_be_visible(timeout=EXPECT)
    formgrader_button(instructor, "assign")
    formgrader_button(instructor, "release")

    # Each student fetches it from the Assignments tab, solves it, validates and submits.
    pages, submitted = {}, {}
    for who, user in students.items():
        pages[who] = login(browser, hub, user)
        take_the_assignment(pages[who], hub, user, PLAN[who][0])
        submitted[who] = time.monotonic()

    # The instructor grades: collect, one command, the written answers by hand, feedback.
    buttons = {students[who]: "Full credit" if PLAN[who][1] else "No credit" for who in students}
    grading = grade_the_class(instructor, hub, buttons)
    released = time.monotonic()

    # Each student fetches their feedback and sees their own score.
    fetched = {}
    for who, user in students.items():
        assert feedback_score(pages[who], hub, user) == (PLAN[who][2], 17)
        fetched[who] = time.monotonic()

    # From her own server, a student reads none of: the other's work and feedback, the course
    # folder (source/, submitted/), the exchange's inbound and feedback folders, the gradebook.
    db = f"host={hub.state / 'pgsock'} dbname={k.database} user={k.grader}"
    denied, mine = "Permission denied", f"/user/{ada}/"
    probes = {  # what: (command, what the refusal says)
        "the other student's home": (f"ls /home/{bob}", denied),
        "the other student's notebook": (f"cat /home/{bob}/{k.course}/{ASSIGNMENT}/*.ipynb", denied),
        "the instructor's source/": (f"ls {k.course_root}/source", denied),
        "the collected submissions": (f"ls {k.course_root}/submitted", denied),
        "the exchange's inbound": (f"ls {hub.exchange}/inbound", denied),
        "the exchange's feedback": (f"ls {hub.exchange}/feedback", denied),
        "the gradebook": (f"python -c \"import psycopg; psycopg.connect('{db}')\"",
                          "Peer authentication failed"),
        "the course in the exchange": (f"mv {hub.exchange} {hub.exchange}-moved", "Operation not permitted"),
    }
    for what, (command, refusal) in probes.items():
        status, output = terminal(pages["ada"], mine, command, timeout=60_000)
        assert status != 0 and refusal in output, f"{ada} could reach {what}: {output}"
    # nor from her kernel, by Python
    status, output = in_kernel(pages["ada"], mine, f"{k.course}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
                               f"open('/home/{bob}/{k.course}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb').read()")
    assert status == "error" and "PermissionError" in output, output
    # ... all of which exist: the grader account, in the instructor's formgrader terminal, lists them
    exist = (f"ls -d {k.course_root}/source {k.course_root}/submitted/{bob} "
             f"{hub.exchange}/inbound/{bob}+{ASSIGNMENT}+* {hub.exchange}/feedback/*.html")
    status, output = terminal(instructor, service, exist)
    assert status == 0, output
    # the student's kernels import the installed course package, which holds no solutions
    status, output = terminal(pages["ada"], mine, "python -c \"import autograder, "
                              "autograder.learner.study as s; "
                              f"print(autograder.__file__, s.find_source('{ASSIGNMENT}'))\"", timeout=60_000)
    assert status == 0 and "site-packages/autograder/__init__.py None" in output, output
    # what the instructor graded is in the PostgreSQL gradebook, which only the grader account opens
    status, output = terminal(instructor, service,
                              f"python -c \"import psycopg; print(psycopg.connect('{db}')"
                              ".execute('select count(*) from submitted_assignment').fetchone()[0])\"")
    assert status == 0 and re.search(r"\b2\s*\r?\nCOURSE-DONE", output), output

    figures = {
        "course-grade (s)": round(grading, 1),
        "last Submit -> feedback released (s)": round(released - submitted["bob"], 1),
        "first Submit -> its feedback fetched (s)": round(fetched["ada"] - submitted["ada"], 1),
        "RSS per active student, MiB": {who: memory_of(user) for who, user in students.items()},
    }
    record_property("hub_figures", json.dumps(figures))
    print("hub figures:", json.dumps(figures))
    for page in [*pages.values(), instructor]:
        page.context.close()
