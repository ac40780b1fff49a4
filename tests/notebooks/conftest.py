"""A live kernel per notebook test module: the module's NOTEBOOK, run top to bottom once."""

import pytest

from autograder.kernel import KernelSession


@pytest.fixture(scope="module")
def kernel(request):
    notebook = request.module.NOTEBOOK
    with KernelSession(notebook.parent) as session:
        session.run_notebook(notebook)
        yield session
