"""Refreshing METR's data from local files only: good, changed and malformed inputs."""

import http.server
import os
import re
import shutil
import time

import pytest
import yaml
from conftest import local_server

from analysis import importers, metr, paths, refresh

pytestmark = pytest.mark.skipif(not paths.SHARED_METR.exists(), reason="upstream METR files not available")


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(paths.METR_DATA, target)
    return target


@pytest.fixture
def upstream(tmp_path):
    folder = tmp_path / "upstream"
    folder.mkdir()
    for name in (refresh.BENCHMARK_FILE, refresh.TASK_FILE):
        shutil.copyfile(paths.SHARED_METR / name, folder / name)
    return folder


def _snapshot(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_unchanged_upstream_is_already_up_to_date(data_copy, upstream):
    before = _snapshot(data_copy)
    report = refresh.refresh(str(upstream), data_dir=data_copy, as_of="2026-12-01")
    assert report.startswith("already up to date: v1.1_2026-05-08 and tasks_v1.1_2026-05-08")
    assert _snapshot(data_copy) == before


def test_changed_upstream_is_imported_with_a_change_report(data_copy, upstream):
    path = upstream / refresh.BENCHMARK_FILE
    document = yaml.safe_load(path.read_text())
    document["results"]["gpt_5_2"]["metrics"]["p50_horizon_length"]["estimate"] = 500.0
    new_model = dict(document["results"]["gpt_5_4"], release_date="2026-09-01")
    document["results"]["claude_opus_4_7_inspect"] = new_model
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    report = refresh.refresh(str(upstream), data_dir=data_copy, as_of="2026-12-01")
    assert "imported v1.1_2026-12-01 and tasks_v1.1_2026-05-08" in report
    assert "new models: claude opus 4 7" in report  # no curated name yet: the readable fallback
    assert "GPT-5.2: 352.2 -> 500.0 min (+41.9%)" in report  # 500 / 352.249 - 1 = 41.9%
    assert "doubling time since 2023: 128.7 ->" in report
    assert metr.latest_release("1.1", metr.load_sources(data_copy / "sources.csv")) == "v1.1_2026-12-01"
    assert metr.load_horizons(release="v1.1_2026-12-01", data_dir=data_copy).set_index("model").loc["gpt_5_2", "p50"] == 500.0


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text.replace("results:", "results: [", 1), "malformed YAML"),
        (lambda text: text.replace("p80_horizon_length", "p80_length"), "missing column 'metrics.p80_horizon_length'"),
        (lambda text: text.replace("benchmark_name: METR-Horizon-v1.1", "benchmark_name: METR-Horizon-v2.0", 1), "unknown benchmark version"),
        (lambda text: text[: len(text) // 2], "malformed YAML|missing column"),  # depends on where the cut falls
        (lambda text: "", "truncated"),
    ],
    ids=["invalid-yaml", "missing-field", "changed-schema", "truncated", "empty"],
)
def test_bad_upstream_leaves_data_untouched(data_copy, upstream, damage, message):
    path = upstream / refresh.BENCHMARK_FILE
    path.write_text(damage(path.read_text()))
    before = _snapshot(data_copy)
    with pytest.raises(ValueError, match=message):
        refresh.refresh(str(upstream), data_dir=data_copy, as_of="2026-12-01")
    assert _snapshot(data_copy) == before


def test_network_failure_is_a_clear_error(data_copy, tmp_path):
    before = _snapshot(data_copy)
    with pytest.raises(ValueError, match="cannot download file://"):
        refresh.refresh((tmp_path / "nowhere").as_uri(), data_dir=data_copy)
    assert _snapshot(data_copy) == before


def test_command_line_exits_non_zero_on_failure(data_copy, tmp_path, capsys):
    code = importers.metr_main(["refresh", "--from", str(tmp_path / "missing"), "--data-dir", str(data_copy)])
    assert code == 1 and "error:" in capsys.readouterr().err


# ------------------------------------------------------------ downloads (issue 13): a local server on 127.0.0.1


