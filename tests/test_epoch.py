"""The Epoch training-compute importer: one test per kind of bad input, atomic writes, and the data contract."""

import shutil

import numpy as np
import pandas as pd
import pytest

from analysis import epoch, importers, metr, paths

HEADER = "Model,Organization,Publication date,Training compute (FLOP),Confidence,Frontier model\n"


@pytest.fixture
def upstream(tmp_path):
    """A tiny upstream folder (two model tables, Epoch's METR table) and a data dir whose sources.csv
    records their sha256. ``write(name, text)`` replaces a file and keeps the recorded hash in step
    unless ``rehash=False``."""
    shared = tmp_path / "shared"
    data = tmp_path / "data"
    (shared / "epoch" / "ai_models").mkdir(parents=True)
    data.mkdir()
    files = {
        "notable_ai_models": (
            "epoch/ai_models/notable_ai_models.csv",
            HEADER + "Big,LabA,2024-01-10,1e25,Likely,True\nSmall,LabB,2023-05-01,2e23,Confident,\n"
            "Undated,LabC,,,Unknown,\n",
        ),
        "large_scale_ai_models": (
            "epoch/ai_models/large_scale_ai_models.csv",
            "Model,Organization,Publication date,Training compute (FLOP),Confidence\n"
            "Big,LabA,2024-01-10,1e25,Likely\nTwice,LabD,2025-02-01,,Likely\nTwice,LabD,2025-02-01,,Likely\n",
        ),
        "metr_time_horizons_external": (
            "epoch/metr_time_horizons_external.csv",
            "Model version,Training compute (FLOP),id\nbig-v1,1e25,rec1\nsmall-v1,,rec2\n",
        ),
    }

    def write(source_id, text, rehash=True):
        relative = files[source_id][0]
        (shared / relative).write_text(text, encoding="utf-8")
        if rehash:
            rows = []
            for sid, (rel, _) in files.items():
                rows.append({"source_id": sid, "upstream_path": rel, "source_url": "https://example.org/x",
                             "as_of": "2026-07-17", "sha256": metr.sha256_of(shared / rel), "license": "CC-BY 4.0",
                             "attribution": "Epoch AI", "mirror": ""})
            pd.DataFrame(rows).to_csv(data / "sources.csv", index=False)

    for source_id, (_, text) in files.items():
        (shared / files[source_id][0]).write_text(text, encoding="utf-8")
    write("notable_ai_models", files["notable_ai_models"][1])
    (data / "metr_crosswalk.csv").write_text(
        "benchmark,metr_model,epoch_version,epoch_model,note\n1.1,big,big-v1,Big,\n1.1,small,small-v1,Small,\n",
        encoding="utf-8",
    )
    return shared, data, write


def run_import(upstream):
    shared, data, _ = upstream
    return epoch.import_compute(shared=shared, data_dir=data)


def test_import_applies_the_dedup_rule_and_drops_undated_rows(upstream):
    run_import(upstream)
    table = epoch.load_training_compute(upstream[1] / "training_compute.csv")
    # Big is in both files (notable row kept), Twice is listed twice identically, Undated has no date.
    assert table["model"].tolist() == ["Small", "Big", "Twice"]
    big = table.set_index("model").loc["Big"]
    assert big["source_file"] == "notable_ai_models.csv" and big["epoch_frontier"] == "True"
    assert table.set_index("model").loc["Twice", "epoch_frontier"] == ""  # the large-scale file has no flag
    assert np.isnan(table.set_index("model").loc["Twice", "training_compute_flop"])
    joined = epoch.load_metr_compute(upstream[1] / "metr_compute.csv")
    assert joined.set_index("metr_model").loc["big", "training_compute_flop"] == 1e25
    assert joined.set_index("metr_model").loc["big", "confidence"] == "Likely"


@pytest.mark.parametrize(
    "row, message",
    [
        ("Bad,LabA,2024-01-10,lots,Likely,\n", "Training compute (FLOP): not a number"),
        ("Bad,LabA,2024-01-10,-3e24,Likely,\n", "Training compute (FLOP): must be > 0"),
        ("Bad,LabA,2024-01-10,inf,Likely,\n", "Training compute (FLOP): not finite"),
        ("Bad,LabA,10/01/2024,1e24,Likely,\n", "Publication date: not a date"),
        ("Bad,LabA,2024-13-40,1e24,Likely,\n", "Publication date: not a date"),
        ("Bad,LabA,2024-01-10,1e24,Pretty sure,\n", "Confidence: unknown label 'Pretty sure'"),
        ("Small,LabB,2023-05-01,9e23,Confident,\n", "Model: duplicate model with different values"),
    ],
)
def test_bad_row_names_file_row_and_column_and_writes_nothing(upstream, row, message):
    shared, data, write = upstream
    write("notable_ai_models", HEADER + "Big,LabA,2024-01-10,1e25,Likely,True\nSmall,LabB,2023-05-01,2e23,Confident,\n" + row)
    with pytest.raises(ValueError) as caught:
        run_import(upstream)
    text = str(caught.value)
    assert text.startswith(f"{shared / 'epoch/ai_models/notable_ai_models.csv'}: row 3 (")
    assert message in text
    assert not (data / "training_compute.csv").exists()


