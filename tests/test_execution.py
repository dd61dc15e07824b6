"""The fast executor: outputs recorded as a kernel would, failures and time-outs left to MyST-NB."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.site import execution


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def test_outputs_are_recorded_as_a_kernel_emits_them(tmp_path):
    executed, seconds, error = execution.run_notebook(notebook(
        "print('a'); print('b')",
        "from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'))",
        "6 * 7",
        "import sys; print('careful', file=sys.stderr)",
    ), tmp_path)
    assert error == "" and seconds >= 0
    first, second, third, fourth = (cell.outputs for cell in executed.cells)
    assert first == [nbformat.v4.new_output("stream", name="stdout", text="a\nb\n")]  # one merged stream
    assert second[0].output_type == "display_data" and second[0].data["text/html"] == "<b>x</b>"
    assert third[0].output_type == "execute_result" and third[0].data["text/plain"] == "42"
    assert fourth == [nbformat.v4.new_output("stream", name="stderr", text="careful\n")]  # kept, so the guard sees it
    assert [cell.execution_count for cell in executed.cells] == [1, 2, 3, 4]


def test_a_failing_cell_returns_no_notebook_and_its_traceback(tmp_path):
    executed, _, error = execution.run_notebook(notebook("x = 1", "1 / 0", "y = 2"), tmp_path)
    assert executed is None
    assert "ZeroDivisionError" in error


def test_children_are_isolated_and_failures_and_timeouts_are_reported(tmp_path):
    # Each notebook runs in a fresh fork: state set by one is not seen by another.
    notebooks = {
        str(tmp_path / "a.md"): notebook("import os; os.environ['LEAK'] = '1'"),
        str(tmp_path / "b.md"): notebook("import os; assert 'LEAK' not in os.environ"),
        str(tmp_path / "c.md"): notebook("raise RuntimeError('boom')"),
        str(tmp_path / "d.md"): notebook("import time; time.sleep(30)"),
    }
    results = execution.execute_notebooks(notebooks, timeout=3, workers=2)
    assert results[str(tmp_path / "a.md")][0] is not None
    assert results[str(tmp_path / "b.md")][0] is not None
    assert results[str(tmp_path / "c.md")][0] is None and "boom" in results[str(tmp_path / "c.md")][2]
    assert results[str(tmp_path / "d.md")][0] is None and "timed out" in results[str(tmp_path / "d.md")][2]


def test_the_landing_page_runs_after_every_chapter(tmp_path):
    # The landing page quotes numbers the chapters leave behind, so it starts when they have finished.
    marker = tmp_path / "order.txt"
    write = "open({!r}, 'a').write({!r})"
    notebooks = {str(tmp_path / f"{name}.md"): notebook(f"import time; time.sleep({pause})", write.format(str(marker), name))
                 for name, pause in (("intro", 0), ("trend", 0.5), ("eras", 0.3))}
    execution.execute_notebooks(notebooks, timeout=30, workers=2)
    assert marker.read_text().endswith("intro")


def test_fingerprint_changes_with_the_code(monkeypatch, tmp_path):
    before = execution.inputs_fingerprint()
    assert before == execution.inputs_fingerprint()
    root = tmp_path / "repo"
    (root / "analysis").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "_config.yml").write_text("x: 1\n")
    (root / "analysis" / "m.py").write_text("a = 1\n")
    monkeypatch.setattr(execution.paths, "ROOT", root)
    monkeypatch.setattr(execution.paths, "DATA", root / "data")
    first = execution.inputs_fingerprint()
    (root / "analysis" / "m.py").write_text("a = 2\n")
    assert execution.inputs_fingerprint() != first


BOOK_CONFIG = """title: t
only_build_toc_files: true
execute: {execute_notebooks: cache, timeout: 60, stderr_output: error}
sphinx: {extra_extensions: [analysis.site.website, analysis.site.execution]}
"""
PAGE = """---
kernelspec: {{name: python3, display_name: Python 3, language: python}}
jupytext: {{text_representation: {{extension: .md, format_name: myst}}}}
---
# Page

