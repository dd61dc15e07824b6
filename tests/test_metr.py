"""METR I/O: reading upstream YAML, one test per kind of bad input, atomic import, data contract."""

import shutil

import pandas as pd
import pytest
import yaml
from conftest import benchmark_document

from analysis import metr, paths

UPSTREAM = {
    "v1.0_2026-01-30": "benchmark_results_1_0.yaml",
    "v1.1_2026-01-30": "history/benchmark_results_1_1_2026-01-30.yaml",
    "v1.1_2026-03-03": "history/benchmark_results_1_1_2026-03-03.yaml",
    "v1.1_2026-05-08": "benchmark_results_1_1.yaml",
}
needs_shared = pytest.mark.skipif(
    not paths.SHARED_METR.exists(), reason=f"upstream METR files not found at {paths.SHARED_METR}"
)


def test_reads_a_valid_file(write_benchmark):
    frame = metr.read_benchmark_yaml(write_benchmark(benchmark_document(3)))
    assert list(frame.columns) == metr.HORIZON_COLUMNS
    assert frame["release_date"].dtype.kind == "M"
    assert frame["p50"].tolist() == [10.0, 20.0, 40.0]
    assert set(frame["benchmark"]) == {"1.1"}


def test_unknown_model_gets_readable_fallback_name(write_benchmark):
    frame = metr.read_benchmark_yaml(write_benchmark(benchmark_document(1)))
    assert frame.loc[0, "display_name"] == "model 0"


def test_reads_published_doubling_block(write_benchmark):
    block = metr.read_published_doubling(write_benchmark(benchmark_document(2)))
    assert block.set_index("window").loc["from_2023_on", "ci_high"] == 150.0
    assert pd.isna(block.set_index("window").loc["all_time_stitched", "ci_low"])


# ------------------------------------------------------------ bad input, one kind per test


def _error(write_benchmark, document) -> str:
    with pytest.raises(ValueError) as caught:
        metr.read_benchmark_yaml(write_benchmark(document))
    return str(caught.value)


def test_missing_column_names_file_model_and_column(write_benchmark):
    document = benchmark_document()
    del document["results"]["model_1"]["metrics"]["p80_horizon_length"]["ci_high"]
    message = _error(write_benchmark, document)
    assert "bench.yaml" in message and "'model_1'" in message and "p80_horizon_length.ci_high" in message


def test_unparseable_date(write_benchmark):
    document = benchmark_document()
    document["results"]["model_2"]["release_date"] = "sometime in spring"
    message = _error(write_benchmark, document)
    assert "bench.yaml" in message and "'model_2'" in message and "'release_date'" in message


@pytest.mark.parametrize("value", [0.0, -3.0])
def test_non_positive_horizon(write_benchmark, value):
    document = benchmark_document()
    document["results"]["model_0"]["metrics"]["p50_horizon_length"].update(estimate=value, ci_low=value - 1)
    message = _error(write_benchmark, document)
    assert "'model_0'" in message and "'p50" in message and "> 0" in message


def test_estimate_outside_its_interval(write_benchmark):
    document = benchmark_document()
    document["results"]["model_1"]["metrics"]["p80_horizon_length"]["ci_high"] = 0.5  # below the estimate
    message = _error(write_benchmark, document)
    assert "'model_1'" in message and "'p80_high'" in message and "low <= estimate <= high" in message


def test_duplicate_model(write_benchmark):
    text = yaml.safe_dump(benchmark_document(2), sort_keys=False)
    first_record = text[text.index("  model_0:") : text.index("  model_1:")]
    message = _error(write_benchmark, text + first_record)
    assert "bench.yaml" in message and "duplicate key 'model_0'" in message


def test_unknown_benchmark_version(write_benchmark):
    document = benchmark_document()
    document["benchmark_name"] = "METR-Horizon-v9.9"
    message = _error(write_benchmark, document)
    assert "bench.yaml" in message and "unknown benchmark version 'METR-Horizon-v9.9'" in message


