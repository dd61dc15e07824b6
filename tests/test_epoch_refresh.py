"""Refreshing Epoch's data (issue 19 item 7): ``python -m analysis.benchmarks refresh`` and
``python -m analysis.epoch refresh`` from a zip or a folder, local or over HTTP (a server on
127.0.0.1 that stops itself): what changed is printed, writes are all-or-nothing, truncated and wrong
files are refused."""

import http.server
import os
import shutil
import time
import zipfile

import pandas as pd
import pytest
from conftest import local_server

from analysis import benchmarks, epoch, importers, importing, refresh

EPOCH = benchmarks.SHARED_DATA / "epoch"
pytestmark = pytest.mark.skipif(not EPOCH.is_dir(), reason="upstream Epoch files not available")
BENCH_FILES = ["epoch_capabilities_index.csv", "gso_external.csv", "posttrainbench_external.csv",
               "swe_bench_verified.csv", "terminalbench_external.csv", "weirdml_external.csv"]


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def bench(tmp_path):
    """(copy of data/benchmarks, folder holding Epoch's six benchmark CSVs)."""
    data = tmp_path / "repo" / "data" / "benchmarks"
    shutil.copytree(benchmarks.BENCH_DATA, data)
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    for name in BENCH_FILES:
        shutil.copyfile(EPOCH / name, upstream / name)
    return data, upstream


def _edit(path, edit):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame).to_csv(path, index=False)


def _new_eci_release(frame, shift=1.5):
    """Every score moved by ``shift`` (a refit), and GPT-6 Astra added (Epoch's own row for it)."""
    scored = frame["ECI Score"] != ""
    frame.loc[scored, "ECI Score"] = (pd.to_numeric(frame.loc[scored, "ECI Score"]) + shift).round(2).astype(str)
    astra = frame[frame["Model version"] == "gpt-5.6-sol_high"].iloc[0].copy()
    astra[["Model version", "ECI Score", "Release date", "Model name", "Display name"]] = [
        "gpt-6-astra_high", "169.23", "2026-09-03", "GPT-6 Astra", "GPT-6 Astra (high)"]
    return pd.concat([frame, astra.to_frame().T], ignore_index=True)


def _zip(folder, names, target):
    with zipfile.ZipFile(target, "w") as bundle:
        for name in names:
            bundle.write(folder / name, f"benchmark_data/{name}")
    return target


def test_unchanged_files_are_already_up_to_date(bench):
    data, upstream = bench
    before = _tree(data)
    report = refresh.refresh_benchmarks(str(upstream), data_dir=data, as_of="2026-12-01")
    assert report.startswith("already up to date: Epoch's 6 benchmark files")
    assert _tree(data) == before


