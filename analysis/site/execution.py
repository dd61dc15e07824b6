"""Sphinx extension: execute every chapter from the current code and data, fast.

Each build, before Sphinx reads its sources, this extension wipes MyST-NB's execution cache and
executes the notebooks about to be read in child processes forked from one warm parent that has
already imported the libraries (two at a time by default). A child runs the notebook's code cells in
an in-process IPython shell and records their outputs as a kernel would (stream, display_data,
execute_result). The parent stores each notebook that ran without error in the cache, where MyST-NB
(``execute_notebooks: cache``) finds it. A notebook that failed, timed out or could not be forked is
not stored, so MyST-NB executes it itself with a kernel and fails the build with the usual traceback.
A stale output is therefore impossible: the cache never outlives the build that filled it.

Sphinx re-reads only the pages whose source changed; ``_outdated_by_code`` marks every notebook
outdated as well when a file under ``analysis/`` or ``data/`` (or ``_config.yml``) changed since the
last build, so an edit to the package or the data re-executes every chapter, and an edit to one
chapter's prose re-executes only that chapter.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import nbformat

from analysis import paths
from analysis.site import website
from analysis.chapters import RESULTS_FOLDER_VARIABLE

WORKERS = int(os.environ.get("DOUBLING_TIME_WORKERS", "2"))
_RECORD = "doubling_time_execution"  # env attribute: how each notebook was executed, and how long it took
_FINGERPRINT = "doubling_time_inputs"
_STDERR = "doubling_time_stderr"  # page -> [(cell, first line)] of stderr its forked run wrote


def inputs_fingerprint() -> str:
    """A digest of everything a chapter's outputs depend on besides its own source."""
    digest = hashlib.sha256()
    files = [paths.ROOT / "_config.yml", *sorted((paths.ROOT / "analysis").rglob("*.py")),
             *[path for path in (paths.ROOT / "book" / "speed.json",) if path.is_file()],  # shown on a page
             *sorted(p for p in paths.DATA.rglob("*") if p.is_file())]
    for path in files:
        digest.update(path.relative_to(paths.ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------ running one notebook in-process


class _Recorder:
    """Collects a cell's outputs in nbformat form, as a Jupyter kernel would emit them."""

    def __init__(self, count: int = 0):
        self.outputs: list = []
        self.count = count  # the cell's execution count

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))


class _StreamWriter(io.TextIOBase):
    def __init__(self, recorder: _Recorder, name: str):
        self.recorder, self.name = recorder, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.recorder.stream(self.name, text)
        return len(text)


def _flush_everything() -> None:
    """Flush Python's own stdout and stderr objects and C's stdio buffers into their descriptors."""
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    try:
        import ctypes

        ctypes.CDLL(None).fflush(None)  # what a C extension printed and has not flushed yet
    except (OSError, AttributeError, TypeError):
        pass


class _DescriptorCapture:
    """Capture what a cell writes to file descriptors 1 and 2 (``os.write(2, ...)``,
    ``sys.__stderr__``, a subprocess, a C extension), as a Jupyter kernel does: into temporary files,
    recorded afterwards as the cell's stdout and stderr streams."""

    def __enter__(self):
        _flush_everything()
        self.files, self.saved, self.text = {}, {}, {1: "", 2: ""}
        for fd in (1, 2):
            self.files[fd] = tempfile.TemporaryFile()
            self.saved[fd] = os.dup(fd)
            os.dup2(self.files[fd].fileno(), fd)
        return self

    def __exit__(self, *exc):
        _flush_everything()
        for fd in (1, 2):
            os.dup2(self.saved[fd], fd)
            os.close(self.saved[fd])
            handle = self.files[fd]
            handle.seek(0)
            self.text[fd] = handle.read().decode("utf-8", errors="replace")
            handle.close()
        return False


