"""Issue 23: every case that broke a promise, planted against every entry point (METR import, refresh
and recover; the benchmarks and Epoch importers; readers; the data catalogue; the notebooks and PDF
command lines). Each ends in one clear line and exit 1 (or a ValueError naming the input), with the
data folders **and the folder above the repository** byte for byte unchanged.

Layout of every test: ``tmp/repo/data/{metr,benchmarks,compute}`` are copies of the committed
data, ``tmp/victim.txt`` sits beside the repository, upstream inputs live in ``tmp/upstream``."""

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest
import yaml
from conftest import local_server

from analysis import benchmarks, datafiles, epoch, importers, importing, metr, paths, refresh, staging
from analysis.site import notebooks, pdf

pytestmark = pytest.mark.skipif(not paths.SHARED_METR.exists() or not (benchmarks.SHARED_DATA / "epoch").is_dir(),
                                reason="upstream files not available")
SHARED = benchmarks.SHARED_DATA


def _tree(folder):
    """Every file and link under ``folder`` (hidden ones included) -> its bytes or link target."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[key] = "-> " + os.readlink(path)
        elif path.is_file():  # a planted sparse file of 30 GB: its size stands for its bytes
            out[key] = path.read_bytes() if path.stat().st_size < 2**26 else path.stat().st_size
        elif not path.is_dir():
            out[key] = "special file"
    return out


@pytest.fixture
def world(tmp_path):
    data = tmp_path / "repo" / "data"
    shutil.copytree(paths.METR_DATA, data / "metr")
    shutil.copytree(benchmarks.BENCH_DATA, data / "benchmarks")
    shutil.copytree(epoch.COMPUTE_DATA, data / "compute")
    (tmp_path / "victim.txt").write_text("mine\n")
    (tmp_path / "upstream").mkdir()
    return tmp_path


def _one_line(capsys, code, *needles):
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err
    return err


# ------------------------------------------------------------------ journals: nothing outside the table folder


def _plant(folder, name, entries, staged=b"planted\n"):
    journal = folder / name
    journal.mkdir()
    (journal / "MANIFEST.json").write_text(json.dumps({"files": entries}))
    for entry in entries:
        if isinstance(entry, list) and entry and isinstance(entry[0], str) and "/" not in entry[0]:
            (journal / entry[0]).write_bytes(staged)
    return journal


@pytest.mark.parametrize("journal", [staging.ROLLBACK, staging.JOURNAL])
@pytest.mark.parametrize("entry", [
    ["0", "../../../victim.txt", None],  # the attack: up and out
    ["0", str("/tmp/doubling-time-victim.txt"), None],  # absolute
    ["0", "sub/../../../../victim.txt", None],
    ["../../../../victim.txt", "horizons_v1.1_2026-05-08.csv", None],  # a staged file outside the journal
    ["0", "horizons_v1.1_2026-05-08.csv", "../../../../victim.txt"],  # a backup outside the journal
], ids=["up-and-out", "absolute", "dotdot-in-the-middle", "staged-outside", "backup-outside"])
def test_a_planted_journal_is_refused_by_a_plain_reader(world, journal, entry):
    folder = world / "repo" / "data" / "metr"
    _plant(folder, journal, [entry])
    before = _tree(world)
    with pytest.raises(ValueError, match="refusing to recover from this journal, nothing was changed"):
        metr.load_horizons(data_dir=folder)
    assert _tree(world) == before and not os.path.exists("/tmp/doubling-time-victim.txt")


def test_a_journal_through_a_symlinked_folder_is_refused(world):
    folder = world / "repo" / "data" / "metr"
    (folder / "out").symlink_to(world)  # a folder inside the table folder that leads out of it
    _plant(folder, staging.JOURNAL, [["0", "out/victim.txt", None]])
    before = _tree(world)
    with pytest.raises(ValueError, match="leads outside its table folder"):
        metr.load_horizons(data_dir=folder)
    assert _tree(world) == before


def test_a_symlinked_journal_is_refused(world):
    folder = world / "repo" / "data" / "metr"
    elsewhere = world / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "MANIFEST.json").write_text(json.dumps({"files": []}))
    (folder / staging.ROLLBACK).symlink_to(elsewhere)
    before = _tree(world)
    with pytest.raises(ValueError, match="is not a folder of its own"):
        metr.load_horizons(data_dir=folder)
    assert _tree(world) == before


def test_recover_on_the_command_line_refuses_a_planted_commit(world, capsys):
    folder = world / "repo" / "data" / "metr"
    _plant(folder, staging.JOURNAL, [["0", "../../../created.txt", None]])
    before = _tree(world)
    _one_line(capsys, importers.metr_main(["recover", "--data-dir", str(folder)]), "outside its table folder")
    assert _tree(world) == before and not (world / "created.txt").exists()


def test_the_data_catalogue_refuses_a_planted_commit(world, monkeypatch):
    data = world / "repo" / "data"
    _plant(data / "benchmarks", staging.JOURNAL, [["0", "../../../created.txt", None]])
    monkeypatch.setattr(paths, "DATA", data)
    before = _tree(world)
    with pytest.raises(ValueError, match="outside its table folder"):
        datafiles.catalogue()  # the data page, and the end of every build
    assert _tree(world) == before and not (world / "created.txt").exists()


def test_a_malformed_manifest_is_one_clear_error(world):
    folder = world / "repo" / "data" / "metr"
    (folder / staging.JOURNAL).mkdir()
    (folder / staging.JOURNAL / "MANIFEST.json").write_text("{not json")
    before = _tree(world)
    with pytest.raises(ValueError, match="unreadable manifest"):
        metr.load_horizons(data_dir=folder)
    assert _tree(world) == before


@pytest.mark.parametrize("name", [".commit/MANIFEST.json", ".rollback/0", ".staging-abc123/0"])
def test_journals_and_staging_folders_are_git_ignored(name):
    if shutil.which("git") is None or not (paths.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    result = subprocess.run(["git", "-C", str(paths.ROOT), "check-ignore", "-q", f"data/metr/{name}"])
    assert result.returncode == 0, name


# ------------------------------------------------------------------ one read: the bytes hashed are the bytes parsed


def _swap_after_first_read(monkeypatch, path, bad: bytes):
    """Replace ``path`` on disk with ``bad`` right after the importer first reads it (the race the
    issue won with a FIFO and a rename): an importer that read the file again would parse ``bad``."""
    real = importing.read_bytes
    reads = []

    def read_then_swap(target, *args, **kwargs):
        data = real(target, *args, **kwargs)
        reads.append(str(target))
        if os.path.abspath(target) == os.path.abspath(path):
            tmp = path.with_name(path.name + ".swap")
            tmp.write_bytes(bad)
            os.replace(tmp, path)
        return data

    monkeypatch.setattr(importing, "read_bytes", read_then_swap)
    return reads


def test_metr_import_parses_the_bytes_it_hashed(world, monkeypatch):
    folder = world / "repo" / "data" / "metr"
    upstream = world / "upstream" / "benchmark_results_1_1.yaml"
    shutil.copyfile(paths.SHARED_METR / "benchmark_results_1_1.yaml", upstream)
    tripled = upstream.read_text().replace("estimate: ", "estimate: 3")  # every estimate changed
    before = _tree(folder)
    _swap_after_first_read(monkeypatch, upstream, tripled.encode())
    assert metr.import_release(upstream, data_dir=folder) == "v1.1_2026-05-08"  # its known sha256
    assert _tree(folder) == before  # the same bytes: the committed table, unchanged


def test_benchmarks_import_parses_the_bytes_it_hashed(world, monkeypatch):
    data = world / "repo" / "data" / "benchmarks"
    source = world / "upstream"
    for record in benchmarks.load_sources(data / "sources.csv").itertuples():
        (source / record.upstream_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / record.upstream_path, source / record.upstream_path)
    gso = source / "epoch" / "gso_external.csv"
    frame = pd.read_csv(gso, dtype=str, keep_default_na=False)
    frame.loc[0, ["Scaffold", "Release date"]] = ["=HYPERLINK(\"http://x\")", "2099-01-01"]
    bad = frame.to_csv(index=False).encode()
    before = _tree(data)
    _swap_after_first_read(monkeypatch, gso, bad)
    benchmarks.import_all(source, data)
    assert _tree(data) == before


def test_epoch_import_survives_a_rename_race(world):
    """A thread renames a changed copy over the upstream file and back, as fast as it can, while the
    Epoch import runs: each run imports the recorded bytes or refuses (sha256), never a mix."""
    data = world / "repo" / "data" / "compute"
    shared = world / "upstream"
    for record in epoch.load_sources(data / "sources.csv").itertuples():
        (shared / record.upstream_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / record.upstream_path, shared / record.upstream_path)
    target = shared / "epoch" / "ai_models" / "notable_ai_models.csv"
    good = target.read_bytes()
    bad = good.replace(b"5e+26", b"9e+29").replace(b"5.0e26", b"9e29")
    bad = bad if bad != good else good + b"\n"
    before = _tree(data)
    stop = threading.Event()

    def race():
        flip = False
        while not stop.is_set():
            tmp = target.with_name(".race")
            tmp.write_bytes(bad if flip else good)
            os.replace(tmp, target)
            flip = not flip

    thread = threading.Thread(target=race, daemon=True)
    thread.start()
    outcomes = []
    try:
        for _ in range(4):
            try:
                epoch.import_compute(shared=shared, data_dir=data)
                outcomes.append("imported")
            except ValueError as err:
                assert "sha256 mismatch" in str(err)
                outcomes.append("refused")
            assert _tree(data) == before  # the recorded bytes give the committed tables exactly
    finally:
        stop.set()
        thread.join(timeout=5)
    assert outcomes


@pytest.mark.slow  # a subprocess, so that a hang would end in its timeout
def test_a_fifo_does_not_hang_the_benchmarks_import(world):
    data = world / "repo" / "data" / "benchmarks"
    source = world / "upstream"
    for record in benchmarks.load_sources(data / "sources.csv").itertuples():
        (source / record.upstream_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / record.upstream_path, source / record.upstream_path)
    fifo = source / "epoch" / "gso_external.csv"
    fifo.unlink()
    os.mkfifo(fifo)
    before = _tree(data)
    result = subprocess.run([sys.executable, "-m", "analysis.benchmarks", "import", "--from", str(source),
                             "--data-dir", str(data)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(paths.ROOT)}, cwd=world)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "gso_external.csv" in result.stderr and "not a regular file" in result.stderr
    assert _tree(data) == before


# ------------------------------------------------------------------ downloads (METR refresh): a local server


class _Server(http.server.BaseHTTPRequestHandler):
    """/cut/<file>: HTTP/1.0, no Content-Length, closed after the 6th model (valid YAML);
    /cut-keep-tail/<file>: the same six models followed by the file's trailing fields;
    /swapped/<file>: the task file served at the benchmark file's address;
    /trickle/<file>: status line and headers one byte every 0.1 s (gives up after 6 s)."""

    files: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        body = self.files.get(name)
        if body is None:
            self.send_error(404)
            return
        text = body.decode()
        if name == refresh.BENCHMARK_FILE and mode.startswith("cut"):
            lines = text.splitlines(keepends=True)
            results = lines.index("results:\n")
            starts = [i for i, line in enumerate(lines) if i > results and line.startswith("  ") and
                      not line.startswith("   ") and line.rstrip().endswith(":")]
            body = "".join(lines[: starts[6]]).encode()  # six whole models: still valid YAML
            if mode == "cut-keep-tail":
                body += b"swaa_version: f6cc84052e2a79dd540766c8a1b15ff399696371\n"
        if mode == "swapped" and name == refresh.BENCHMARK_FILE:
            body = self.files[refresh.TASK_FILE]
        try:
            if mode == "trickle":
                stop = time.monotonic() + 6
                for byte in f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode():
                    if time.monotonic() > stop:
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
                self.wfile.write(body)
                return
            self.protocol_version = "HTTP/1.0"
            self.send_response(200)
            if not mode.startswith("cut"):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


@pytest.fixture
def server():
    _Server.files = {name: (paths.SHARED_METR / name).read_bytes() for name in (refresh.BENCHMARK_FILE, refresh.TASK_FILE)}
    with local_server(_Server) as url:
        yield url


@pytest.mark.parametrize("mode, message", [
    ("cut", "no field after 'results'"),  # the issue: 6 of 26 models, exit 0, the doubling 187.8 -> 103.5 days
    ("cut-keep-tail", "holds 6 models, and 20 of the 26 known ones are missing"),  # trailing field forged
    ("swapped", "is a METR tasks file, not the benchmark file asked for"),  # "already up to date", exit 0
], ids=["cut-at-a-model-boundary", "cut-with-a-forged-tail", "wrong-file"])
def test_a_cut_or_wrong_download_is_refused_in_one_line(world, server, capsys, mode, message):
    folder = world / "repo" / "data" / "metr"
    before = _tree(world)
    code = importers.metr_main(["refresh", "--from", f"{server}/{mode}", "--data-dir", str(folder), "--as-of",
                                "2026-12-01"])
    _one_line(capsys, code, message)
    assert _tree(world) == before


@pytest.mark.slow
def test_allow_removals_accepts_a_release_that_drops_models(world, server):
    folder = world / "repo" / "data" / "metr"
    report = refresh.refresh(f"{server}/cut-keep-tail", data_dir=folder, as_of="2026-12-01", allow_removals=True)
    assert "models no longer published" in report


def test_a_trickled_response_stops_at_the_deadline(world, server):
    folder = world / "repo" / "data" / "metr"
    before = _tree(world)
    started = time.monotonic()
    with pytest.raises(ValueError, match="not finished within 1 s"):
        refresh.refresh(f"{server}/trickle", data_dir=folder, as_of="2026-12-01", deadline_seconds=1.0)
    assert time.monotonic() - started < 3  # headers at one byte per 0.1 s would take about 4 s
    assert _tree(world) == before


# ------------------------------------------------------------------ values: dates, formulas, control characters, ids


def _metr_document(**changes):
    document = yaml.safe_load((paths.SHARED_METR / refresh.BENCHMARK_FILE).read_text())
    results = document["results"]
    for key, value in changes.items():
        results[value] = results.pop(key)
    return document


@pytest.mark.parametrize("key", ["gpt\u202e4", "gpt\u00854", "gpt\u009b4", "gpt\u200f4", "gpt\u20664"],
                         ids=["U+202E", "U+0085", "U+009B", "U+200F", "U+2066"])
def test_metr_refuses_c1_and_bidi_controls_in_model_keys(world, capsys, key):
    folder = world / "repo" / "data" / "metr"
    path = world / "upstream" / "bench.yaml"
    # escaped in a double-quoted scalar ("gpt\N4"), as a hostile file would write it: a raw U+0085 in a
    # plain scalar is a YAML line break, which folds into a space
    path.write_text(yaml.safe_dump(_metr_document(gpt_4=key), sort_keys=False))
    before = _tree(world)
    code = importers.metr_main(["import", str(path), "--data-dir", str(folder), "--release", "v1.1_2026-06-01",
                                "--source-url", "https://example.org/b.yaml", "--as-of", "2026-06-01"])
    _one_line(capsys, code, "bench.yaml", "control character U+")
    assert _tree(world) == before


@pytest.mark.parametrize("argv_tail, message", [
    (["--release", "v1.1_2099-01-01", "--as-of", "2099-01-01"], "cannot be in the future"),
    (["--release", "v1.1_2026-06-0\u0668", "--as-of", "2026-06-08"], "not a release id"),  # Arabic-Indic eight
    (["--release", "v1.1_2026-06-08", "--as-of", "2026-06-0\u0668"], "not a date"),
], ids=["as-of-2099", "arabic-indic-digit-in-id", "arabic-indic-digit-in-date"])
def test_metr_import_refuses_future_dates_and_non_ascii_digits(world, capsys, argv_tail, message):
    folder = world / "repo" / "data" / "metr"
    path = world / "upstream" / "bench.yaml"
    path.write_text(yaml.safe_dump(_metr_document(), sort_keys=False))
    before = _tree(world)
    code = importers.metr_main(["import", str(path), "--data-dir", str(folder), "--source-url",
                                "https://example.org/b.yaml", *argv_tail])
    _one_line(capsys, code, message)
    assert _tree(world) == before


def _bench_source(world):
    data = world / "repo" / "data" / "benchmarks"
    source = world / "upstream"
    for record in benchmarks.load_sources(data / "sources.csv").itertuples():
        (source / record.upstream_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / record.upstream_path, source / record.upstream_path)
    return data, source


def _accept(data, source, upstream_path):
    sources = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    sources.loc[sources["upstream_path"] == upstream_path, "sha256"] = metr.sha256_of(source / upstream_path)
    sources.to_csv(data / "sources.csv", index=False)


@pytest.mark.parametrize("column, value, message", [
    ("Release date", "2099-01-01", "after the day of the import"),
    ("Evaluation date", "2099-01-01", "after the day of the import"),
    ("Scaffold", "=cmd|' /C calc'!A0", "formula"),
    ("Scaffold", "=HYPERLINK(\"http://x\",\"y\")", "formula"),
    ("Scaffold", "Open\u202eHands", "control character U+202E"),
    ("Scaffold", "Open\u009bHands", "control character U+009B"),
    ("Scaffold", "Open\u0085Hands", "control character U+0085"),
    ("Score OPT@1", "0.\u0664", "ASCII digits only"),  # an Arabic-Indic four
], ids=["release-2099", "evaluation-2099", "formula-cmd", "formula-hyperlink", "U+202E", "U+009B", "U+0085",
        "arabic-indic"])
def test_benchmarks_import_refuses_bad_values(world, capsys, column, value, message):
    data, source = _bench_source(world)
    path = "epoch/gso_external.csv"
    frame = pd.read_csv(source / path, dtype=str, keep_default_na=False)
    frame.loc[0, column] = value
    frame.to_csv(source / path, index=False)
    _accept(data, source, path)
    before = _tree(world)
    code = importers.benchmarks_main(["import", "--from", str(source), "--data-dir", str(data)])
    _one_line(capsys, code, "gso", message)
    assert _tree(world) == before


def _compute_source(world):
    data = world / "repo" / "data" / "compute"
    shared = world / "upstream"
    for record in epoch.load_sources(data / "sources.csv").itertuples():
        (shared / record.upstream_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / record.upstream_path, shared / record.upstream_path)
    return data, shared


@pytest.mark.parametrize("column, value, message", [
    ("Publication date", "2099-01-01", "after the day of the import"),
    ("Organization", "=cmd|' /C calc'!A0", "formula"),
    ("Model", "Gemini\u202e X", "control character U+202E"),
    ("Model", "Gemini\u009b X", "control character U+009B"),
], ids=["publication-2099", "formula", "U+202E", "U+009B"])
def test_epoch_import_refuses_bad_values(world, capsys, column, value, message):
    data, shared = _compute_source(world)
    path = "epoch/ai_models/notable_ai_models.csv"
    frame = pd.read_csv(shared / path, dtype=str, keep_default_na=False)
    row = frame.index[frame["Publication date"] != ""][0]
    frame.loc[row, column] = value
    frame.to_csv(shared / path, index=False)
    sources = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    sources.loc[sources["upstream_path"] == path, "sha256"] = metr.sha256_of(shared / path)
    sources.to_csv(data / "sources.csv", index=False)
    before = _tree(world)
    code = importers.epoch_main(["import", "--from", str(shared), "--data-dir", str(data)])
    _one_line(capsys, code, message)
    assert _tree(world) == before


# ------------------------------------------------------------------ resources: folders, FIFOs, huge files, /dev/zero


def _metr_import(folder, path):
    return importers.metr_main(["import", str(path), "--data-dir", str(folder)])


def _make(kind, path):
    if kind == "folder":
        path.mkdir()
    elif kind == "sparse-30GB":
        with open(path, "wb") as handle:
            handle.truncate(30 * 2**30)  # sparse: no disk used, 30 GB announced
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "latin-1":
        path.write_bytes("benchmark_name: METR-Horizon-v1.1\nresults:\n  caf\xe9: {}\n".encode("latin-1"))


@pytest.mark.parametrize("kind, message", [
    ("folder", "is a folder, not a file"), ("sparse-30GB", "above the cap"), ("dev-zero", "not a regular file"),
    ("fifo", "not a regular file"), ("latin-1", "not UTF-8 text"),
])
def test_metr_import_refuses_non_files(world, capsys, kind, message):
    folder = world / "repo" / "data" / "metr"
    path = world / "upstream" / "bench.yaml"
    _make(kind, path)
    before = _tree(world)
    _one_line(capsys, _metr_import(folder, path), "bench.yaml", message)
    assert _tree(world) == before


@pytest.mark.parametrize("kind, message", [
    ("folder", "is a folder, not a file"), ("sparse-30GB", "above the cap"), ("dev-zero", "not a regular file"),
    ("latin-1", "not UTF-8 text"),
])
def test_benchmarks_and_epoch_imports_refuse_non_files(world, capsys, kind, message):
    data, source = _bench_source(world)
    target = source / "epoch" / "weirdml_external.csv"
    target.unlink()
    _make(kind, target)
    compute, shared = _compute_source(world)
    other = shared / "epoch" / "metr_time_horizons_external.csv"
    other.unlink()
    _make(kind, other)
    before = _tree(world)
    started = time.monotonic()
    _one_line(capsys, importers.benchmarks_main(["import", "--from", str(source), "--data-dir", str(data)]),
              "weirdml_external.csv", message if kind != "latin-1" else "sha256")
    _one_line(capsys, importers.epoch_main(["import", "--from", str(shared), "--data-dir", str(compute)]),
              "metr_time_horizons_external.csv", message if kind != "latin-1" else "sha256")
    assert time.monotonic() - started < 20  # /dev/zero is never read to the end
    assert _tree(world) == before


def test_a_non_utf8_upstream_names_its_file(world, capsys):
    data, source = _bench_source(world)
    path = "epoch/weirdml_external.csv"
    (source / path).write_bytes((source / path).read_bytes().replace(b"Accuracy", b"Accur\xe9cy", 1))
    _accept(data, source, path)
    before = _tree(world)
    _one_line(capsys, importers.benchmarks_main(["import", "--from", str(source), "--data-dir", str(data)]),
              "weirdml_external.csv", "not UTF-8")
    assert _tree(world) == before


# ------------------------------------------------------------------ command lines: every mistake is one line, exit 1


@pytest.mark.parametrize("main, argv", [
    (importers.metr_main, ["import", "--bogus"]),
    (importers.metr_main, []),
    (importers.benchmarks_main, ["import", "--bogus"]),
    (importers.benchmarks_main, ["frobnicate"]),
    (importers.benchmarks_main, ["refresh"]),  # --from is required
    (importers.epoch_main, ["import", "--bogus"]),
    (importers.epoch_main, []),
    (notebooks.main, ["--bogus"]),
    (pdf.main, ["--bogus"]),
], ids=["metr-option", "metr-nothing", "benchmarks-option", "benchmarks-command", "benchmarks-refresh-without-from",
        "epoch-option", "epoch-nothing", "notebooks-option", "pdf-option"])
def test_usage_errors_are_one_line_and_exit_1(capsys, main, argv):
    _one_line(capsys, main(argv))


def test_pdf_no_build_without_a_build_fails_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)  # a checkout with no _build/singlehtml
    before = _tree(tmp_path)
    _one_line(capsys, pdf.main(["--no-build"]), "no single-page build")
    assert _tree(tmp_path) == before  # no 404 page printed, nothing copied into a site


# ------------------------------------------------------------------ what a kill leaves, and who completes it


@pytest.mark.parametrize("table, load", [
    ("metr/sources.csv", lambda data: metr.load_sources(data / "metr" / "sources.csv")),
    ("benchmarks/gso.csv", lambda data: benchmarks.load_gso(data / "benchmarks")),
    ("compute/metr_compute.csv", lambda data: epoch.load_metr_compute(data / "compute" / "metr_compute.csv")),
], ids=["metr", "benchmarks", "epoch"])
def test_every_reader_completes_a_journal_left_by_a_kill_first(world, table, load):
    """A kill after the commit point leaves ``.commit`` with some tables new and others old; a reader
    completes it before reading, so it never sees the mix."""
    data = world / "repo" / "data"
    folder, name = (data / table).parent, (data / table).name
    new = (data / table).read_bytes().replace(b"\n", b"\r\n", 1)  # the same table, other bytes
    journal = folder / staging.JOURNAL
    journal.mkdir()
    (journal / "0").write_bytes(new)
    (journal / "MANIFEST.json").write_text(json.dumps({"files": [["0", name, None]]}))
    load(data)
    assert (data / table).read_bytes() == new and not journal.exists()


# ------------------------------------------------------------------ no import circle among the importers


def _imports(path):
    """Modules of the package a module imports anywhere except under ``if __name__ == "__main__":``."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            skipped |= {id(child) for child in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            found |= {f"{node.module}.{alias.name}" if node.module == "analysis" else node.module for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("analysis")}
    return found


def test_no_import_circle_through_the_importers():
    """metr <-> refresh was a circle (metr's command line imported refresh, which imports metr): the
    command lines now live above both, in analysis.importers."""
    modules = {f"analysis.{path.stem}": path for path in (paths.ROOT / "analysis").glob("*.py")}
    graph = {name: {m for m in _imports(path) if m in modules} for name, path in modules.items()}

    def reaches(start, goal, seen=()):
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt))) for nxt in graph[start])

    for name in ("analysis.metr", "analysis.refresh", "analysis.benchmarks", "analysis.epoch", "analysis.staging",
                 "analysis.importing", "analysis.cli", "analysis.importers"):
        assert not reaches(name, name), name
    assert "analysis.importers" not in set().union(*graph.values())  # nothing imports the command lines


@pytest.mark.slow  # three interpreters
@pytest.mark.parametrize("module", ["analysis.metr", "analysis.benchmarks", "analysis.epoch"])
def test_each_python_m_entry_point_answers_a_usage_error_in_one_line(module):
    result = subprocess.run([sys.executable, "-m", module, "import", "--bogus"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(paths.ROOT)})
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: python -m {module}") and "Traceback" not in result.stderr
