"""The catalogue of data tables the site serves: path, size, rows, columns and sha256."""

from __future__ import annotations

import html

import pandas as pd

from analysis import metr, paths, staging


def catalogue() -> pd.DataFrame:
    rows = []
    staging.settle_tree(paths.DATA)  # an interrupted import: finish it before listing
    for path in sorted(paths.DATA.rglob("*.csv")):
        if any(part.startswith(".") for part in path.relative_to(paths.DATA).parts):
            continue  # an import's staging folder or journal (analysis.staging), never published
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows.append({
            "file": path.relative_to(paths.DATA).as_posix(),
            "rows": len(frame),
            "columns": ", ".join(frame.columns),
            "kilobytes": path.stat().st_size / 1024,
            "sha256": metr.sha256_of(path),
        })
    return pd.DataFrame(rows)


def catalogue_html(table: pd.DataFrame, *, link_prefix: str) -> str:
    lines = ["<table><thead><tr><th>File</th><th>Rows</th><th>Size</th><th>sha256</th><th>Columns</th></tr></thead><tbody>"]
    for row in table.itertuples():
        lines.append(
            f'<tr><td><a href="{link_prefix}{html.escape(row.file)}" download>{html.escape(row.file)}</a></td>'
            f"<td>{row.rows:,}</td><td>{row.kilobytes:,.1f} KB</td><td><code>{row.sha256[:16]}…</code></td>"
            f"<td>{html.escape(row.columns)}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "".join(lines)