class _Upstream(http.server.BaseHTTPRequestHandler):
    """/<mode>/<file>: good, truncated, chunked-truncated, slow, huge, endless, wrong-suite, missing."""

    files: dict = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        body = self.files.get(name)
        if mode == "wrong-suite" and name == refresh.BENCHMARK_FILE:
            body = (paths.SHARED_METR / "benchmark_results_1_0.yaml").read_bytes()  # the v1.0 file at the v1.1 URL
        if body is None or mode == "missing":
            self.send_error(404)
            return
        try:
            if mode == "chunked-truncated":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                half = body[: len(body) // 2]
                self.wfile.write(f"{len(half):x}\r\n".encode() + half + b"\r\n")  # no terminating chunk
                return
            self.send_response(200)
            if mode == "huge":
                self.send_header("Content-Length", str(300 * 2**20))
            elif mode != "endless":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if mode == "truncated":
                self.wfile.write(body[: len(body) // 2])
            elif mode == "slow":  # one byte every 50 ms, for at most 10 s
                for byte in body[:200]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            elif mode == "endless":  # no Content-Length, more than any cap (stops at 30 MB)
                for _ in range(30):
                    self.wfile.write(b"#" * 2**20)
            elif mode != "huge":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should
        self.close_connection = True


@pytest.fixture
def server():
    _Upstream.files = {name: (paths.SHARED_METR / name).read_bytes() for name in (refresh.BENCHMARK_FILE, refresh.TASK_FILE)}
    with local_server(_Upstream) as url:
        yield url


def _tree(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_download_from_the_local_server_is_up_to_date(data_copy, server):
    report = refresh.refresh(f"{server}/good", data_dir=data_copy, as_of="2026-12-01")
    assert report.startswith("already up to date: v1.1_2026-05-08 and tasks_v1.1_2026-05-08")


@pytest.mark.parametrize(
    ("mode", "message"),
    [("truncated", r"truncated, \d[\d,]* of the [\d,]+ bytes announced \(Content-Length\)"),
     ("chunked-truncated", "IncompleteRead"),
     ("slow", r"not finished within 0.5 s"),
     ("huge", "314,572,800 bytes announced, above the cap of 5,242,880"),
     ("endless", "larger than the cap of 5,242,880 bytes"),
     ("wrong-suite", "benchmark_name 'METR-Horizon-v1' is suite v1.0, not the v1.1 asked for"),
     ("missing", "HTTPError: Not Found")],
)
def test_bad_downloads_are_refused_and_leave_data_untouched(data_copy, server, mode, message):
    before = _tree(data_copy)
    started = time.monotonic()
    with pytest.raises(ValueError, match=message) as caught:
        refresh.refresh(f"{server}/{mode}", data_dir=data_copy, as_of="2026-12-01", deadline_seconds=0.5)
    assert time.monotonic() - started < 8
    assert refresh.BENCHMARK_FILE in str(caught.value)
    assert _tree(data_copy) == before


def test_a_cut_download_is_one_line_on_the_command_line(data_copy, server, monkeypatch, capsys):
    before = _tree(data_copy)
    code = importers.metr_main(["refresh", "--from", f"{server}/chunked-truncated", "--data-dir", str(data_copy), "--as-of", "2026-12-01"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith(f"error: cannot download {server}/chunked-truncated/")
    assert _tree(data_copy) == before


@pytest.mark.parametrize(("as_of", "message"), [("next tuesday", "--as-of: not a date"), ("2026-13-45", "--as-of: not a date"),
                                               ("today", "--as-of: not a date"),
                                               ("2099-01-01", "--as-of 2099-01-01: a retrieval date cannot be in the future")])
def test_refresh_refuses_a_bad_as_of(data_copy, upstream, as_of, message):
    before = _tree(data_copy)
    with pytest.raises(ValueError, match=re.escape(message)):
        refresh.refresh(str(upstream), data_dir=data_copy, as_of=as_of)
    assert _tree(data_copy) == before


def test_two_refreshes_on_one_day_get_distinct_release_ids(data_copy, upstream):
    path = upstream / refresh.BENCHMARK_FILE
    for estimate, expected in ((500.0, "v1.1_2026-12-01"), (600.0, "v1.1_2026-12-01_2")):
        document = yaml.safe_load(path.read_text())
        document["results"]["gpt_5_2"]["metrics"]["p50_horizon_length"]["estimate"] = estimate
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        assert f"imported {expected} and" in refresh.refresh(str(upstream), data_dir=data_copy, as_of="2026-12-01")
    sources = metr.load_sources(data_copy / "sources.csv")
    assert metr.latest_release("1.1", sources) == "v1.1_2026-12-01_2"
    assert metr.load_horizons(data_dir=data_copy).set_index("model").loc["gpt_5_2", "p50"] == 600.0


def test_a_fifo_in_the_upstream_folder_is_refused(data_copy, upstream):
    (upstream / refresh.BENCHMARK_FILE).unlink()
    os.mkfifo(upstream / refresh.BENCHMARK_FILE)
    with pytest.raises(ValueError, match="is not a regular file"):
        refresh.refresh(str(upstream), data_dir=data_copy, as_of="2026-12-01")