def test_malformed_yaml_reports_line(write_benchmark):
    message = _error(write_benchmark, "benchmark_name: METR-Horizon-v1.1\nresults: [unclosed\n  x: 1\n")
    assert "bench.yaml" in message and "malformed YAML at line" in message


def test_truncated_file(write_benchmark):
    text = yaml.safe_dump(benchmark_document(3), sort_keys=False)
    cut = text[: text.index("p80_horizon_length", text.index("model_2"))]  # ends mid-record
    message = _error(write_benchmark, cut)
    assert "'model_2'" in message and "missing column" in message


def test_empty_file(write_benchmark):
    assert "truncated" in _error(write_benchmark, "")


def test_not_a_number(write_benchmark):
    document = benchmark_document()
    document["results"]["model_0"]["metrics"]["p50_horizon_length"]["estimate"] = "ten"
    message = _error(write_benchmark, document)
    assert "'model_0'" in message and "'p50'" in message and "not a number" in message


# ------------------------------------------------------------ committed tables


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(paths.METR_DATA, target)
    return target


def _snapshot(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_failed_import_writes_nothing(data_copy, write_benchmark):
    before = _snapshot(data_copy)
    document = benchmark_document()
    document["results"]["model_1"]["metrics"]["p50_horizon_length"]["ci_low"] = 1e6
    with pytest.raises(ValueError):
        metr.import_release(
            write_benchmark(document), data_dir=data_copy, release="vX", source_url="file:x", as_of="2026-01-01"
        )
    assert _snapshot(data_copy) == before


def test_unknown_file_needs_provenance(data_copy, write_benchmark):
    before = _snapshot(data_copy)
    with pytest.raises(ValueError, match="is not in .*sources.csv"):
        metr.import_release(write_benchmark(benchmark_document()), data_dir=data_copy)
    assert _snapshot(data_copy) == before


def test_import_records_provenance_and_round_trips(data_copy, write_benchmark):
    path = write_benchmark(benchmark_document(3))
    release = metr.import_release(
        path, data_dir=data_copy, release="v1.1_2030-01-01", source_url="https://example.org/b.yaml", as_of="2030-01-01"
    )
    sources = metr.load_sources(data_copy / "sources.csv")
    row = sources.set_index("release").loc[release]
    assert row["sha256"] == metr.sha256_of(path) and row["source_url"] == "https://example.org/b.yaml"
    loaded = metr.load_horizons(release=release, data_dir=data_copy)
    pd.testing.assert_frame_equal(loaded, metr.read_benchmark_yaml(path, metr.load_model_names(data_copy / "models.csv")))
    # the newest release of version 1.1 is now this one
    assert metr.latest_release("1.1", sources) == release


def test_load_rejects_a_corrupted_table(data_copy):
    path = metr.horizons_path("v1.1_2026-05-08", data_copy)
    frame = pd.read_csv(path)
    frame.loc[3, "p50_low"] = frame.loc[3, "p50"] * 10
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError) as caught:
        metr.load_horizons(release="v1.1_2026-05-08", data_dir=data_copy)
    assert path.name in str(caught.value) and frame.loc[3, "model"] in str(caught.value) and "p50_low" in str(caught.value)


def test_load_rejects_a_bad_date_in_table(data_copy):
    path = metr.horizons_path("v1.0_2026-01-30", data_copy)
    frame = pd.read_csv(path)
    frame.loc[0, "release_date"] = "not-a-date"
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"row 2: model 'gpt2': column 'release_date'"):
        metr.load_horizons(release="v1.0_2026-01-30", data_dir=data_copy)


