"""The curated crosswalks of the benchmarks chapter's September 2026 update: bad rows are refused
with the file, row and column named."""

import shutil

import pytest

from analysis import benchmarks, paths


def _copy(tmp_path, name, edit):
    folder = tmp_path / "benchmarks"
    shutil.copytree(paths.DATA / "benchmarks", folder)
    path = folder / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_new_models_table_on_the_committed_data():
    table = benchmarks.load_new_models()
    assert table["model"].is_unique and (table["fact_id"] == "F13").all()
    assert table["release_date"].between("2026-09-01", "2026-09-30").all()
    # every later-source key names a row that exists
    snapshots = set(benchmarks.load_eci_snapshots()["model_name"])
    agents = set(benchmarks.load_posttrainbench_v12()["agent"])
    rsi = set(benchmarks.load_quoted().loc["F17"].index)
    assert set(table["eci_snapshot_model"]) - {""} <= snapshots
    assert set(table["posttrainbench_v12_agent"]) - {""} <= agents
    assert set(table["vals_rsi_quantity"]) - {""} <= rsi


def test_a_bad_release_date_is_refused(tmp_path):
    folder = _copy(tmp_path, "new_models.csv", lambda text: text.replace("2026-09-03", "3 Sep 2026"))
    with pytest.raises(ValueError, match=r"new_models.csv: row 5: GPT-6 Astra: release_date: not a date"):
        benchmarks.load_new_models(folder)


def test_a_row_without_its_fact_is_refused(tmp_path):
    folder = _copy(tmp_path, "new_models.csv", lambda text: text.replace(",F13,", ",,", 1))
    with pytest.raises(ValueError, match=r"new_models.csv: row 2: Claude Fable 5.1: fact_id"):
        benchmarks.load_new_models(folder)


def test_posttrainbench_versions_pair_each_model_once(tmp_path):
    pairs = benchmarks.load_posttrainbench_versions()
    v11 = set(benchmarks.load_posttrainbench()["model"])
    v12 = set(benchmarks.load_posttrainbench_v12()["agent"])
    assert set(pairs["v11_model"]) <= v11 and set(pairs["v12_agent"]) <= v12
    folder = _copy(tmp_path, "posttrainbench_versions.csv", lambda text: text + "Opus-4.6 (again),claude-opus-4-6_unknown,dup\n")
    with pytest.raises(ValueError, match="posttrainbench_versions.csv"):
        benchmarks.load_posttrainbench_versions(folder)
