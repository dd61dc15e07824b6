"""METR I/O: reading upstream YAML, one test per kind of bad input, atomic import, data contract."""

import os
import re
import shutil
import subprocess
import sys
import time

import pandas as pd
import pytest
import yaml
from conftest import benchmark_document

from analysis import importers, metr, paths

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
        path, data_dir=data_copy, release="v1.1_2026-06-01", source_url="https://example.org/b.yaml", as_of="2026-06-01"
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


# ------------------------------------------------------------ hardening (issue 13): every bad input refused clearly


def _tree(folder):
    """Every file under ``folder`` (hidden ones included) -> its bytes: 'data/ is byte-identical'."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _cli_error(capsys, argv) -> str:
    """Run the command line; it must fail with status 1 and exactly one line 'error: ...' on stderr."""
    code = importers.metr_main(argv)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def _import_argv(path, data_dir, release="v1.1_2026-06-01", as_of="2026-06-01", *extra):
    return ["import", str(path), "--data-dir", str(data_dir), "--release", release,
            "--source-url", "https://example.org/b.yaml", "--as-of", as_of, *extra]


def _edit(document, model, dotted, value):
    record = document["results"][model]
    *keys, last = dotted.split(".")
    for key in keys:
        record = record[key]
    record[last] = value


# Category 1: invalid values. Each case: (where in model_1's record, value, column named in the error).
INVALID_VALUES = [
    ("metrics.p50_horizon_length.estimate", float("inf"), "'p50'"),
    ("metrics.p50_horizon_length.ci_high", float("inf"), "'p50_high'"),
    ("metrics.p80_horizon_length.ci_low", float("nan"), "'p80_low'"),
    ("metrics.p50_horizon_length.estimate", 10**400, "'p50'"),  # float() overflows
    ("metrics.average_score.estimate", float("-inf"), "'average_score'"),
    ("release_date", "now", "'release_date'"),
    ("release_date", "today", "'release_date'"),
    ("release_date", "next tuesday", "'release_date'"),
    ("release_date", "2024-13-45", "'release_date'"),  # YAML reads it as a timestamp: refused, not a crash
    ("release_date", "0001-01-01", "'release_date'"),
]


@pytest.mark.parametrize(("dotted", "value", "column"), INVALID_VALUES, ids=[f"{d}={v!s:.12}" for d, v, _ in INVALID_VALUES])
def test_invalid_values_are_refused_naming_file_model_and_column(data_copy, write_benchmark, capsys, dotted, value, column):
    document = benchmark_document()
    _edit(document, "model_1", dotted, value)
    text = yaml.safe_dump(document, sort_keys=False)
    if value == "2024-13-45":
        text = text.replace("'2024-13-45'", "2024-13-45")  # unquoted, as a hand-edited file would have it
    path = write_benchmark(text)
    before = _tree(data_copy)
    line = _cli_error(capsys, _import_argv(path, data_copy))
    assert "bench.yaml" in line and "'model_1'" in line and column in line
    assert len(line) < 400  # a 400-digit number is not printed in full
    assert _tree(data_copy) == before


@pytest.mark.parametrize(
    ("block", "message"),
    [({"w": {"point_estimate": float("inf")}}, "'point_estimate' is not a finite number"),
     ({"w": {"point_estimate": 100.0, "ci_low": 120.0, "ci_high": 150.0}}, "'ci_low' is above the point estimate"),
     ({"w": {"point_estimate": 100.0, "ci_low": 80.0, "ci_high": 90.0}}, "'ci_high' is below the point estimate"),
     ({"w": {"point_estimate": -5.0}}, "'point_estimate' must be > 0"),
     ({None: {"point_estimate": 5.0}}, "column 'window' is not text")],
    ids=["inf", "low-above", "high-below", "negative", "null-window"],
)
def test_invalid_doubling_block(write_benchmark, block, message):
    document = benchmark_document()
    document["doubling_time_in_days"] = block
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        metr.read_published_doubling(write_benchmark(document))
    assert "bench.yaml" in str(caught.value)


@pytest.mark.parametrize(
    ("key", "message"),
    [("''", "is empty or reads back as missing"), ("~", "is not text"), ("NA", "reads back as missing"),
     ("'null'", "reads back as missing"), ("123", "is not text"), ("'=HYPERLINK(\"http://x\")'", "run as a formula"),
     ("'+1'", "run as a formula"), ("'-2+3'", "run as a formula"), ("'@SUM(A1)'", "run as a formula"),
     ('"a\\tb"', "control character")],
)
def test_bad_model_keys_are_refused_at_import(write_benchmark, key, message):
    text = yaml.safe_dump(benchmark_document(2), sort_keys=False).replace("  model_1:", f"  {key}:", 1)
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        metr.read_benchmark_yaml(write_benchmark(text))
    assert "bench.yaml" in str(caught.value) and "column 'model'" in str(caught.value)


def test_two_keys_sharing_a_display_name_are_refused(write_benchmark):
    document = benchmark_document(2)
    document["results"]["model 1"] = document["results"].pop("model_1")  # fallback name of both: "model 1"
    document["results"]["model_1"] = document["results"].pop("model_0")
    with pytest.raises(ValueError, match="column 'display_name' 'model 1' is also the display name of model"):
        metr.read_benchmark_yaml(write_benchmark(document))


def test_a_list_as_a_mapping_key_is_a_clear_error(write_benchmark):
    text = yaml.safe_dump(benchmark_document(1), sort_keys=False).replace("  model_0:", "  ? [a, b]\n  :", 1)
    with pytest.raises(ValueError, match=r"bench.yaml: malformed YAML at line \d+: a mapping key is a list"):
        metr.read_benchmark_yaml(write_benchmark(text))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("n_successes", 0.5, "column 'n_successes' is not a whole number: 0.5"),
     ("n_runs", 6.5, "column 'n_runs' is not a whole number"),
     ("human_minutes", float("inf"), "column 'human_minutes' is not a finite number"),
     ("task_weight", float("inf"), "column 'task_weight' is not a finite number"),
     ("task_weight", 10**5000, "column 'task_weight' is not a number: '1000")],  # beyond int's 4,300 digits: kept as text
    ids=["half-success", "half-run", "inf-minutes", "inf-weight", "5000-digit-weight"],
)
def test_bad_task_values(write_benchmark, field, value, message):
    document = _task_document()
    document["agents"]["Agent A"]["tasks"][0][field] = value
    with pytest.raises(ValueError) as caught:
        metr.read_task_yaml(write_benchmark(_dump_big(document)))
    assert "bench.yaml" in str(caught.value) and "Agent A / fam/t1" in str(caught.value) and message in str(caught.value)
    assert len(str(caught.value)) < 400


def _dump_big(document) -> str:
    """safe_dump refuses ints above 4,300 digits; write those by hand."""
    def fix(node):
        if isinstance(node, dict):
            return {key: fix(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fix(value) for value in node]
        if isinstance(node, int) and not isinstance(node, bool) and node.bit_length() > 10_000:
            return "BIGINT"
        return node
    return yaml.safe_dump(fix(document), sort_keys=False).replace("BIGINT", "1" + "0" * 5000)


@pytest.mark.parametrize("field", ["coefficient", "intercept"])
def test_non_finite_fit_coefficients(write_benchmark, field):
    document = _task_document()
    document["agents"]["Agent A"][field] = float("inf")
    with pytest.raises(ValueError, match=f"agent 'Agent A': column '{field}' is not a finite number"):
        metr.read_task_yaml(write_benchmark(document))


# Load refuses what import refuses: a hand-edited committed table.
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("p50_high", "inf", "column 'p50_high' is not a finite number"),
     ("p80", "nan", "column 'p80' is empty"),
     ("p50", "ten", "column 'p50' is not a number"),
     ("release_date", "now", "column 'release_date' is not a date"),
     ("release_date", "2024-13-45", "column 'release_date' is not a date"),
     ("display_name", "=cmd()", "run as a formula"),
     ("model", "NA", "column 'model' is empty")],
)
def test_load_refuses_what_import_refuses(data_copy, column, value, message):
    path = metr.horizons_path("v1.1_2026-05-08", data_copy)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[2, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        metr.load_horizons(release="v1.1_2026-05-08", data_dir=data_copy)
    assert path.name in str(caught.value)


def test_load_refuses_shared_display_names(data_copy):
    path = metr.horizons_path("v1.1_2026-05-08", data_copy)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, "display_name"] = frame.loc[4, "display_name"]
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match="is also the display name of"):
        metr.load_horizons(release="v1.1_2026-05-08", data_dir=data_copy)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("n_successes", "0.5", "column 'n_successes' is not a whole number"),
     ("human_minutes", "inf", "column 'human_minutes' is not a finite number"),
     ("agent", "=1+1", "run as a formula"),
     ("release_date", "today", "column 'release_date' is not a date")],
)
def test_load_tasks_refuses_bad_cells(data_copy, column, value, message):
    path = metr.tasks_path("tasks_v1.1_2026-05-08", data_copy)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[5, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        metr.load_tasks(data_dir=data_copy)
    assert path.name in str(caught.value)


def test_load_refuses_a_bad_doubling_table(data_copy):
    path = metr.doubling_path("v1.1_2026-05-08", data_copy)
    frame = pd.read_csv(path)
    frame.loc[1, "ci_low"] = frame.loc[1, "point_estimate"] + 1
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"doubling_v1.1_2026-05-08.csv: window 'from_2023_on': column 'ci_low' is above"):
        metr.load_published_doubling("v1.1_2026-05-08", data_copy)


# Category 2: every failure of the command line is one line, status 1, no traceback.
def test_command_line_failures_are_one_line(data_copy, tmp_path, capsys):
    before = _tree(data_copy)
    cases = {
        "missing": (["import", str(tmp_path / "nope.yaml"), "--data-dir", str(data_copy)], "nope.yaml: no such file"),
        "folder": (["import", str(tmp_path), "--data-dir", str(data_copy)], "is a folder, not a file"),
        "no-data-dir": (["import", str(paths.SHARED_METR / "benchmark_results_1_1.yaml"), "--data-dir",
                         str(tmp_path / "none")], "none: no such data folder"),
        "bad-option": (["import"], "error: python -m analysis.metr import: the following arguments are required"),
    }
    for argv, expected in cases.values():
        assert expected in _cli_error(capsys, argv)
    assert _tree(data_copy) == before


def test_command_line_reports_unexpected_errors_in_one_line(data_copy, write_benchmark, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device", str(data_copy / "x"))

    monkeypatch.setattr(metr, "import_release", broken)
    line = _cli_error(capsys, _import_argv(write_benchmark(benchmark_document()), data_copy))
    assert line == f"error: {data_copy / 'x'}: No space left on device"
    monkeypatch.setattr(metr, "import_release", lambda *a, **k: {}["surprise"])
    assert "unexpected KeyError" in _cli_error(capsys, _import_argv(write_benchmark(benchmark_document()), data_copy))


def test_command_line_in_a_subprocess_never_prints_a_traceback(data_copy, tmp_path):
    for target in ("/dev/zero", str(tmp_path)):
        result = subprocess.run([sys.executable, "-m", "analysis.metr", "import", target, "--data-dir", str(data_copy)],
                                capture_output=True, text=True, timeout=60, cwd=paths.ROOT)
        assert result.returncode == 1 and result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
        assert target in result.stderr


# Category 4: identity and paths.
@pytest.mark.parametrize(
    ("release", "as_of", "message"),
    [("../../../x", "2026-06-01", "not a release id"),
     ("v1.1_2026-06-01/../../x", "2026-06-01", "not a release id"),
     ("x", "2026-06-01", "not a release id"),
     ("tasks_v1.1_2026-06-01", "2026-06-01", "needs an id not starting with 'tasks_'"),
     ("v1.0_2026-06-01", "2026-06-01", "the file is suite v1.1, the id says v1.0"),
     ("v1.1_2026-06-02", "2026-06-01", "the id's date differs from --as-of"),
     ("v1.1_2026-06-01", "next tuesday", "--as-of: not a date"),
     ("v1.1_2026-06-01", "2026-13-45", "--as-of: not a date"),
     ("v1.1_2020-01-01", "2020-01-01", "is before the latest release date in the file")],
)
def test_release_ids_and_dates_are_validated(data_copy, write_benchmark, capsys, release, as_of, message):
    before = _tree(data_copy)
    line = _cli_error(capsys, _import_argv(write_benchmark(benchmark_document()), data_copy, release, as_of))
    assert message in line
    assert "bench.yaml" in line or message.startswith("--as-of")
    assert _tree(data_copy) == before
    assert not (data_copy.parent.parent / "x").exists()


def test_an_existing_release_is_never_overwritten_silently(data_copy, write_benchmark, capsys):
    before = _tree(data_copy)
    line = _cli_error(capsys, _import_argv(write_benchmark(benchmark_document(2)), data_copy, "v1.1_2026-05-08", "2026-05-08"))
    assert "v1.1_2026-05-08: already in" in line and "--replace" in line
    assert _tree(data_copy) == before
    # with --replace: the row is replaced, not duplicated, and the output says so
    assert importers.metr_main(_import_argv(write_benchmark(benchmark_document(2)), data_copy, "v1.1_2026-05-08", "2026-05-08",
                                  "--replace")) == 0
    assert "replaced release v1.1_2026-05-08" in capsys.readouterr().out
    sources = metr.load_sources(data_copy / "sources.csv")
    assert (sources["release"] == "v1.1_2026-05-08").sum() == 1 and len(sources) == 5
    assert len(metr.load_horizons(release="v1.1_2026-05-08", data_dir=data_copy)) == 2


def test_a_file_name_that_is_a_formula_is_refused(data_copy, write_benchmark):
    with pytest.raises(ValueError, match="column 'upstream_file' starts with '='"):
        metr.import_release(write_benchmark(benchmark_document(), name="=cmd.yaml"), data_dir=data_copy, **{
            "release": "v1.1_2026-06-01", "source_url": "https://example.org/b.yaml", "as_of": "2026-06-01"})


def test_an_orphan_table_is_not_overwritten(data_copy, write_benchmark):
    (data_copy / "horizons_v1.1_2026-06-01.csv").write_text("hand-made\n")
    with pytest.raises(ValueError, match="horizons_v1.1_2026-06-01.csv exists with other content"):
        metr.import_release(write_benchmark(benchmark_document()), data_dir=data_copy, release="v1.1_2026-06-01",
                            source_url="https://example.org/b.yaml", as_of="2026-06-01")


def test_same_day_releases_sort_by_sequence():
    sources = pd.DataFrame({"release": ["v1.1_2026-06-01_2", "v1.1_2026-06-01", "v1.1_2026-05-08"],
                            "kind": "benchmark", "benchmark": "1.1", "as_of": ["2026-06-01", "2026-06-01", "2026-05-08"]})
    assert metr.benchmark_releases(sources) == ["v1.1_2026-05-08", "v1.1_2026-06-01", "v1.1_2026-06-01_2"]
    assert metr.free_release_id("v1.1_2026-06-01", sources) == "v1.1_2026-06-01_3"


@pytest.mark.parametrize(("column", "value"), [("as_of", "next tuesday"), ("release", "../x"), ("sha256", "abc"),
                                               ("kind", "tasks")])
def test_load_sources_refuses_bad_rows(data_copy, column, value):
    path = data_copy / "sources.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=rf"sources.csv: row 3: release .*: column '{column}'"):
        metr.load_sources(path)


# Category 6: resources.
def test_non_regular_and_oversized_files_are_refused_before_reading(tmp_path, monkeypatch):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="pipe.yaml: is not a regular file"):
        metr.read_benchmark_yaml(fifo)  # would block forever if opened for a blocking read
    with pytest.raises(ValueError, match="/dev/zero: is not a regular file"):
        metr.read_benchmark_yaml("/dev/zero")
    with pytest.raises(ValueError, match="is a folder, not a file"):
        metr.read_benchmark_yaml(tmp_path)
    big = tmp_path / "big.yaml"
    with open(big, "wb") as out:
        out.truncate(metr.MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ValueError, match=r"big.yaml: the file has 20,971,521 bytes, above the cap of 20,971,520"):
        metr.read_benchmark_yaml(big)


def test_too_many_models_are_refused_early(write_benchmark, monkeypatch):
    monkeypatch.setattr(metr, "MAX_MODELS", 2)
    with pytest.raises(ValueError, match="bench.yaml: 3 models, above the cap of 2"):
        metr.read_benchmark_yaml(write_benchmark(benchmark_document(3)))


def test_alias_bomb_is_refused_without_expanding(write_benchmark):
    lines = ["benchmark_name: METR-Horizon-v1.1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
              f"*a{i - 1}, *a{i - 1}]" for i in range(1, 10)]  # 10**10 values once expanded
    lines.append("results: {model_0: *a9}")
    started = time.monotonic()
    with pytest.raises(ValueError, match="bench.yaml: expands to more than 2,000,000 values"):
        metr.read_benchmark_yaml(write_benchmark("\n".join(lines) + "\n"))
    assert time.monotonic() - started < 10


def test_long_values_are_cut_in_messages(write_benchmark):
    document = benchmark_document()
    _edit(document, "model_0", "metrics.p50_horizon_length.estimate", "x" * 100_000)
    with pytest.raises(ValueError) as caught:
        metr.read_benchmark_yaml(write_benchmark(document))
    assert "(100,000 characters)" in str(caught.value) and len(str(caught.value)) < 300