def test_duplicate_across_files_with_different_values_is_refused(upstream):
    _, _, write = upstream
    write("large_scale_ai_models", "Model,Organization,Publication date,Training compute (FLOP),Confidence\n"
          "Big,LabA,2024-01-10,3e25,Likely\n")
    with pytest.raises(ValueError, match=r"large_scale_ai_models.csv: row 1 \(Big\): Model: duplicate model"):
        run_import(upstream)


def test_missing_column_is_named(upstream):
    _, _, write = upstream
    write("notable_ai_models", "Model,Organization,Publication date,Confidence\nBig,LabA,2024-01-10,Likely\n")
    with pytest.raises(ValueError, match=r"notable_ai_models.csv: -: Training compute \(FLOP\): missing column"):
        run_import(upstream)


def test_missing_file_is_named(upstream):
    shared, _, _ = upstream
    (shared / "epoch/metr_time_horizons_external.csv").unlink()
    with pytest.raises(ValueError, match=r"metr_time_horizons_external.csv: -: -: missing file"):
        run_import(upstream)


def test_sha256_mismatch_is_refused(upstream):
    _, data, write = upstream
    write("notable_ai_models", HEADER + "Big,LabA,2024-01-10,1e25,Likely,True\n", rehash=False)
    with pytest.raises(ValueError, match=r"notable_ai_models.csv: -: -: sha256 mismatch"):
        run_import(upstream)
    assert not (data / "metr_compute.csv").exists()


def test_crosswalk_to_an_unknown_model_is_refused(upstream):
    _, data, _ = upstream
    (data / "metr_crosswalk.csv").write_text(
        "benchmark,metr_model,epoch_version,epoch_model,note\n1.1,big,big-v2,Big,\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"metr_crosswalk.csv: row 1 \(big\): epoch_version: 'big-v2'"):
        run_import(upstream)


def test_failed_import_keeps_the_old_tables(upstream):
    _, data, write = upstream
    run_import(upstream)
    before = (data / "training_compute.csv").read_bytes()
    write("notable_ai_models", HEADER + "Bad,LabA,2024-01-10,-1,Likely,\n")
    with pytest.raises(ValueError):
        run_import(upstream)
    assert (data / "training_compute.csv").read_bytes() == before


def test_cli_prints_one_line_and_exits_1(upstream, capsys):
    shared, data, write = upstream
    write("notable_ai_models", HEADER + "Bad,LabA,2024-01-10,lots,Likely,\n")
    assert importers.epoch_main(["import", "--from", str(shared), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err


# ------------------------------------------------------------------ the committed tables


def test_committed_tables_are_exactly_what_import_produces(tmp_path):
    if not (epoch.SHARED_DATA / "epoch").is_dir():
        pytest.skip("upstream Epoch files not present beside the repository")
    data = tmp_path / "compute"
    data.mkdir()
    for name in ("sources.csv", "metr_crosswalk.csv"):
        shutil.copy(epoch.COMPUTE_DATA / name, data / name)
    epoch.import_compute(data_dir=data)
    for name in ("training_compute.csv", "metr_compute.csv"):
        assert (data / name).read_bytes() == (epoch.COMPUTE_DATA / name).read_bytes(), name


def test_committed_training_compute_contract():
    table = epoch.load_training_compute()
    assert table["model"].is_unique
    assert set(table["confidence"]) <= set(epoch.CONFIDENCE_LABELS)
    assert (table["training_compute_flop"].dropna() > 0).all()
    assert set(table["epoch_frontier"]) <= {"True", "False", ""}
    # The MANIFEST's landmarks: Grok 4 is the largest at 5e26 FLOP; Gemini 3.1 Pro appears once.
    assert table.loc[table["training_compute_flop"].idxmax(), "model"] == "Grok 4"
    assert (table["model"] == "Gemini 3.1 Pro").sum() == 1
    sources = epoch.load_sources()
    assert set(sources["license"]) == {"CC-BY 4.0"} and sources["source_url"].str.startswith("https://").all()


def test_committed_metr_compute_covers_current_metr_models():
    joined = epoch.load_metr_compute()
    current = metr.load_horizons("1.1")
    keys = set(joined.loc[joined["benchmark"] == "1.1", "metr_model"])
    assert keys == set(current["model"])
    assert paths.DATA in (epoch.COMPUTE_DATA.parents)
