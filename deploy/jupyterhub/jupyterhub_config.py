"""JupyterHub for one course of this repository: system users, nbgrader's exchange, formgrader as a service.

Started by `deploy/jupyterhub/hubctl.py run` (`make hub`), which sets the COURSE_HUB_* variables
below and prepares what this file expects: the class's system users, the course folder in the
grader account's home, the exchange and the PostgreSQL gradebook. See "Running a class on
JupyterHub" in the README.
"""

import os
import sys
import tomllib
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when JupyterHub loads this file)

HERE = Path(__file__).resolve().parent
CLASS = tomllib.loads(Path(os.environ.get("COURSE_HUB_CLASS", HERE / "class.toml")).read_text())
STATE = Path(os.environ.get("COURSE_HUB_STATE", "/srv/d2l-math-hub"))
COURSE, GRADER = CLASS["course"], CLASS["grader"]
INSTRUCTORS, STUDENTS = list(CLASS["instructors"]), list(CLASS["students"])
# The hub's own environment (`make hub-deps`): JupyterHub, JupyterLab, nbgrader and the course
# package installed from its wheel, so every single-user server and kernel can import `autograder`.
BIN = Path(sys.executable).parent
EXCHANGE = STATE / "exchange"
COURSE_ROOT = Path("/home") / GRADER / COURSE

c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'hub' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "hub" / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "hub" / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "hub" / "proxy.pid")
# configurable-http-proxy from npm (deploy/jupyterhub/package.json), run by Debian's nodejs.
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"

# --- who may log in ------------------------------------------------------------------------------
# PAM: the class's system accounts and their passwords. In production, put the LMS in front instead
# (jupyterhub-ltiauthenticator) or an OAuth provider (oauthenticator), as the README says.
c.JupyterHub.authenticator_class = "pam"
# The grader account is a hub user too, as nbgrader's demos have it: formgrader asks the hub for the
# courses of the account it runs as. Its system password is locked, so it cannot log in.
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS + [GRADER])
c.Authenticator.admin_users = set()  # instructors need no admin rights to run the course

# nbgrader's JupyterHub integration: formgrade-<course> may open the course's formgrader,
# nbgrader-<course> takes the course (nbgrader's assignment list asks the hub for these groups).
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": INSTRUCTORS + [GRADER]},
    f"nbgrader-{COURSE}": {"users": STUDENTS},
    "instructors": {"users": INSTRUCTORS},
}
c.JupyterHub.load_roles = [
    {"name": f"formgrade-{COURSE}", "groups": [f"formgrade-{COURSE}"],
     "scopes": [f"access:services!service={COURSE}", "list:services", f"read:services!service={COURSE}"]},
    {"name": f"nbgrader-{COURSE}", "groups": [f"nbgrader-{COURSE}"],
     "scopes": ["list:services", f"read:services!service={COURSE}"]},
    # formgrader adds a student it is told about to nbgrader-<course> (nbgrader's JupyterHubAuthPlugin).
    {"name": f"grader-{COURSE}", "services": [COURSE],
     "scopes": ["list:users", "read:users:groups", "read:users:name", "groups"]},
]
# What a single-user server's own token may do (the subset its owner holds): nbgrader's assignment
# and course lists read the owner's groups and the course services.
c.Spawner.server_token_scopes = ["users:activity!user", "read:users:name!user", "read:users:groups!user",
                                 "list:services", "read:services"]

# --- the single-user servers ---------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"  # each server runs as its user, in that user's home
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def profile(role: str) -> str:
    """The Jupyter config path of a role: its own settings first, then the exchange for everyone
    (deploy/jupyterhub/<role>/, which `hubctl.py setup` copies where every user can read them)."""
    return os.pathsep.join([str(STATE / "profiles" / role), str(STATE / "profiles" / "common")])


ENVIRONMENT = {
    "PATH": os.pathsep.join([str(BIN), "/usr/local/bin", "/usr/bin", "/bin"]),
    "COURSE_HUB_EXCHANGE": str(EXCHANGE),
}


def pre_spawn_hook(spawner):
    """Instructors get the course list; students the Assignments tab and Validate, nothing else."""
    groups = {group.name for group in spawner.user.groups}
    role = "instructor" if f"formgrade-{COURSE}" in groups else "student"
    spawner.environment.update(ENVIRONMENT, JUPYTER_CONFIG_PATH=profile(role))


c.Spawner.pre_spawn_hook = pre_spawn_hook

# --- formgrader: a hub-managed service, one per course, run as the grader account ----------------
# The course folder (source/, submitted/, feedback/) and the gradebook belong to that account,
# so several instructors share one course and no student's server can read it.
c.JupyterHub.services = [
    {
        "name": COURSE,  # nbgrader's course list expects the service to be named after the course
        "url": f"http://127.0.0.1:{os.environ.get('COURSE_HUB_SERVICE_PORT', '9999')}",
        "command": [str(BIN / "jupyterhub-singleuser"), f"--ServerApp.root_dir={COURSE_ROOT}"],
        "user": GRADER,
        "cwd": str(COURSE_ROOT),  # nbgrader reads the course's nbgrader_config.py from here
        "oauth_no_confirm": True,
        "environment": dict(ENVIRONMENT, JUPYTER_CONFIG_PATH=profile("grader"), JUPYTERHUB_DEFAULT_URL="/lab",
                            HOME=str(COURSE_ROOT.parent), SHELL="/bin/bash"),
    },
]