@needs_shared
@pytest.mark.parametrize("release", sorted(UPSTREAM))
def test_committed_tables_are_exactly_what_import_produces(release, tmp_path):
    fresh = tmp_path / "metr"
    fresh.mkdir()
    for name in ("sources.csv", "models.csv"):
        shutil.copy(paths.METR_DATA / name, fresh / name)
    assert metr.import_release(paths.SHARED_METR / UPSTREAM[release], data_dir=fresh) == release
    for table in (metr.horizons_path(release, fresh), metr.doubling_path(release, fresh)):
        assert table.read_bytes() == (paths.METR_DATA / table.name).read_bytes(), table.name


# ------------------------------------------------------------ data contract on the real tables


@pytest.mark.parametrize("release", sorted(UPSTREAM))
def test_data_contract(release):
    frame = metr.load_horizons(release=release)
    assert list(frame.columns[: len(metr.HORIZON_COLUMNS)]) == metr.HORIZON_COLUMNS
    assert frame["model"].is_unique
    assert frame["release_date"].between("2019-01-01", "2026-12-31").all()
    assert (frame["p50"] > frame["p80"]).all()  # 80% reliability is always reached on shorter tasks
    assert not frame["display_name"].str.contains("_").any(), "every model should have a curated display name"


def test_every_release_has_provenance():
    sources = metr.load_sources()
    assert set(sources.loc[sources["kind"] == "benchmark", "release"]) == set(UPSTREAM)
    assert set(sources.loc[sources["kind"] == "tasks", "release"]) == {"tasks_v1.1_2026-05-08"}
    assert sources["source_url"].str.startswith("https://").all()
    assert sources["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert sources["attribution"].str.contains("2503.14499").all()


@needs_shared
def test_committed_task_tables_are_exactly_what_import_produces(tmp_path):
    fresh = tmp_path / "metr"
    fresh.mkdir()
    for name in ("sources.csv", "models.csv"):
        shutil.copy(paths.METR_DATA / name, fresh / name)
    release = metr.import_release(paths.SHARED_METR / "task_results_1_1.yaml", data_dir=fresh)
    for table in (metr.tasks_path(release, fresh), metr.task_fits_path(release, fresh)):
        assert table.read_bytes() == (paths.METR_DATA / table.name).read_bytes(), table.name


def test_task_table_contract():
    tasks, fits = metr.load_tasks()
    assert tasks.groupby("agent").size().min() > 200 and tasks["agent"].nunique() == len(fits) == 23
    assert not tasks.duplicated(["agent", "task_id"]).any()
    assert (tasks["n_successes"] <= tasks["n_runs"]).all() and (tasks["human_minutes"] > 0).all()
    assert set(metr.load_agents()["agent"]) == set(fits["agent"])
    assert set(metr.load_agents()["model"]) <= set(metr.load_horizons("1.1")["model"])


def _task_document():
    return {
        "benchmark_name": "METR-Horizon-v1.1",
        "agents": {
            "Agent A": {"coefficient": -0.5, "intercept": 2.0, "release_date": "2025-01-01",
                        "tasks": [{"task_id": "fam/t1", "human_minutes": 5.0, "n_successes": 3, "n_runs": 4, "task_weight": 1.0}]},
        },
    }


def test_reads_task_results(write_benchmark):
    tasks, fits = metr.read_task_yaml(write_benchmark(_task_document()))
    assert tasks.loc[0, "task_family"] == "fam" and tasks.loc[0, "n_successes"] == 3
    assert fits.loc[0, "coefficient"] == -0.5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("n_successes", 5, "column 'n_successes' must lie in [0, n_runs]"),
     ("human_minutes", 0, "column 'human_minutes' must be > 0"),
     ("task_weight", "heavy", "column 'task_weight' is not a number")],
)
def test_bad_task_rows_name_agent_task_and_column(write_benchmark, field, value, message):
    document = _task_document()
    document["agents"]["Agent A"]["tasks"][0][field] = value
    with pytest.raises(ValueError) as caught:
        metr.read_task_yaml(write_benchmark(document))
    assert "bench.yaml" in str(caught.value) and "Agent A / fam/t1" in str(caught.value) and message in str(caught.value)
