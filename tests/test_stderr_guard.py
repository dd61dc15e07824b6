"""The build's stderr guard in the default (forked) build: writes to file descriptor 2 itself count.

issue 23: a hidden cell that wrote to fd 2 directly (``os.write(2, ...)``, ``sys.__stderr__``, a
subprocess, a C extension) passed the forked build while a kernel build failed it. The forked child
now captures fd 1 and fd 2 around every cell, as a Jupyter kernel does.
"""

import nbformat
import pytest
from test_execution import build_tiny_book, notebook

from analysis.site import execution


@pytest.mark.parametrize("code", [
    "import os\nn = os.write(2, b'fd two\\n')",
    "import sys\nn = sys.__stderr__.write('fd two\\n')",
    "import subprocess, sys\nn = subprocess.run([sys.executable, '-c', 'import sys; sys.stderr.write(\"fd two\\\\n\")'])",
    "import ctypes\nlibc = ctypes.CDLL(None)\nn = libc.write(2, b'fd two\\n', 7)",
], ids=["os.write", "sys.__stderr__", "subprocess", "C library"])
def test_writes_to_file_descriptor_2_are_recorded_as_stderr(tmp_path, code):
    executed, _, error = execution.run_notebook(notebook(code, "import os\nn = os.write(1, b'fd one\\n')"), tmp_path)
    assert error == ""
    assert executed.cells[0].outputs == [nbformat.v4.new_output("stream", name="stderr", text="fd two\n")]
    assert executed.cells[1].outputs == [nbformat.v4.new_output("stream", name="stdout", text="fd one\n")]


def test_descriptors_are_restored_after_each_cell(tmp_path, capfd):
    execution.run_notebook(notebook("import os\nn = os.write(2, b'inside\\n')"), tmp_path)
    import os

    os.write(2, b"outside\n")
    assert capfd.readouterr().err == "outside\n"  # the cell's write was captured, ours after it was not


@pytest.mark.slow
def test_fd_2_from_a_hidden_cell_run_in_a_fork_fails_the_build(tmp_path):
    result = build_tiny_book(tmp_path, "import os\nn = os.write(2, b'hidden fd trouble\\n')", tags="remove-cell")
    assert result.returncode != 0
    assert "wrote to stderr" in result.stdout + result.stderr and "hidden fd trouble" in result.stdout + result.stderr
