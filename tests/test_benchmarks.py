"""Benchmark I/O: one test per kind of bad input (on temporary copies), the committed tables equal a
fresh import, the dedup rules, the crosswalk, and the data contract of every table."""

import shutil
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from analysis import benchmarks, metr, paths

needs_shared = pytest.mark.skipif(
    not benchmarks.SHARED_DATA.exists(), reason=f"upstream files not found at {benchmarks.SHARED_DATA}"
)
TABLES = ["corebench_hard.csv", "corebench_v11.csv", "eci.csv", "eci_snapshots.csv", "gso.csv", "mlebench.csv",
          "posttrainbench.csv", "posttrainbench_v12.csv", "references.csv", "swe_bench_verified.csv",
          "terminalbench.csv", "weirdml.csv"]


# ------------------------------------------------------------ fixtures: editable copies of the inputs


@pytest.fixture
def upstream(tmp_path):
    """A writable copy of the upstream files and of data/benchmarks; returns (source dir, data dir)."""
    source = tmp_path / "shared"
    for record in benchmarks.load_sources().itertuples():
        target = source / record.upstream_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(benchmarks.SHARED_DATA / record.upstream_path, target)
        target.chmod(0o644)
    data = tmp_path / "data"
    shutil.copytree(benchmarks.BENCH_DATA, data)
    return source, data


def _snapshot(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _edit_csv(path, edit):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False)


def _accept_new_bytes(data, source, table):
    """Record the edited file's sha256, so that the test reaches the check it is about."""
    sources = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    row = sources["table"] == table
    sources.loc[row, "sha256"] = metr.sha256_of(source / sources.loc[row, "upstream_path"].iloc[0])
    sources.to_csv(data / "sources.csv", index=False)


def _import_error(source, data) -> str:
    before = _snapshot(data)
    with pytest.raises(ValueError) as caught:
        benchmarks.import_all(source, data)
    assert _snapshot(data) == before, "a failed import must write nothing"
    return str(caught.value)


# ------------------------------------------------------------ bad input, one kind per test


@needs_shared
def test_missing_column(upstream):
    source, data = upstream
    _edit_csv(source / "epoch/swe_bench_verified.csv", lambda f: f.drop(columns="mean_score"))
    _accept_new_bytes(data, source, "swe_bench_verified.csv")
    message = _import_error(source, data)
    assert message.startswith("swe_bench_verified.csv: header: mean_score: missing column")


@needs_shared
def test_non_numeric_score(upstream):
    source, data = upstream

    def edit(frame):
        frame.loc[3, "Accuracy"] = "n/a"
        return frame

    _edit_csv(source / "epoch/weirdml_external.csv", edit)
    _accept_new_bytes(data, source, "weirdml.csv")
    message = _import_error(source, data)
    assert message.startswith("weirdml_external.csv: row 5: ") and ": Accuracy: not a number: 'n/a'" in message


@needs_shared
def test_score_out_of_range_catches_a_percentage(upstream):
    source, data = upstream

    def edit(frame):
        frame.loc[0, "Average (%)"] = "34.29"  # a percentage where the file holds fractions
        return frame

    _edit_csv(source / "epoch/posttrainbench_external.csv", edit)
    _accept_new_bytes(data, source, "posttrainbench.csv")
    message = _import_error(source, data)
    assert message.startswith("posttrainbench_external.csv: row 2: glm-5.2_max: Average (%): out of range")


@needs_shared
def test_bad_date(upstream):
    source, data = upstream

    def edit(frame):
        frame.loc[1, "Release date"] = "June 2026"
        return frame

    _edit_csv(source / "epoch/gso_external.csv", edit)
    _accept_new_bytes(data, source, "gso.csv")
    message = _import_error(source, data)
    assert message.startswith("gso_external.csv: row 3: claude-opus-4-7: Release date: not a date")


