"""Kernels and their confinement: where the grader runs student code.

:mod:`.bubblewrap` starts each graded kernel in a bubblewrap sandbox (no network, no course files,
bounded resources) through :mod:`.start_kernel`, which sets the limits and drops to an unprivileged
user before any student code runs; :mod:`.spare_kernel` boots the next kernel while one notebook is
graded; :mod:`.zmq_polling` keeps a missed kernel message from costing a minute.
"""
