"""Refreshing METR's data from local files only: good, changed and malformed inputs."""

import shutil

import pytest
import yaml

from analysis import metr, paths, refresh

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
    code = metr.main(["refresh", "--from", str(tmp_path / "missing"), "--data-dir", str(data_copy)])
    assert code == 1 and "error:" in capsys.readouterr().err