def test_duplicate_key_after_dedup_in_a_committed_table(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(benchmarks.BENCH_DATA, data)
    frame = pd.read_csv(data / "posttrainbench.csv", dtype=str, keep_default_na=False)
    pd.concat([frame, frame.iloc[[4]]]).to_csv(data / "posttrainbench.csv", index=False)
    with pytest.raises(ValueError) as caught:
        benchmarks.load_posttrainbench(data)
    name = frame.loc[4, "model_name"]
    assert str(caught.value).startswith(f"posttrainbench.csv: row {len(frame) + 2}: {name} / ")
    assert "model_name+release_date: duplicate key after dedup" in str(caught.value)


@needs_shared
def test_missing_file(upstream):
    source, data = upstream
    (source / "corebench/efficiency_per_agent.csv").unlink()
    message = _import_error(source, data)
    assert message.startswith("efficiency_per_agent.csv: -: -: missing file")


@needs_shared
def test_sha256_mismatch(upstream):
    source, data = upstream
    path = source / "mlebench/README_2026-02-26.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    message = _import_error(source, data)
    assert message.startswith("README_2026-02-26.md: -: sha256: mismatch")


@needs_shared
def test_malformed_markdown_cell(upstream):
    source, data = upstream
    path = source / "mlebench/README_2026-02-26.md"
    path.write_text(path.read_text(encoding="utf-8").replace("61.33 ± 1.33", "61.33 +- 1.33"), encoding="utf-8")
    _accept_new_bytes(data, source, "mlebench.csv")
    message = _import_error(source, data)
    assert message.startswith("README_2026-02-26.md: line 11: MLEvolve (Gemini-3-Pro-Preview): All (%): not 'value ± error'")


@needs_shared
def test_sqlite_row_without_month_label(upstream):
    source, data = upstream
    database = source / "corebench/corebench_hard.db"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE parsed_results SET model_name = 'Mystery model' WHERE run_id = "
                           "'corebench_hard_coreagent_1754492673'")
    _accept_new_bytes(data, source, "corebench_hard.csv")
    message = _import_error(source, data)
    assert message.startswith("corebench_hard.db: run corebench_hard_coreagent_1754492673: model_name: no '(Month YYYY)'")


@needs_shared
def test_missing_reference_row(upstream):
    source, data = upstream
    path = source / "posttrainbench/README_2026-03-10.md"
    path.write_text(path.read_text(encoding="utf-8").replace("| Base Models |", "| Base |"), encoding="utf-8")
    _accept_new_bytes(data, source, "references.csv")
    assert "reference row 'Base Models' not found" in _import_error(source, data)


@needs_shared
def test_cli_prints_one_line_and_exits_1(upstream):
    source, data = upstream
    (source / "epoch/gso_external.csv").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "analysis.benchmarks", "import", "--from", str(source), "--data-dir", str(data)],
        capture_output=True, text=True, cwd=paths.ROOT, env={"PYTHONPATH": str(paths.ROOT), "PATH": ""},
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: gso_external.csv: -: -: missing file")
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------ committed tables = a fresh import


@needs_shared
def test_committed_tables_are_exactly_what_import_produces(tmp_path):
    fresh = tmp_path / "benchmarks"
    fresh.mkdir()
    for curated in ("sources.csv", "eci_release_dates.csv"):
        shutil.copy(benchmarks.BENCH_DATA / curated, fresh / curated)
    assert benchmarks.import_all(benchmarks.SHARED_DATA, fresh) == TABLES
    for table in TABLES:
        assert (fresh / table).read_bytes() == (benchmarks.BENCH_DATA / table).read_bytes(), table


# ------------------------------------------------------------ dedup rules, on the real tables


def test_posttrainbench_keeps_the_best_row_per_model():
    table = benchmarks.load_posttrainbench().set_index("model_name")
    # MANIFEST: gpt-5.1-codex-max is Codex CLI 0.1968 and OpenCode 0.0765 -> the best, Codex CLI, stays.
    assert table.loc["GPT-5.1-Codex-Max", "score"] == pytest.approx(0.1968)
    assert table.loc["GPT-5.1-Codex-Max", "scaffold"] == "Codex CLI"
    # Opus 4.6 has three rows (high 0.2316, plain 0.2316, "(1M)" 0.2482): one row, the best.
    assert table.loc["Claude Opus 4.6", "score"] == pytest.approx(0.2482)
    assert table.loc["Claude Opus 4.6", "n_rows_merged"] == 3
    # GPT-5.2's one run listed under two version ids collapses to one row.
    assert table.loc["GPT-5.2", "n_rows_merged"] == 2
    assert table["score"].max() == pytest.approx(0.3429)  # GLM 5.2 (Max), the MANIFEST's top row