def test_a_new_eci_release_reports_new_models_changed_scores_and_the_refit(bench, capsys):
    data, upstream = bench
    _edit(upstream / "epoch_capabilities_index.csv", _new_eci_release)
    _edit(upstream / "gso_external.csv", lambda f: f.assign(**{"Score OPT@1": f["Score OPT@1"].where(
        f["Model version"] != "claude-opus-4-8_unknown", "0.5")}))
    archive = _zip(upstream, BENCH_FILES, upstream.parent / "benchmark_data.zip")
    code = importers.benchmarks_main(["refresh", "--from", str(archive), "--data-dir", str(data), "--as-of", "2026-12-01"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "refreshed 2 of Epoch's 6 benchmark files" in out and "(eci.csv, gso.csv)" in out
    assert "eci.csv: 185 models; new: GPT-6 Astra" in out  # 184 model names in the 30 Jul file (MANIFEST) + 1
    # every score moved by +1.5: the refit's shift on the 184 models both releases hold is +1.50
    assert "moved the 184 models both releases hold by +1.50 points (median; mean +1.50" in out
    assert "gso.csv: 27 models; new: none" in out and "Claude Opus 4.8: 0.4706 -> 0.5" in out  # MANIFEST: top 0.4706
    eci = benchmarks.load_eci(data)
    assert eci.set_index("model").loc["gpt-6-astra_high", "eci"] == 169.23
    sources = benchmarks.load_sources(data / "sources.csv").set_index("table")
    assert sources.loc["eci.csv", "as_of"] == "2026-12-01"
    assert sources.loc["eci.csv", "sha256"] == importing.read_upstream(upstream / "epoch_capabilities_index.csv").sha256
    assert sources.loc["eci.csv", "source_url"] == "https://epoch.ai/data/benchmark_data.zip"  # kept: not an https origin
    assert "refreshed 2026-12-01 from file://" in sources.loc["eci.csv", "mirror"]
    # Epoch's own file now holds GPT-6 Astra and is newer than both snapshots: every transcribed row of a
    # model it holds gives way (issue 19 item 7); Claude Fable 5.1, which it lacks, stays.
    snapshots = benchmarks.load_eci_snapshots(data)
    assert "GPT-6 Astra" not in set(snapshots["model"]) and "Claude Fable 5.1" in set(snapshots["model"])


def test_a_failing_table_writes_nothing(bench):
    data, upstream = bench
    _edit(upstream / "epoch_capabilities_index.csv", _new_eci_release)  # a good change ...
    _edit(upstream / "weirdml_external.csv", lambda f: f.assign(Accuracy=["1.7"] + f["Accuracy"].tolist()[1:]))  # ... and a bad one
    before = _tree(data)
    with pytest.raises(ValueError, match=r"weirdml_external.csv: row 2: .*Accuracy: out of range"):
        refresh.refresh_benchmarks(str(upstream), data_dir=data, as_of="2026-12-01")
    assert _tree(data) == before


def test_a_file_that_drops_most_models_needs_allow_removals(bench):
    data, upstream = bench
    _edit(upstream / "gso_external.csv", lambda f: f.iloc[:6])  # a cut at a row boundary is a valid CSV
    before = _tree(data)
    with pytest.raises(ValueError, match=r"gso_external.csv: holds \d models, and 2\d of the 27 known ones are missing"):
        refresh.refresh_benchmarks(str(upstream), data_dir=data, as_of="2026-12-01")
    assert _tree(data) == before
    report = refresh.refresh_benchmarks(str(upstream), data_dir=data, as_of="2026-12-01", allow_removals=True)
    assert "no longer listed:" in report and len(benchmarks.load_gso(data)) < 7


@pytest.mark.parametrize("damage, message", [
    (lambda up: shutil.copyfile(up / "gso_external.csv", up / "weirdml_external.csv"), "the same bytes as"),
    (lambda up: shutil.copyfile(EPOCH / "metr_time_horizons_external.csv", up / "epoch_capabilities_index.csv"),
     "missing column"),
    (lambda up: (up / "swe_bench_verified.csv").write_bytes((up / "swe_bench_verified.csv").read_bytes()[:-300]),
     "does not end with a line break"),
], ids=["one-file-for-another", "wrong-file", "cut-mid-row"])
def test_wrong_or_cut_files_are_refused(bench, damage, message):
    data, upstream = bench
    damage(upstream)
    before = _tree(data)
    with pytest.raises(ValueError, match=message):
        refresh.refresh_benchmarks(str(upstream), data_dir=data, as_of="2026-12-01")
    assert _tree(data) == before


def test_a_zip_without_a_member_or_cut_short_is_refused(bench, tmp_path):
    data, upstream = bench
    partial = _zip(upstream, BENCH_FILES[1:], tmp_path / "partial.zip")
    whole = _zip(upstream, BENCH_FILES, tmp_path / "whole.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    before = _tree(data)
    with pytest.raises(ValueError, match="no member 'epoch_capabilities_index.csv'"):
        refresh.refresh_benchmarks(str(partial), data_dir=data, as_of="2026-12-01")
    with pytest.raises(ValueError, match="not a complete zip archive"):
        refresh.refresh_benchmarks(str(cut), data_dir=data, as_of="2026-12-01")
    assert _tree(data) == before


# ------------------------------------------------------------------ over HTTP: a local server that stops itself


class _Handler(http.server.BaseHTTPRequestHandler):
    """/good/<file>, /cut/<file> (HTTP/1.0, no Content-Length, body closed half way), /trickle/<file>
    (the status line and headers one byte every 50 ms; gives up after 5 s)."""

    files: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        body = self.files.get(name)
        if body is None:
            self.send_error(404)
            return
        try:
            if mode == "trickle":
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                stop = time.monotonic() + 5
                for byte in head:
                    if time.monotonic() > stop:
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
                self.wfile.write(body)
                return
            self.protocol_version = "HTTP/1.0"
            self.send_response(200)
            if mode == "good":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body if mode == "good" else body[: len(body) // 2])
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


@pytest.fixture
def server(bench, tmp_path):
    data, upstream = bench
    _edit(upstream / "epoch_capabilities_index.csv", _new_eci_release)
    whole = _zip(upstream, BENCH_FILES, tmp_path / "benchmark_data.zip")
    _Handler.files = {"benchmark_data.zip": whole.read_bytes()}
    with local_server(_Handler) as url:
        yield url, data


def test_the_zip_over_http_is_refreshed(server):
    url, data = server
    report = refresh.refresh_benchmarks(f"{url}/good/benchmark_data.zip", data_dir=data, as_of="2026-12-01")
    assert "new: GPT-6 Astra" in report
    assert f"from {url}/good/benchmark_data.zip" in benchmarks.load_sources(data / "sources.csv").set_index(
        "table").loc["eci.csv", "mirror"]


@pytest.mark.parametrize("mode, message", [("cut", "not a complete zip archive"),
                                           ("trickle", r"not finished within 1 s")])
def test_a_cut_or_trickled_zip_is_refused_in_time(server, capsys, mode, message):
    url, data = server
    before = _tree(data.parent.parent.parent)  # the data, and everything beside the repository
    started = time.monotonic()
    with pytest.raises(ValueError, match=message):
        refresh.refresh_benchmarks(f"{url}/{mode}/benchmark_data.zip", data_dir=data, as_of="2026-12-01",
                                   deadline_seconds=1.0)
    assert time.monotonic() - started < 3  # the deadline counts header bytes too
    assert _tree(data.parent.parent.parent) == before


# ------------------------------------------------------------------ Epoch's "Data on AI Models" -> data/compute/


@pytest.fixture
def compute(tmp_path):
    data = tmp_path / "repo" / "data" / "compute"
    shutil.copytree(epoch.COMPUTE_DATA, data)
    upstream = tmp_path / "ai_models"
    upstream.mkdir()
    for name in ("notable_ai_models.csv", "large_scale_ai_models.csv"):
        shutil.copyfile(EPOCH / "ai_models" / name, upstream / name)
    return data, upstream


def test_compute_refresh_reports_new_and_changed_models(compute):
    data, upstream = compute
    before = _tree(data)
    assert refresh.refresh_compute(str(upstream), data_dir=data, as_of="2026-12-01").startswith("already up to date")
    assert _tree(data) == before

    def edit(frame):
        frame.loc[frame["Model"] == "Grok 3", "Training compute (FLOP)"] = "4e26"  # MANIFEST: 3.5e26
        extra = frame.iloc[[0]].copy()
        extra[["Model", "Publication date", "Training compute (FLOP)"]] = ["Model X", "2026-09-01", "1e26"]
        return pd.concat([frame, extra], ignore_index=True)

    for name in ("notable_ai_models.csv", "large_scale_ai_models.csv"):
        _edit(upstream / name, lambda f: edit(f) if name == "notable_ai_models.csv" else f.assign(
            **{"Training compute (FLOP)": f["Training compute (FLOP)"].where(f["Model"] != "Grok 3", "4e26")}))
    report = refresh.refresh_compute(str(upstream), data_dir=data, as_of="2026-12-01")
    assert "new: Model X" in report and "Grok 3: 3.5e+26 -> 4e+26 FLOP" in report
    table = epoch.load_training_compute(data / "training_compute.csv").set_index("model")
    assert table.loc["Grok 3", "training_compute_flop"] == 4e26
    assert epoch.load_sources(data / "sources.csv").set_index("source_id").loc["notable_ai_models", "as_of"] == "2026-12-01"


def test_compute_refresh_refuses_a_future_date_and_a_formula(compute):
    data, upstream = compute
    before = _tree(data)
    for column, value, message in (("Publication date", "2099-01-01", "after the day of the import"),
                                   ("Organization", "=HYPERLINK(\"http://x\")", "formula")):
        shutil.copyfile(EPOCH / "ai_models" / "notable_ai_models.csv", upstream / "notable_ai_models.csv")
        _edit(upstream / "notable_ai_models.csv",
              lambda f: f.assign(**{column: [value] + f[column].tolist()[1:]}))
        with pytest.raises(ValueError, match=message):
            refresh.refresh_compute(str(upstream), data_dir=data, as_of="2026-12-01")
        assert _tree(data) == before


def test_compute_refresh_takes_epochs_metr_table_from_the_source_or_says_why_not(compute, tmp_path):
    data, upstream = compute
    # absent from the folder: the recorded copy beside the repository is used (sha256-checked)
    assert refresh.refresh_compute(str(upstream), data_dir=data, as_of="2026-12-01").startswith("already up to date")
    # present but not a regular file: an error, never a silent fallback
    os.mkfifo(upstream / "metr_time_horizons_external.csv")
    before = _tree(data)
    with pytest.raises(ValueError, match="metr_time_horizons_external.csv: is not a regular file"):
        refresh.refresh_compute(str(upstream), data_dir=data, as_of="2026-12-01")
    assert _tree(data) == before
