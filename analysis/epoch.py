"""Epoch AI's training-compute data: read the upstream CSVs, validate, write and load tidy tables.

I/O and validation only; no statistics (those are in ``analysis.compute``). Every error names the
file, the row (model) and the column: ``<file>: <row>: <column>: <what>``.

Inputs (read-only, beside the repository, see ``../shared/data/MANIFEST.md``):

* ``epoch/ai_models/notable_ai_models.csv`` and ``epoch/ai_models/large_scale_ai_models.csv``:
  Epoch AI, "Data on AI Models" (https://epoch.ai/data/ai-models), zip of 2026-07-17, CC-BY 4.0.
* ``epoch/metr_time_horizons_external.csv``: Epoch AI's table of METR horizons, whose training-compute
  column gives compute for some of METR's models (https://epoch.ai/benchmarks, 2026-07-31, CC-BY 4.0).

Each upstream file's sha256 must equal the one recorded in ``data/compute/sources.csv``.

Command line::

    python -m analysis.epoch import [--from FOLDER] [--data-dir DIR]

validates everything, then writes ``data/compute/training_compute.csv`` and
``data/compute/metr_compute.csv`` atomically (``importing.write_tables``); on any error it prints
one line ``error: ...`` and writes nothing. Each upstream file is read once: its sha256 and its parse
come from the same bytes.

    python -m analysis.epoch refresh --from ZIP_OR_FOLDER [--as-of DATE] [--allow-removals]

re-imports them from a newer ``ai_models.zip`` (URL or path) or folder and prints what changed
(``analysis.refresh``; the command lines are in ``analysis.importers``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis import importing, paths, staging

SHARED_DATA = paths.ROOT.parent / "shared" / "data"  # upstream folder; upstream paths are relative to it
COMPUTE_DATA = paths.DATA / "compute"

SOURCE_COLUMNS = ["source_id", "upstream_path", "source_url", "as_of", "sha256", "license", "attribution", "mirror"]
# The two model tables, in order of preference when a model appears in both (notable carries Epoch's
# frontier flag; the files agree on every imported column for the models they share).
MODEL_SOURCES = ("notable_ai_models", "large_scale_ai_models")
METR_SOURCE = "metr_time_horizons_external"

UPSTREAM_COLUMNS = {
    "model": "Model",
    "organization": "Organization",
    "publication_date": "Publication date",
    "training_compute_flop": "Training compute (FLOP)",
    "confidence": "Confidence",
}
FRONTIER_COLUMN = "Frontier model"  # only in notable_ai_models.csv
CONFIDENCE_LABELS = ("Confident", "Likely", "Speculative", "Unverified", "Unknown", "")  # "" = not given
COMPUTE_COLUMNS = [
    "model", "organization", "publication_date", "training_compute_flop", "confidence",
    "epoch_frontier", "source_file", "source_row",
]
# The fields that identify a model's record: duplicates equal on all of them collapse to one row.
_RECORD_FIELDS = ["model", "organization", "publication_date", "training_compute_flop", "confidence"]

METR_UPSTREAM_COLUMNS = {"epoch_version": "Model version", "training_compute_flop": "Training compute (FLOP)", "epoch_id": "id"}
CROSSWALK_COLUMNS = ["benchmark", "metr_model", "epoch_version", "epoch_model", "note"]
METR_COMPUTE_COLUMNS = [
    "benchmark", "metr_model", "epoch_version", "epoch_model", "training_compute_flop", "confidence",
    "source_file", "source_row",
]


# ------------------------------------------------------------------ provenance


def load_sources(path: Path | None = None) -> pd.DataFrame:
    """The curated provenance table: one row per upstream file, with its sha256."""
    path = paths.note_read(path or COMPUTE_DATA / "sources.csv")
    sources = _read_csv(path)
    _require_columns(sources, path, SOURCE_COLUMNS)
    for row, record in sources.iterrows():
        for column in SOURCE_COLUMNS[:-1]:
            if not record[column].strip():
                raise ValueError(f"{path}: row {row + 2} ({record['source_id']}): {column}: is empty")
        if not record["source_url"].startswith("https://"):
            raise ValueError(f"{path}: row {row + 2} ({record['source_id']}): source_url: not an https URL")
    if sources["source_id"].duplicated().any():
        duplicate = sources.loc[sources["source_id"].duplicated(), "source_id"].iloc[0]
        raise ValueError(f"{path}: {duplicate}: source_id: duplicated")
    return sources


def upstream_file(sources: pd.DataFrame, source_id: str, shared: Path | None = None) -> importing.Upstream:
    """The upstream file of ``source_id``, read once, after checking that its sha256 is the recorded
    one: the parse reads these same bytes (``importing.Upstream``), never the file again."""
    record = sources.set_index("source_id").loc[source_id]
    path = Path(shared or SHARED_DATA) / record["upstream_path"]
    if not path.exists():
        raise ValueError(f"{path}: -: -: missing file (expected upstream {record['upstream_path']})")
    try:
        upstream = importing.read_upstream(path)
    except ValueError as err:
        raise ValueError(f"{path}: -: -: {str(err).removeprefix(f'{path}: ')}") from None
    if upstream.sha256 != record["sha256"]:
        raise ValueError(
            f"{path}: -: -: sha256 mismatch: file has {upstream.sha256}, data/compute/sources.csv records "
            f"{record['sha256']}"
        )
    return upstream


def sources_text(sources: pd.DataFrame) -> str:
    return sources.to_csv(index=False, lineterminator="\n")


# ------------------------------------------------------------------ reading and validating upstream files


def _read_csv(path) -> pd.DataFrame:
    if isinstance(path, importing.Upstream):
        return path.csv()
    staging.settle(Path(path).parent)  # a committed table: an interrupted import is completed first
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ValueError(f"{path}: -: -: cannot read CSV ({err})") from err


def _require_columns(frame: pd.DataFrame, path: Path, columns) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: -: {missing[0]}: missing column" + (f" (also {missing[1:]})" if missing[1:] else ""))


def _where(path: Path, row: int, model: str) -> str:
    """Error prefix: file, data-record number (1 = first row after the header) and model name."""
    return f"{path}: row {row} ({model})"


def parse_compute(where: str, column: str, text: str) -> float:
    """A training-compute cell: blank is unknown (NaN); anything else must be a finite number > 0."""
    text = text.strip()
    if not text:
        return math.nan
    if not text.isascii():
        raise ValueError(f"{where}: {column}: not a number (ASCII digits only): {importing.show(text)}")
    try:
        value = float(text)
    except ValueError as err:
        raise ValueError(f"{where}: {column}: not a number: {text!r}") from err
    if not math.isfinite(value):
        raise ValueError(f"{where}: {column}: not finite: {text!r}")
    if value <= 0:
        raise ValueError(f"{where}: {column}: must be > 0 FLOP, got {text!r}")
    return value


def parse_date(where: str, column: str, text: str) -> pd.Timestamp | None:
    """An ISO date (YYYY-MM-DD); blank gives None."""
    text = text.strip()
    if not text:
        return None
    try:
        stamp = pd.Timestamp(text) if importing.ISO_DATE.fullmatch(text) else None
    except ValueError:
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise ValueError(f"{where}: {column}: not a date (YYYY-MM-DD): {text!r}")
    problem = importing.future_problem(stamp.date())  # upstream dates: never after the day of the import
    if problem:
        raise ValueError(f"{where}: {column}: {problem}")
    return stamp


def read_models(path: Path | str, source_file: str | None = None) -> pd.DataFrame:
    """One Epoch "Data on AI Models" CSV -> validated rows (blank-date rows left out).

    Rows without a publication date carry no place in time; the five in the 2026-07-17 notable file
    also have no compute. They are dropped here (the count is in ``data/README.md``).
    """
    path = importing.read_upstream(path)
    raw = _read_csv(path)
    _require_columns(raw, path, UPSTREAM_COLUMNS.values())
    has_flag = FRONTIER_COLUMN in raw.columns
    rows = []
    for index, record in raw.iterrows():
        row_number = index + 1
        model = " ".join(record[UPSTREAM_COLUMNS["model"]].split())  # upstream names hold stray newlines
        where = _where(path, row_number, model or "?")
        if not model:
            raise ValueError(f"{where}: {UPSTREAM_COLUMNS['model']}: is empty")
        date = parse_date(where, UPSTREAM_COLUMNS["publication_date"], record[UPSTREAM_COLUMNS["publication_date"]])
        compute = parse_compute(where, UPSTREAM_COLUMNS["training_compute_flop"], record[UPSTREAM_COLUMNS["training_compute_flop"]])
        confidence = record[UPSTREAM_COLUMNS["confidence"]].strip()
        if confidence not in CONFIDENCE_LABELS:
            raise ValueError(
                f"{where}: {UPSTREAM_COLUMNS['confidence']}: unknown label {confidence!r} "
                f"(known: {', '.join(label for label in CONFIDENCE_LABELS if label)} or blank)"
            )
        flag = ""
        if has_flag:
            flag_text = record[FRONTIER_COLUMN].strip()
            if flag_text not in ("True", ""):
                raise ValueError(f"{where}: {FRONTIER_COLUMN}: expected True or blank, got {flag_text!r}")
            flag = "True" if flag_text == "True" else "False"
        if date is None:
            continue
        rows.append({
            "model": model,
            "organization": " ".join(record[UPSTREAM_COLUMNS["organization"]].split()),
            "publication_date": date,
            "training_compute_flop": compute,
            "confidence": confidence,
            "epoch_frontier": flag,
            "source_file": source_file or path.name,
            "source_row": row_number,
        })
    return pd.DataFrame(rows, columns=COMPUTE_COLUMNS)


def _same_record(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Row-wise equality on the identifying fields (NaN compute equals NaN)."""
    equal = pd.Series(True, index=a.index)
    for column in _RECORD_FIELDS:
        left, right = a[column].to_numpy(), b[column].to_numpy()
        if column == "training_compute_flop":
            same = (left == right) | (pd.isna(left) & pd.isna(right))
        else:
            same = left == right
        equal &= same
    return equal