def test_corebench_hard_best_run_per_model_and_month_labels():
    table = benchmarks.load_corebench_hard().set_index("model_name")
    assert table.loc["Claude Opus 4.1", "score"] == pytest.approx(23 / 45)  # 51.11% on 45 tasks
    assert table.loc["Claude Opus 4.5", "release_date"] == pd.Timestamp("2025-11-01")
    assert table.loc["Claude Opus 4.5", "score"] == pytest.approx(0.4222, abs=1e-4)
    assert set(table["date_basis"]) == {"model release month (HAL's label)"}
    assert table.index.is_unique


def test_mlebench_keeps_errors_and_leakage_flag():
    table = benchmarks.load_mlebench()
    all_split = table[table["benchmark"] == "MLE-bench All"]
    disarray = all_split[all_split["scaffold"] == "Disarray"].iloc[0]
    assert disarray["score"] == pytest.approx(0.7778) and disarray["stderr"] == pytest.approx(0.0044)
    assert bool(disarray["known_leakage"]) is True
    aide = all_split[(all_split["scaffold"] == "AIDE") & (all_split["model_name"] == "o1-preview")].iloc[0]
    assert aide["score"] == pytest.approx(0.1712) and aide["stderr"] == pytest.approx(0.0061)  # fact D3: 16.9% ± 1.1 at launch; the board shows 17.12 ± 0.61
    assert len(all_split) == 26 and all_split["known_leakage"].sum() == 2
    assert table["release_date"].isna().all()  # submissions, not models


def test_eci_is_one_release_one_score_per_version():
    eci = benchmarks.load_eci()
    assert eci["model"].is_unique
    sol = eci[eci["model_name"] == "GPT-5.6 Sol"]
    assert set(sol["eci"]) == {161.72} and len(sol) > 1
    sources = benchmarks.load_sources().set_index("table")
    assert sources.loc["eci.csv", "as_of"] == "2026-07-30"


def test_corebench_v11_is_kept_apart():
    v11 = benchmarks.load_corebench_v11()
    assert set(v11["split"]) == {"main39", "ood19"} and len(v11) == 32
    assert set(v11["benchmark"]) == {"CORE-Bench v1.1"}
    assert "CORE-Bench v1.1" not in benchmarks.LOADERS  # no time series mixes v1.1 with v1


def test_references_from_the_readme():
    references = benchmarks.load_references().set_index("reference")["score"]
    assert references["official instruct models"] == pytest.approx(0.511)
    assert references["base models, zero-shot"] == pytest.approx(0.075)


# ------------------------------------------------------------ crosswalk


def test_every_metr_model_with_a_counterpart_is_mapped_exactly_once():
    crosswalk = benchmarks.load_crosswalk()
    keys = set(metr.load_model_names()["model"])
    for release in metr.benchmark_releases():
        keys |= set(metr.load_horizons(release=release)["model"])
    assert set(crosswalk["metr_model"]) == keys  # every METR key has exactly one row (unique: checked on load)
    eci = benchmarks.load_eci()
    for release in metr.benchmark_releases():
        models = metr.load_horizons(release=release)["model"]
        mapped = crosswalk[crosswalk["metr_model"].isin(models) & (crosswalk["epoch_model_version"] != "")]
        # within one release, no two METR models share an Epoch version
        assert mapped["epoch_model_version"].is_unique, release
    scored = crosswalk[crosswalk["epoch_model_version"].isin(eci["model"])]
    assert len(scored) >= 40
    # the name recorded in the crosswalk is Epoch's name for that version
    names = dict(zip(eci["model"], eci["model_name"]))
    assert all(names[v] == n for v, n in zip(scored["epoch_model_version"], scored["epoch_model_name"]))