def _shell(recorder_ref: list):
    """An IPython shell whose display publisher and display hook record outputs in ``recorder_ref[0]``."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            recorder_ref[0].outputs.append(
                nbformat.v4.new_output("display_data", data=data, metadata=metadata or {}))

    class Hook(DisplayHook):
        def __call__(self, result=None):
            if result is None:
                return
            data, metadata = self.shell.display_formatter.format(result)
            recorder_ref[0].outputs.append(nbformat.v4.new_output(
                "execute_result", data=data, metadata=metadata, execution_count=recorder_ref[0].count))

    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # children run side by side: no shared history file
    shell = InteractiveShell.instance(config=config)
    shell.display_pub = Publisher(shell=shell, parent=shell)
    shell.displayhook = Hook(shell=shell, cache_size=0, parent=shell)
    shell.display_trap.hook = shell.displayhook  # the trap installs it as sys.displayhook for each cell
    return shell


def run_notebook(notebook: nbformat.NotebookNode, cwd: Path) -> tuple[nbformat.NotebookNode | None, float, str]:
    """Execute ``notebook``'s code cells in this process. Returns (notebook with outputs, seconds,
    error text); the notebook is None if a cell raised."""
    start = time.perf_counter()
    os.chdir(cwd)
    recorder_ref = [_Recorder()]
    shell = _shell(recorder_ref)
    count = 0
    saved = sys.stdout, sys.stderr
    try:
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            count += 1
            recorder = recorder_ref[0] = _Recorder(count)
            sys.stdout, sys.stderr = _StreamWriter(recorder, "stdout"), _StreamWriter(recorder, "stderr")
            try:
                with _DescriptorCapture() as captured:
                    result = shell.run_cell(cell.source, store_history=True, silent=False)
            finally:
                sys.stdout, sys.stderr = saved
            recorder.stream("stdout", captured.text[1])
            recorder.stream("stderr", captured.text[2])
            cell.outputs = recorder.outputs
            cell.execution_count = count
            if not result.success:
                error = result.error_in_exec or result.error_before_exec
                text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
                return None, time.perf_counter() - start, text
    finally:
        sys.stdout, sys.stderr = saved
    return notebook, time.perf_counter() - start, ""


def _child(path: str, notebook_json: str, connection) -> None:
    """Run in a freshly forked process: execute, send (executed JSON or None, seconds, error), exit."""
    try:
        notebook = nbformat.reads(notebook_json, as_version=4)
        executed, seconds, error = run_notebook(notebook, Path(path).parent)
        connection.send(((nbformat.writes(executed) if executed is not None else None), seconds, error))
    except BaseException as err:  # noqa: BLE001 - whatever happens, the parent must hear of it
        connection.send((None, 0.0, f"{type(err).__name__}: {err}"))
    finally:
        connection.close()
        os._exit(0)  # skip the parent's exit handlers (Sphinx's, the shell's) in the child


def _warm_imports() -> None:
    """What every chapter imports; imported once in the parent, inherited by every forked child."""
    import importlib

    for name in ("altair", "IPython.core.interactiveshell", "myst_nb", "numpy", "pandas", "scipy.optimize",
                 "scipy.stats", "analysis.chapters.landing"):  # the landing page imports every chapter
        importlib.import_module(name)


def run_order(paths: list[str], seconds: dict[str, float] | None = None) -> list[str]:
    """The order to start notebooks in: the chapters, longest first by ``seconds`` (page stem ->
    seconds it took last time; unknown ones first, then by name), so that two workers finish
    together; the landing page last, as it quotes the numbers the chapters leave behind."""
    seconds = seconds or {}

    def key(path):
        stem = Path(path).stem
        return (stem == "intro", -seconds.get(stem, float("inf")), path)

    return sorted(paths, key=key)


def execute_notebooks(notebooks: dict[str, nbformat.NotebookNode], *, timeout: float, workers: int = WORKERS,
                      seconds: dict[str, float] | None = None, on_result=None):
    """Run notebooks (path -> notebook), each in a fresh child forked from this warm process, at most
    ``workers`` at a time, longest first by ``seconds`` (see ``run_order``). Returns path ->
    (executed notebook or None, seconds, error text); ``on_result(path, outcome)`` hears of each as it ends."""
    _warm_imports()
    context = multiprocessing.get_context("fork")
    pending = run_order(list(notebooks), seconds)
    running: dict = {}
    results: dict = {}
    while pending or running:
        while pending and len(running) < max(1, workers):
            if Path(pending[0]).stem == "intro" and running:
                break  # wait for every chapter before the landing page
            path = pending.pop(0)
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(path, nbformat.writes(notebooks[path]), send), daemon=True)
            child.start()
            send.close()
            running[path] = (child, receive, time.monotonic())
        for path, (child, receive, started) in list(running.items()):
            outcome = None
            if receive.poll(0.02):
                try:
                    text, seconds, error = receive.recv()
                    outcome = (nbformat.reads(text, as_version=4) if text else None, seconds, error)
                except EOFError:
                    outcome = (None, 0.0, f"the child process died (exit code {child.exitcode})")
            elif not child.is_alive():
                outcome = (None, 0.0, f"the child process died (exit code {child.exitcode})")
            elif time.monotonic() - started > timeout:
                child.kill()
                outcome = (None, timeout, f"timed out after {timeout:.0f} s")
            if outcome is not None:
                child.join()
                receive.close()
                del running[path]
                results[path] = outcome
                if on_result is not None:
                    on_result(path, outcome)
    return results


# ------------------------------------------------------------------ the warm process, started with the build


class WarmServer:
    """A process forked from the build as Sphinx starts, which imports what every chapter imports
    while Sphinx loads its extensions, configuration and environment (the build's own process stays
    lean), and then runs ``execute_notebooks``: every page is forked from it."""

    def __init__(self):
        import atexit

        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe(duplex=True)
        # not a daemon (a daemon may not fork the pages); stopped at the build's end, or at exit at the latest
        self.process = context.Process(target=_serve, args=(theirs,), daemon=False)
        self.process.start()
        theirs.close()
        atexit.register(self.stop)  # runs before multiprocessing's own exit handler, which would wait for it

    def execute(self, notebooks: dict[str, nbformat.NotebookNode], *, timeout: float, workers: int = WORKERS,
                seconds: dict[str, float] | None = None, environ: dict[str, str] | None = None, on_result=None):
        """As ``execute_notebooks``, run by the warm process; None if it is gone (run them here then)."""
        try:
            self.connection.send(({path: nbformat.writes(notebook) for path, notebook in notebooks.items()},
                                  timeout, workers, seconds, environ or {}))
            results = {}
            while len(results) < len(notebooks):
                path, (text, took, error) = self.connection.recv()
                results[path] = (nbformat.reads(text, as_version=4) if text else None, took, error)
                if on_result is not None:
                    on_result(path, results[path])
            return results
        except (EOFError, OSError):
            return None

    def stop(self) -> None:
        if self.connection.closed:
            return
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _serve(connection) -> None:
    """The warm process: import, then run each batch of notebooks it is sent and report each as it ends."""
    try:
        _warm_imports()
        while (message := connection.recv()) is not None:
            texts, timeout, workers, seconds, environ = message
            os.environ.update(environ)

            def report(path, outcome):
                executed, took, error = outcome
                connection.send((path, (nbformat.writes(executed) if executed is not None else None, took, error)))

            execute_notebooks({path: nbformat.reads(text, as_version=4) for path, text in texts.items()},
                              timeout=timeout, workers=workers, seconds=seconds, on_result=report)
    except BaseException:  # noqa: BLE001 - the build hears EOF and runs the notebooks itself
        pass
    finally:
        connection.close()
        os._exit(0)


_SERVER = "doubling_time_warm_server"  # app attribute


def _start_server(app) -> None:
    if WORKERS >= 1 and _can_fork() and getattr(app, _SERVER, None) is None:
        setattr(app, _SERVER, WarmServer())


def _stop_server(app, exception) -> None:
    server = getattr(app, _SERVER, None)
    if server is not None:
        server.stop()
        setattr(app, _SERVER, None)


def _execute(app, notebooks, *, timeout: float, seconds, on_result):
    """Run the notebooks in the warm process if there is one, else fork them from this one."""
    server = getattr(app, _SERVER, None)
    if server is not None:
        results = server.execute(notebooks, timeout=timeout, seconds=seconds, on_result=on_result,
                                 environ={RESULTS_FOLDER_VARIABLE: os.environ[RESULTS_FOLDER_VARIABLE]})
        if results is not None:
            return results
        _stop_server(app, None)
    return execute_notebooks(notebooks, timeout=timeout, seconds=seconds, on_result=on_result)


# ------------------------------------------------------------------ Sphinx hooks


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _outdated_by_code(app, env, added, changed, removed):
    """Every notebook page is outdated when the package, the data or the configuration changed."""
    fingerprint = inputs_fingerprint()
    previous = getattr(env, _FINGERPRINT, None)
    setattr(env, _FINGERPRINT, fingerprint)
    if previous == fingerprint:
        return []
    return [doc for doc in env.found_docs if _is_notebook(env.doc2path(doc))]


def _is_notebook(path) -> bool:
    from myst_nb.core.read import is_myst_markdown_notebook

    path = Path(path)
    return path.suffix == ".md" and path.exists() and is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def _preexecute(app, env, docnames):
    """Wipe the execution cache, then execute the notebooks about to be read and cache their outputs."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import create_nb_reader

    config = env.mystnb_config
    cache_path = Path(config.execution_cache_path)
    results_folder = cache_path.parent / "chapter-results"  # numbers the landing page quotes
    for folder in (cache_path, results_folder):
        shutil.rmtree(folder, ignore_errors=True)
    record = getattr(env, _RECORD, {})
    setattr(env, _RECORD, record)
    stderr = getattr(env, _STDERR, {})
    setattr(env, _STDERR, stderr)
    if config.execution_mode != "cache":
        return
    notebooks, uris = {}, {}
    for doc in docnames:
        path = Path(env.doc2path(doc))
        if not _is_notebook(path):
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, config, text)
        notebooks[str(path)] = reader.read(text)
        uris[str(path)] = doc
    if not notebooks:
        return
    if not _can_fork() or WORKERS < 1:
        why = "this platform cannot fork" if WORKERS >= 1 else "fast execution switched off"
        for doc in uris.values():
            record[doc] = (f"kernel ({why})", None)
        return
    cache = get_cache(str(cache_path))
    results_folder.mkdir(parents=True, exist_ok=True)
    os.environ[RESULTS_FOLDER_VARIABLE] = str(results_folder)
    started = time.perf_counter()
    results = _execute(app, notebooks, timeout=float(config.execution_timeout or 300),
                       seconds=_last_seconds(env), on_result=_prerender_figures(app, uris))
    for path, (executed, seconds, error) in results.items():
        doc = uris[path]
        if executed is None:
            record[doc] = ("kernel (the fast run failed; MyST-NB ran it again)", None)
            continue
        cache.cache_notebook_bundle(CacheBundleIn(executed, path, data={"execution_seconds": seconds}),
                                    check_validity=False, overwrite=True)
        record[doc] = ("forked from a warm process", seconds)
        # MyST-NB writes the unexecuted notebook to jupyter_execute/ when it reads from the cache, so
        # the stderr guard cannot see these outputs there: it is told here.
        stderr[doc] = website.stderr_outputs(executed)
    from sphinx.util import logging

    logging.getLogger(__name__).info(
        f"executed {len(results)} notebooks in {time.perf_counter() - started:.1f} s (forked, {WORKERS} at a time)")