def combine_models(tables: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    """The dedup rule, then one row per model.

    1. Within a file, rows of the same model that agree on model, organization, publication date,
       compute and confidence are one record (``large_scale_ai_models.csv`` lists "Gemini 3.1 Pro"
       twice, differing only in columns not imported); the first is kept.
    2. A model in several files keeps the row of the first file in ``tables`` (notable first); the
       files must agree on those fields.
    Anything still duplicated is an error naming the file, row and model.
    """
    kept: list[pd.DataFrame] = []
    for path, table in tables:
        first = table.drop_duplicates(subset=_RECORD_FIELDS, keep="first")
        clash = first["model"].duplicated(keep="first")
        if clash.any():
            row = first.loc[clash].iloc[0]
            raise ValueError(
                f"{_where(path, row['source_row'], row['model'])}: Model: duplicate model with different values"
            )
        kept.append((path, first))
    combined = kept[0][1]
    for path, table in kept[1:]:
        shared = table[table["model"].isin(combined["model"])]
        if len(shared):
            earlier = combined.set_index("model").loc[shared["model"]].reset_index()
            agree = _same_record(shared.reset_index(drop=True), earlier)
            if not agree.all():
                row = shared.reset_index(drop=True).loc[~agree].iloc[0]
                raise ValueError(
                    f"{_where(path, row['source_row'], row['model'])}: Model: duplicate model "
                    f"whose values differ from {earlier.loc[~agree, 'source_file'].iloc[0]}"
                )
        combined = pd.concat([combined, table[~table["model"].isin(combined["model"])]], ignore_index=True)
    return combined.sort_values(["publication_date", "model"], kind="stable").reset_index(drop=True)


def read_metr_compute(path: Path | str, source_file: str | None = None) -> pd.DataFrame:
    """Epoch's METR table -> epoch_version, training_compute_flop, epoch_id (validated)."""
    path = importing.read_upstream(path)
    raw = _read_csv(path)
    _require_columns(raw, path, METR_UPSTREAM_COLUMNS.values())
    rows = []
    for index, record in raw.iterrows():
        version = record[METR_UPSTREAM_COLUMNS["epoch_version"]].strip()
        where = _where(path, index + 1, version or "?")
        if not version:
            raise ValueError(f"{where}: Model version: is empty")
        compute = parse_compute(where, METR_UPSTREAM_COLUMNS["training_compute_flop"],
                                record[METR_UPSTREAM_COLUMNS["training_compute_flop"]])
        rows.append({"epoch_version": version, "training_compute_flop": compute,
                     "source_file": source_file or path.name, "source_row": record["id"].strip()})
    table = pd.DataFrame(rows)
    duplicated = table["epoch_version"].duplicated()
    if duplicated.any():
        version = table.loc[duplicated, "epoch_version"].iloc[0]
        raise ValueError(f"{path}: {version}: Model version: duplicated")
    return table


def load_crosswalk(path: Path | None = None) -> pd.DataFrame:
    """METR model keys -> Epoch's METR-table ids and "Data on AI Models" names (curated by hand)."""
    path = paths.note_read(path or COMPUTE_DATA / "metr_crosswalk.csv")
    crosswalk = _read_csv(path)
    _require_columns(crosswalk, path, CROSSWALK_COLUMNS)
    for index, record in crosswalk.iterrows():
        where = _where(path, index + 1, record["metr_model"])
        for column in ("benchmark", "metr_model", "epoch_version"):
            if not record[column].strip():
                raise ValueError(f"{where}: {column}: is empty")
        if record["benchmark"] not in ("1.0", "1.1"):
            raise ValueError(f"{where}: benchmark: unknown METR suite {record['benchmark']!r}")
    duplicated = crosswalk.duplicated(["benchmark", "metr_model"])
    if duplicated.any():
        record = crosswalk.loc[duplicated].iloc[0]
        raise ValueError(f"{path}: {record['metr_model']}: metr_model: duplicated within suite {record['benchmark']}")
    return crosswalk


def join_metr_compute(crosswalk: pd.DataFrame, metr_table: pd.DataFrame, models: pd.DataFrame,
                      *, crosswalk_path: Path) -> pd.DataFrame:
    """Each crosswalk row with the compute Epoch's METR table gives and the confidence of the model record.

    Checks that every id exists and that the METR table's compute equals the model record's.
    """
    by_version = metr_table.set_index("epoch_version")
    by_model = models.set_index("model")
    rows = []
    for index, record in crosswalk.iterrows():
        where = _where(crosswalk_path, index + 1, record["metr_model"])
        if record["epoch_version"] not in by_version.index:
            raise ValueError(f"{where}: epoch_version: {record['epoch_version']!r} is not in Epoch's METR table")
        upstream = by_version.loc[record["epoch_version"]]
        confidence = ""
        if record["epoch_model"]:
            if record["epoch_model"] not in by_model.index:
                raise ValueError(f"{where}: epoch_model: {record['epoch_model']!r} is not in Epoch's model tables")
            model = by_model.loc[record["epoch_model"]]
            confidence = model["confidence"]
            a, b = upstream["training_compute_flop"], model["training_compute_flop"]
            if not ((pd.isna(a) and pd.isna(b)) or pd.isna(a) or a == b):
                raise ValueError(
                    f"{where}: training_compute_flop: Epoch's METR table gives {a:g}, its model table {b:g}"
                )
        rows.append({
            "benchmark": record["benchmark"], "metr_model": record["metr_model"],
            "epoch_version": record["epoch_version"], "epoch_model": record["epoch_model"],
            "training_compute_flop": upstream["training_compute_flop"], "confidence": confidence,
            "source_file": upstream["source_file"], "source_row": upstream["source_row"],
        })
    return pd.DataFrame(rows, columns=METR_COMPUTE_COLUMNS)


# ------------------------------------------------------------------ writing and loading


def _compute_text(value: float) -> str:
    return "" if pd.isna(value) else repr(float(value))


def training_compute_csv(table: pd.DataFrame) -> str:
    out = table.copy()
    out["publication_date"] = out["publication_date"].dt.strftime("%Y-%m-%d")
    out["training_compute_flop"] = out["training_compute_flop"].map(_compute_text)
    return out.to_csv(index=False, lineterminator="\n")


def metr_compute_csv(table: pd.DataFrame) -> str:
    out = table.copy()
    out["training_compute_flop"] = out["training_compute_flop"].map(_compute_text)
    return out.to_csv(index=False, lineterminator="\n")


def prepare_import(*, shared: Path | None = None, data_dir: Path | None = None,
                   upstreams: dict[str, importing.Upstream] | None = None) -> dict[Path, str]:
    """Validate every input and return {path: text} for the two tables; raises ValueError on bad input.

    ``upstreams`` (source id -> file already read, e.g. by a refresh) replaces the recorded files,
    whose sha256 is then not checked against sources.csv."""
    data_dir = Path(data_dir or COMPUTE_DATA)
    sources = load_sources(data_dir / "sources.csv")

    def upstream_of(source_id):
        return upstreams[source_id] if upstreams else upstream_file(sources, source_id, shared)

    tables = []
    for source_id in MODEL_SOURCES:
        path = upstream_of(source_id)
        tables.append((path, read_models(path, source_file=Path(sources.set_index("source_id")
                                                                   .loc[source_id, "upstream_path"]).name)))
    models = combine_models(tables)
    metr_path = upstream_of(METR_SOURCE)
    metr_table = read_metr_compute(metr_path, source_file=Path(sources.set_index("source_id")
                                                               .loc[METR_SOURCE, "upstream_path"]).name)
    crosswalk_path = data_dir / "metr_crosswalk.csv"
    joined = join_metr_compute(load_crosswalk(crosswalk_path), metr_table, models, crosswalk_path=crosswalk_path)
    return {
        data_dir / "training_compute.csv": training_compute_csv(models),
        data_dir / "metr_compute.csv": metr_compute_csv(joined),
    }


def import_compute(*, shared: Path | None = None, data_dir: Path | None = None) -> list[Path]:
    """Validate, then write both tables atomically; on error nothing is written."""
    targets = prepare_import(shared=shared, data_dir=data_dir)
    importing.write_tables(targets)
    return list(targets)


def read_training_compute_text(text: str, name: str = "training_compute.csv") -> pd.DataFrame:
    """A training-compute table about to be written, typed as ``load_training_compute`` types it."""
    return _typed_training_compute(importing.Upstream(name, text.encode("utf-8")).csv(), name)


def load_training_compute(path: Path | None = None) -> pd.DataFrame:
    """The committed model table: dates parsed, compute as float (NaN where Epoch gives none)."""
    path = paths.note_read(path or COMPUTE_DATA / "training_compute.csv")
    return _typed_training_compute(_read_csv(path), path)


def _typed_training_compute(frame: pd.DataFrame, path) -> pd.DataFrame:
    _require_columns(frame, path, COMPUTE_COLUMNS)
    frame["publication_date"] = pd.to_datetime(frame["publication_date"], format="%Y-%m-%d")
    frame["training_compute_flop"] = pd.to_numeric(frame["training_compute_flop"].replace("", None)).astype(float)
    frame["source_row"] = frame["source_row"].astype(int)
    if frame["model"].duplicated().any():
        raise ValueError(f"{path}: {frame.loc[frame['model'].duplicated(), 'model'].iloc[0]}: model: duplicated")
    return frame


def load_metr_compute(path: Path | None = None) -> pd.DataFrame:
    """The committed METR-key -> training-compute table."""
    path = paths.note_read(path or COMPUTE_DATA / "metr_compute.csv")
    frame = _read_csv(path)
    _require_columns(frame, path, METR_COMPUTE_COLUMNS)
    frame["training_compute_flop"] = pd.to_numeric(frame["training_compute_flop"].replace("", None)).astype(float)
    return frame


if __name__ == "__main__":  # the command line lives above this module, in analysis.importers
    import sys

    from analysis import importers

    sys.exit(importers.epoch_main())