```{{code-cell}} ipython3
:tags: [{tags}]
{code}
```
"""


def build_tiny_book(folder: Path, code: str, tags: str = "remove-input") -> subprocess.CompletedProcess:
    (folder / "_config.yml").write_text(BOOK_CONFIG, encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    (folder / "page.md").write_text(PAGE.format(code=code, tags=tags), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(folder), "--path-output", str(folder),
               "-n", "-W", "--keep-going"]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.slow
def test_a_failing_chapter_fails_the_build_with_its_traceback(tmp_path):
    result = build_tiny_book(tmp_path, "raise ValueError('a chapter that fails')")
    assert result.returncode != 0
    assert "page.err.log" in result.stdout + result.stderr  # where MyST-NB's own run left the traceback
    report = next((tmp_path / "_build" / "html" / "reports").rglob("*.err.log"), None)
    assert report is not None and "ValueError" in report.read_text()


@pytest.mark.slow
def test_a_chapter_is_executed_afresh_on_every_build(tmp_path):
    # The cache never outlives the build that filled it: the second build runs the code again.
    code = "import time\nfrom IPython.display import display\ndisplay(time.time_ns())"
    assert build_tiny_book(tmp_path, code).returncode == 0
    first = (tmp_path / "_build" / "html" / "page.html").read_text()
    (tmp_path / "page.md").write_text(PAGE.format(code=code, tags="remove-input") + "\nMore prose.\n", encoding="utf-8")
    assert build_tiny_book(tmp_path, code + "\n").returncode == 0
    assert (tmp_path / "_build" / "html" / "page.html").read_text() != first


def test_outputs_match_a_real_kernel(tmp_path):
    # The same cells through nbclient and a Jupyter kernel give the same outputs, field for field
    # (glue, HTML tables as the last expression, prints): the pages cannot tell how they were run.
    import nbclient

    cells = (
        "from myst_nb import glue\nglue('k', '12 hours', display=False)",
        "import pandas as pd\nfrom IPython.display import HTML\nHTML(pd.DataFrame({'a': [1]}).to_html())",
        "print('x')\n3 + 4",
    )
    ours, _, error = execution.run_notebook(notebook(*cells), tmp_path)
    assert error == ""
    theirs = nbclient.NotebookClient(notebook(*cells), timeout=60, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}}).execute()
    for mine, kernel in zip(ours.cells, theirs.cells):
        assert mine.outputs == kernel.outputs


@pytest.mark.slow
def test_stderr_from_a_hidden_cell_run_in_a_fork_fails_the_build(tmp_path):
    result = build_tiny_book(tmp_path, "import sys\nprint('hidden trouble', file=sys.stderr)", tags="remove-cell")
    assert result.returncode != 0
    assert "wrote to stderr" in result.stdout + result.stderr and "hidden trouble" in result.stdout + result.stderr


# ------------------------------------------------------------------ order, figures handed on, images drawn off the write phase


def test_the_longest_chapters_start_first_and_the_landing_page_last():
    paths = ["/b/intro.md", "/b/cite.md", "/b/methods.md", "/b/trend.md", "/b/new.md"]
    seconds = {"cite": 0.1, "methods": 3.0, "trend": 1.0, "intro": 0.1}
    # a page with no past time may be the longest: it starts first; then 3.0, 1.0, 0.1 s; the landing page last
    assert execution.run_order(paths, seconds) == ["/b/new.md", "/b/methods.md", "/b/trend.md", "/b/cite.md", "/b/intro.md"]
    assert execution.run_order(paths) == ["/b/cite.md", "/b/methods.md", "/b/new.md", "/b/trend.md", "/b/intro.md"]


def test_each_executed_notebook_is_handed_on_as_it_ends(tmp_path):
    notebooks = {str(tmp_path / f"{name}.md"): notebook(f"import time; time.sleep({pause})")
                 for name, pause in (("slow", 0.6), ("quick", 0.0))}
    heard = []
    results = execution.execute_notebooks(notebooks, timeout=60, workers=2,
                                          on_result=lambda path, outcome: heard.append((Path(path).stem, outcome)))
    assert [name for name, _ in heard] == ["quick", "slow"]  # in the order they ended, not the order given
    assert dict((str(tmp_path / f"{name}.md"), outcome) for name, outcome in heard) == results


def test_the_warm_process_runs_the_notebooks_and_a_dead_one_is_noticed(tmp_path):
    notebooks = {str(tmp_path / "a.md"): notebook("import os", "os.getpid()"),
                 str(tmp_path / "b.md"): notebook("raise RuntimeError('boom')")}
    server = execution.WarmServer()
    try:
        heard = []
        results = server.execute(notebooks, timeout=60, environ={"DOUBLING_TIME_TEST": "1"},
                                 on_result=lambda path, outcome: heard.append(path))
        assert sorted(heard) == sorted(notebooks) and set(results) == set(notebooks)
        executed = results[str(tmp_path / "a.md")][0]
        child = int(executed.cells[1].outputs[0].data["text/plain"])
        assert child not in (os.getpid(), server.process.pid)  # forked from the warm process, not run in it
        assert results[str(tmp_path / "b.md")][0] is None and "boom" in results[str(tmp_path / "b.md")][2]
        server.process.kill()
        server.process.join()
        assert server.execute(notebooks, timeout=60) is None  # the build then runs them itself
    finally:
        server.stop()