def _last_seconds(env) -> dict[str, float]:
    """Each page's execution time in the last build (this environment's record), else in the
    committed speed record: how long each notebook is likely to take, to start the longest first."""
    out = {}
    try:
        from analysis.site import speed

        out |= {Path(page).name: value for page, value in speed.load_record().get("chapters", {}).items()}
    except (OSError, ValueError, AttributeError, ImportError):
        pass
    out |= {Path(doc).name: value for doc, (_, value) in getattr(env, _RECORD, {}).items() if value}
    return out


def _prerender_figures(app, uris: dict[str, str]):
    """A callback for ``execute_notebooks``: each page's figures go to the image workers as soon as
    its notebook has run, so they are drawn while the other pages run and Sphinx reads and writes."""
    def on_result(path, outcome):
        executed = outcome[0]
        if executed is not None:
            website.prerender(app, executed, uris[path])

    return on_result


def execution_table(env) -> list[tuple[str, str, float | None]]:
    """(page, how it was executed, seconds) for every notebook page executed in the last build."""
    record = getattr(env, _RECORD, {})
    return [(doc, how, seconds) for doc, (how, seconds) in sorted(record.items())]


def _label_method(app, doctree) -> None:
    """Fail on anything the forked run wrote to stderr; say on the reproducibility page how this
    notebook really ran (MyST-NB only knows "cache")."""
    from myst_nb.sphinx_ import NbMetadataCollector
    from sphinx.util import logging

    env = app.env
    for number, first_line in getattr(env, _STDERR, {}).get(env.docname, []):
        logging.getLogger(__name__).error(f"cell {number} wrote to stderr (hidden cells included): {first_line}",
                                          location=env.docname)
    how = getattr(env, _RECORD, {}).get(env.docname)
    data = NbMetadataCollector.get_exec_data(env, env.docname)
    if how is None or not data:
        return
    NbMetadataCollector.set_exec_data(env, env.docname, {**data, "method": how[0]})


def setup(app) -> dict:
    _start_server(app)  # now, so that its imports overlap Sphinx's start-up
    app.connect("build-finished", _stop_server)
    app.connect("env-get-outdated", _outdated_by_code)
    app.connect("env-before-read-docs", _preexecute)
    app.connect("doctree-read", _label_method)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
