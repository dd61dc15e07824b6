"""Writes to data/ are one transaction (analysis.staging): fault injection, kills, concurrency."""

import errno
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest
import yaml
from conftest import benchmark_document

from analysis import importers, metr, paths, staging


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(paths.METR_DATA, target)
    return target


def _tree(folder):
    """Every file under ``folder``, hidden ones included -> bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _visible(folder):
    return {name: data for name, data in _tree(folder).items() if not name.startswith(".")}


def _hidden(folder):
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def _upstream(tmp_path, n_models=3, name="bench.yaml", shift=0.0):
    document = benchmark_document(n_models)
    document["results"]["model_0"]["metrics"]["p50_horizon_length"]["estimate"] += shift
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


RELEASE = dict(release="v1.1_2026-06-01", source_url="https://example.org/b.yaml", as_of="2026-06-01")


@pytest.fixture
def before_after(tmp_path, data_copy):
    """(tree before, tree after a clean import) of the same import into two copies."""
    upstream = _upstream(tmp_path)
    clean = tmp_path / "clean"
    shutil.copytree(data_copy, clean)
    metr.import_release(upstream, data_dir=clean, **RELEASE)
    return upstream, _tree(data_copy), _tree(clean)


def test_write_files_writes_every_file_and_leaves_nothing_hidden(tmp_path):
    targets = {tmp_path / "a.csv": "x\n1\n", tmp_path / "sub" / "b.csv": "y\n2\n"}
    metr.write_files(targets)
    assert (tmp_path / "a.csv").read_text() == "x\n1\n" and (tmp_path / "sub" / "b.csv").read_text() == "y\n2\n"
    assert oct((tmp_path / "a.csv").stat().st_mode & 0o777) == "0o644"
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize(
    ("failing_call", "persistent", "expected"),
    [(1, False, "before"), (2, False, "before"), (3, False, "before"), (4, False, "before"),
     (2, True, "after"), (4, True, "after")],
)
def test_a_failing_rename_leaves_old_or_new_state(before_after, data_copy, monkeypatch, failing_call, persistent, expected):
    """Call 1 is the commit rename (fails: nothing committed); calls 2-4 move the three files into
    place (fails once: undone from the kept hard links; keeps failing, so the undo fails too: the
    committed journal is completed by the next run)."""
    upstream, before, after = before_after
    real_replace, calls = os.replace, []

    def flaky(source, target, **kwargs):
        calls.append(target)
        if len(calls) == failing_call or (persistent and len(calls) > failing_call):
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(source, target, **kwargs)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(ValueError, match="Input/output error") as caught:
        metr.import_release(upstream, data_dir=data_copy, **RELEASE)
    assert ("nothing was written" in str(caught.value)) == (expected == "before")
    monkeypatch.setattr(os, "replace", real_replace)
    # the next reader sees one consistent state; the next writer leaves nothing hidden
    metr.load_sources(data_copy / "sources.csv")
    state = before if expected == "before" else after
    assert _visible(data_copy) == _visible_of(state)
    assert importers.metr_main(["recover", "--data-dir", str(data_copy)]) == 0
    assert _tree(data_copy) == state


@pytest.mark.parametrize(("n", "expected"), [(1, "after"), (2, "before")])
def test_a_process_killed_while_undoing_leaves_old_or_new_state(before_after, data_copy, n, expected):
    """The first move fails (os.replace call 2), then the process is killed at call 2 + n: n=1 is the
    rename of the journal to .rollback (not yet started: the journal is rolled forward), n=2 is the
    restore of sources.csv (the undo is finished by the next run)."""
    upstream, before, after = before_after
    result = _run(KILLER, "replace", str(2 + n), str(upstream), str(data_copy), "2")
    assert result.returncode == 9, result.stderr
    state = before if expected == "before" else after
    metr.load_sources(data_copy / "sources.csv")
    assert _visible(data_copy) == _visible_of(state)
    assert importers.metr_main(["recover", "--data-dir", str(data_copy)]) == 0
    assert _tree(data_copy) == state


def _visible_of(tree):
    return {name: data for name, data in tree.items() if not name.startswith(".")}


KILLER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from analysis import metr
    name, n, fail_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[5])
    real, calls = getattr(os, name), [0]
    def killing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == fail_at:
            raise OSError(5, "Input/output error")
        if calls[0] == n:
            os._exit(9)  # killed: no cleanup, no finally
        return real(*args, **kwargs)
    setattr(os, name, killing)
    metr.import_release(Path(sys.argv[3]), data_dir=Path(sys.argv[4]), release="v1.1_2026-06-01",
                        source_url="https://example.org/b.yaml", as_of="2026-06-01")
""")


def _run(*args, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT)}
    return subprocess.run([sys.executable, "-c", *args], capture_output=True, text=True, timeout=timeout, env=env)


@pytest.mark.parametrize(("call", "n"), [("fsync", 1), ("fsync", 4), ("replace", 1), ("replace", 2), ("replace", 3),
                                         ("replace", 4)])
def test_a_process_killed_at_any_point_leaves_old_or_new_state(before_after, data_copy, call, n):
    """fsync 1-4: while staging (before the commit point); replace 1: the commit rename itself;
    replace 2-4: between the moves of the three files into place."""
    upstream, before, after = before_after
    result = _run(KILLER, call, str(n), str(upstream), str(data_copy), "0")
    assert result.returncode == 9, result.stderr
    metr.load_horizons(release=metr.latest_release("1.1", metr.load_sources(data_copy / "sources.csv")), data_dir=data_copy)
    committed = call == "replace" and n > 1
    assert _visible(data_copy) == _visible_of(after if committed else before)
    # the next import cleans up and lands the same state as a clean import
    metr.import_release(upstream, data_dir=data_copy, **RELEASE)
    assert _tree(data_copy) == after
    assert _hidden(data_copy) == []


