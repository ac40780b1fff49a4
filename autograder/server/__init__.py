"""What the course's Jupyter servers load (JupyterLab's server, not its kernels): the kernel
websocket that sends a kernel's messages at once (:mod:`autograder.server.kernel_websocket`).

It runs in the learner's own Jupyter server (``make lab``, Binder, a hub user's server), beside the
learner's kernels but outside them; nothing a grade rests on passes through it.
"""
