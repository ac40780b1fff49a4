"""The learner's Jupyter server sends a kernel's messages to the page at once (no Nagle delay)."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

from autograder.server.kernel_websocket import PromptKernelWebsocketConnection

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "deploy" / "jupyterhub"


def test_a_kernel_websocket_switches_off_nagle_before_it_connects():
    handler = mock.Mock(spec=KernelWebsocketHandler)
    calls = []
    handler.set_nodelay.side_effect = lambda value: calls.append(("set_nodelay", value))
    with mock.patch.object(ZMQChannelsWebsocketConnection, "connect",
                           lambda self: calls.append(("connect",)) or "nudged"):
        connection = PromptKernelWebsocketConnection(websocket_handler=handler)
        assert connection.connect() == "nudged"          # the server awaits what connect returns
    assert calls == [("set_nodelay", True), ("connect",)]


SERVER_CLASS = """
from jupyter_server.serverapp import ServerApp
app = ServerApp()
app.load_config_file()
print(app.kernel_websocket_connection_class.__module__, app.kernel_websocket_connection_class.__name__)
"""


@pytest.mark.parametrize("config_path", [
    [ROOT / "jupyter-config" / "learner"],                              # make lab, Binder, the tests
    [HUB / "student", HUB / "common"],                                  # the hub's roles
    [HUB / "instructor", HUB / "common"],
    [HUB / "grader", HUB / "common"],
], ids=["learner", "hub-student", "hub-instructor", "hub-grader"])
def test_every_jupyter_server_of_the_course_uses_it(config_path, tmp_path):
    env = dict(os.environ, JUPYTER_CONFIG_PATH=os.pathsep.join(map(str, config_path)),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    chosen = subprocess.run([sys.executable, "-c", SERVER_CLASS], env=env, capture_output=True, text=True,
                            check=True, timeout=60).stdout.split()
    assert chosen == [PromptKernelWebsocketConnection.__module__, PromptKernelWebsocketConnection.__name__]