def test_disk_full_while_staging_writes_nothing(data_copy, tmp_path, monkeypatch, capsys):
    before = _tree(data_copy)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code = importers.metr_main(["import", str(_upstream(tmp_path)), "--data-dir", str(data_copy), "--release", RELEASE["release"],
                      "--source-url", RELEASE["source_url"], "--as-of", RELEASE["as_of"]])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert "horizons_v1.1_2026-06-01.csv: cannot write (No space left on device); nothing was written" in err
    assert _tree(data_copy) == before


def test_read_only_data_folder_is_one_clear_line(data_copy, tmp_path, monkeypatch, capsys):
    before = _tree(data_copy)

    def denied(*args, **kwargs):  # as root, chmod cannot make a folder read-only: refuse the staging folder
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    code = importers.metr_main(["import", str(_upstream(tmp_path)), "--data-dir", str(data_copy), "--release", RELEASE["release"],
                      "--source-url", RELEASE["source_url"], "--as-of", RELEASE["as_of"]])
    err = capsys.readouterr().err
    assert code == 1 and err == f"error: {data_copy}: cannot write into the data folder (Permission denied); nothing was written\n"
    assert _tree(data_copy) == before


def test_stale_staging_and_temporary_files_are_cleaned(data_copy, tmp_path):
    (data_copy / ".staging-abc").mkdir()
    (data_copy / ".staging-abc" / "0").write_text("half")
    (data_copy / ".sources.csv.x1y2.tmp").write_text("half")
    metr.import_release(_upstream(tmp_path), data_dir=data_copy, **RELEASE)
    assert _hidden(data_copy) == []


CONCURRENT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from analysis import importers, metr, staging
    staging.LOCK_WAIT_SECONDS = float(sys.argv[4])
    signals = Path(sys.argv[6])
    real = metr.prepare_import
    def slow(*args, **kwargs):  # hold the lock between reading sources.csv and writing it
        result = real(*args, **kwargs)
        (signals / f"holding-{sys.argv[3]}").touch()
        stop = time.monotonic() + float(sys.argv[5])
        while time.monotonic() < stop and not (signals / "release").exists():
            time.sleep(0.05)
        return result
    metr.prepare_import = slow
    date = sys.argv[3]
    sys.exit(importers.metr_main(["import", sys.argv[1], "--data-dir", sys.argv[2], "--release", f"v1.1_{date}",
                        "--source-url", "https://example.org/b.yaml", "--as-of", date]))
""")


def _start_import(data_copy, tmp_path, i, wait, hold):
    signals = tmp_path / "signals"
    signals.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT)}
    return subprocess.Popen([sys.executable, "-c", CONCURRENT, str(_upstream(tmp_path, name=f"b{i}.yaml", shift=i + 1)),
                             str(data_copy), f"2026-06-0{i + 1}", str(wait), str(hold), str(signals)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(process) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)  # closes the pipes
    return process.returncode, err


def test_two_concurrent_imports_both_land_their_rows(data_copy, tmp_path):
    # started together, each holding the lock for up to a second: the second waits for the first
    processes = [_start_import(data_copy, tmp_path, i, wait=60, hold=1.0) for i in range(2)]
    results = [_finish(process) for process in processes]
    assert [code for code, _ in results] == [0, 0], results
    releases = set(metr.load_sources(data_copy / "sources.csv")["release"])
    assert {"v1.1_2026-06-01", "v1.1_2026-06-02"} <= releases
    assert _hidden(data_copy) == []


def test_a_concurrent_import_that_cannot_wait_is_refused_clearly(data_copy, tmp_path):
    # The second import starts only once the first holds the lock, and the first lets go only after
    # the second has ended: the overlap does not depend on how fast the machine starts a process.
    first = _start_import(data_copy, tmp_path, 0, wait=0.2, hold=120)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "signals").glob("holding-*")):
        assert first.poll() is None and time.monotonic() < deadline, _finish(first)
        time.sleep(0.05)
    second = _finish(_start_import(data_copy, tmp_path, 1, wait=0.2, hold=120))
    (tmp_path / "signals" / "release").touch()
    results = [_finish(first), second]
    assert [code for code, _ in results] == [0, 1], results
    refused = second[1]
    assert refused.startswith("error: ") and "another import is writing to this folder" in refused
    assert refused.count("\n") == 1
    releases = set(metr.load_sources(data_copy / "sources.csv")["release"])
    assert "v1.1_2026-06-01" in releases and "v1.1_2026-06-02" not in releases
    assert _hidden(data_copy) == []


def test_unchanged_files_are_not_rewritten(tmp_path):
    (tmp_path / "a.csv").write_text("1\n")
    before = (tmp_path / "a.csv").stat().st_ino
    metr.write_files({tmp_path / "a.csv": "1\n", tmp_path / "b.csv": "2\n"})
    assert (tmp_path / "a.csv").stat().st_ino == before and (tmp_path / "b.csv").read_text() == "2\n"


def test_the_lock_is_reentrant_and_released(tmp_path):
    with staging.locked(tmp_path), staging.locked(tmp_path):
        metr.write_files({tmp_path / "a.csv": "1\n"})
    with staging.locked(tmp_path, wait=0):  # free again
        pass