@needs_shared
def test_crosswalk_versions_exist_upstream_and_dates_agree():
    crosswalk = benchmarks.load_crosswalk()
    upstream = pd.read_csv(benchmarks.SHARED_DATA / "epoch/epoch_capabilities_index.csv", dtype=str, keep_default_na=False)
    known = set(upstream["Model version"])
    mapped = crosswalk[crosswalk["epoch_model_version"] != ""]
    assert set(mapped["epoch_model_version"]) <= known
    # Where both give a date, a METR model and its Epoch version were released within two weeks (o1: 5 vs 17 Dec 2024).
    dates = dict(zip(upstream["Model version"], upstream["Release date"]))
    horizons = metr.load_horizons("1.1").set_index("model")
    for row in mapped.itertuples():
        if row.metr_model in horizons.index and dates.get(row.epoch_model_version) and row.metr_model not in {
            "gpt2", "davinci_002", "gpt_3_5_turbo_instruct"}:
            gap = abs(pd.Timestamp(dates[row.epoch_model_version]) - horizons.loc[row.metr_model, "release_date"])
            assert gap <= pd.Timedelta(days=14), row.metr_model


def test_crosswalk_load_rejects_a_duplicated_metr_key(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(benchmarks.BENCH_DATA, data)
    frame = pd.read_csv(data / "crosswalk.csv", dtype=str, keep_default_na=False)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(data / "crosswalk.csv", index=False)
    with pytest.raises(ValueError, match=r"crosswalk.csv: row \d+: gpt2: metr_model: duplicate key"):
        benchmarks.load_crosswalk(data)


# ------------------------------------------------------------ data contract


@pytest.mark.parametrize("name", sorted(benchmarks.LOADERS))
def test_score_tables_contract(name):
    table = benchmarks.LOADERS[name]()
    assert table["score"].between(0, 1).all()
    assert table["stderr"].dropna().between(0, 1).all()
    if name != "MLE-bench":
        assert table["release_date"].notna().all()
        assert table["release_date"].between("2023-01-01", "2026-12-31").all()


def test_every_table_has_provenance_and_quoted_figures_are_sourced():
    sources = benchmarks.load_sources()
    assert sorted(set(sources["table"])) == TABLES
    assert sources["sha256"].is_unique  # one row per upstream file (eci_snapshots.csv has two)
    assert sources["source_url"].str.startswith("https://").all()
    assert sources["licence"].str.len().gt(0).all() and sources["attribution"].str.len().gt(0).all()
    quoted = benchmarks.load_quoted()
    assert quoted["source_url"].str.startswith("https://").all()
    assert quoted.loc[("E2", "gpt_5_6_sol_p50_standard"), "value"] == pytest.approx(11.3 * 60)  # fact E2: 11.3 h


# ------------------------------------------------------------ ECI snapshots and PostTrainBench v1.2 (facts F13-F16)


def test_eci_snapshots_are_the_transcriptions_with_their_release_dates():
    table = benchmarks.load_eci_snapshots(keep_superseded=True)
    assert len(table) == 17 + 6  # MANIFEST: top 17 on 28 Aug, top 6 on 8 Sep
    assert table["transcribed"].all() and not table["superseded"].any()  # Epoch's own file is of 30 Jul
    sep = table[table["snapshot"] == "2026-09-08"].set_index("model")
    # fact F14: GPT-6 Astra 167 [163, 172]; Claude Fable 5.1 164 [161, 168]
    assert sep.loc["GPT-6 Astra", ["eci", "eci_low", "eci_high"]].tolist() == [167, 163, 172]
    assert sep.loc["Claude Fable 5.1", ["eci", "eci_low", "eci_high"]].tolist() == [164, 161, 168]
    # release dates: F13 for the new models, Epoch's 30 Jul file for the others (GPT-5.6 Sol: 2026-07-09)
    assert sep.loc["GPT-6 Astra", "release_date"] == pd.Timestamp("2026-09-03")
    assert sep.loc["GPT-6 Astra", "release_date_basis"].startswith("fact F13")
    assert sep.loc["Claude Fable 5.1", "release_date"] == pd.Timestamp("2026-09-01")
    assert sep.loc["GPT-5.6 Sol", "release_date"] == pd.Timestamp("2026-07-09")
    aug = table[table["snapshot"] == "2026-08-28"].set_index("model")
    assert aug.loc["GPT-5.6 Sol", "eci"] == 161  # F14: 161 on 28 Aug, 162 on 8 Sep
    assert pd.isna(aug.loc["Grok 4.6", "release_date"]) and "unknown" in aug.loc["Grok 4.6", "release_date_basis"]


def _with_epoch_file(tmp_path, as_of, extra_names):
    """A copy of data/benchmarks whose eci.csv is of ``as_of`` and also names ``extra_names``."""
    data = tmp_path / "data"
    shutil.copytree(benchmarks.BENCH_DATA, data)
    eci = pd.read_csv(data / "eci.csv", dtype=str, keep_default_na=False)
    added = [{**eci.iloc[0].to_dict(), "model": name.lower().replace(" ", "-"), "model_name": name,
              "display_name": name, "release_date": "2026-09-03", "eci": "168.1"} for name in extra_names]
    pd.concat([eci, pd.DataFrame(added)]).to_csv(data / "eci.csv", index=False)
    sources = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    sources.loc[sources["table"] == "eci.csv", "as_of"] = as_of
    sources.to_csv(data / "sources.csv", index=False)
    return data


def test_transcribed_rows_give_way_to_epochs_own_file(tmp_path):
    # Epoch's file of 15 Sep holds GPT-6 Astra: every transcribed row of a model it holds goes
    # (Astra, and Fable 5 / Opus 5 / GPT-5.5 Pro / GPT-5.6 Sol, which the 30 Jul file already named);
    # Claude Fable 5.1, which it does not hold, stays.
    data = _with_epoch_file(tmp_path, "2026-09-15", ["GPT-6 Astra"])
    kept = benchmarks.load_eci_snapshots(data)
    assert "GPT-6 Astra" not in set(kept["model"])
    assert set(kept["model"]) == {"Claude Fable 5.1", "Gemini 3.7 Flash", "Qwen 3.8 Max", "Grok 4.6"}
    every = benchmarks.load_eci_snapshots(data, keep_superseded=True)
    assert every.loc[every["model"] == "GPT-6 Astra", "superseded"].all() and len(every) == 23


def test_an_older_epoch_file_does_not_supersede_a_newer_transcription(tmp_path):
    # Epoch's file of 1 Sep: newer than the 28 Aug snapshot, older than the 8 Sep one.
    data = _with_epoch_file(tmp_path, "2026-09-01", ["GPT-6 Astra"])
    every = benchmarks.load_eci_snapshots(data, keep_superseded=True)
    superseded = every[every["superseded"]]
    assert set(superseded["snapshot"]) == {pd.Timestamp("2026-08-28")}
    assert not every.loc[every["model"] == "GPT-6 Astra", "superseded"].any()


def test_posttrainbench_v12_is_its_own_series():
    v12 = benchmarks.load_posttrainbench_v12().set_index("agent")
    assert len(v12) == 29  # MANIFEST: 29 agents
    # fact F16: Fable 5.1 44.7%, Opus 5.5 43.7%, GPT-6 Astra 42.0% (one decimal of a percent)
    top = (100 * v12["score"]).round(1).sort_values(ascending=False)
    assert top.iloc[:3].to_dict() == {"Fable 5.1 (Max)": 44.7, "Opus-5.5 (Max)": 43.7, "GPT-6-Astra": 42.0}
    assert set(v12["benchmark"]) == {"PostTrainBench v1.2"}
    assert "PostTrainBench v1.2" not in benchmarks.LOADERS  # never one series with v1.1
    assert "fallback" in v12.loc["Fable 5.1 (Max)", "note"]


@needs_shared
@pytest.mark.parametrize("cell, message", [
    ("eci", "not a whole number"),
    ("ci_high", "not ci_low <= eci <= ci_high"),
    ("model", "formula"),
])
def test_bad_snapshot_rows_are_refused(upstream, cell, message):
    source, data = upstream
    name = "epoch/eci_snapshots/airo_epoch_capabilities_index_2026-09-08.csv"
    bad = {"eci": "167.5", "ci_high": "150", "model": "=HYPERLINK(1)"}[cell]
    _edit_csv(source / name, lambda f: f.assign(**{cell: [bad] + f[cell].tolist()[1:]}))
    sources = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    sources.loc[sources["upstream_path"] == name, "sha256"] = metr.sha256_of(source / name)
    sources.to_csv(data / "sources.csv", index=False)
    assert message in _import_error(source, data)
