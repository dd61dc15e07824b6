"""The site: its own vega bundle, page safety (inline JSON, spreadsheet cells), the stderr build guard."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from analysis import charts, datafiles, paths
from analysis.charts import render
from analysis.site import citation, website


def test_bundle_version_matches_altair_schema():
    assert alt.SCHEMA_VERSION.startswith(website.vega_lite_version())


def test_bundle_contains_libraries_and_the_drawing_snippet():
    source = website.bundle_source()
    assert "div.vega-chart" in source and "application/vnd.vegalite+json" in source
    assert len(source) > 500_000  # vega + vega-lite + vega-embed, not a stub
    assert "cdn.jsdelivr" not in source and "unpkg.com" not in source


# ------------------------------------------------------------ page safety (issue 13, category 7)

HOSTILE = ["<!--<script>", "</script><script>alert(1)</script>", "a & b > c", "<\\/script>"]


@pytest.mark.parametrize("name", HOSTILE)
def test_inline_chart_json_cannot_end_or_bend_its_script(name):
    spec = {"data": {"values": [{"model": name}]}, "description": "d", "mark": "point"}
    page = website.escape_inline_scripts(render._offline_html(spec))  # what the site writes for each chart
    body = re.fullmatch(r'<div[^>]*><script type="application/vnd\.vegalite\+json">(.*)</script></div>', page, re.S)[1]
    assert not set(body) & {"<", ">", "&"}  # nothing for the HTML parser to see
    assert json.loads(body)["data"]["values"][0]["model"] == name  # the same data, unescaped by JSON.parse


def test_inline_json_escapes_every_special_character():
    assert website.inline_json({"k": "<&>"}) == '{"k":"\\u003c\\u0026\\u003e"}'
    # an altair spec embedded as a whole page: the site escapes every JSON script, not only charts'
    text = '<p>x</p><script type="application/ld+json">{"a": "<b>&"}</script>'
    assert website.escape_inline_scripts(text) == '<p>x</p><script type="application/ld+json">{"a": "\\u003cb\\u003e\\u0026"}</script>'


def test_figure_csv_cells_cannot_run_as_formulas():
    frame = pd.DataFrame({"model": ["=HYPERLINK(\"http://x\")", "+A1", "-cmd", "@SUM(A1)", "GPT-4", "-3.5", "-5%", "-2+cmd|' /C calc'!A0"],
                          "value": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})
    safe = website.spreadsheet_safe(frame)
    assert safe["model"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+A1", "'-cmd", "'@SUM(A1)", "GPT-4", "-3.5", "-5%",
                                     "'-2+cmd|' /C calc'!A0"]
    assert safe["value"].tolist() == frame["value"].tolist()  # numbers, negative ones included, untouched


def test_committed_data_has_no_formula_cells():
    for path in sorted(paths.DATA.rglob("*.csv")):
        assert website.formula_cells(path) == [], path


def test_data_catalogue_skips_staging(tmp_path, monkeypatch):
    (tmp_path / "metr").mkdir()
    (tmp_path / "metr" / "a.csv").write_text("x\n1\n")
    (tmp_path / "metr" / ".staging-x").mkdir()
    (tmp_path / "metr" / ".staging-x" / "b.csv").write_text("x\n1\n")
    monkeypatch.setattr(paths, "DATA", tmp_path)
    assert datafiles.catalogue()["file"].tolist() == ["metr/a.csv"]


# ------------------------------------------------------------ the build guard (issue 13, category 8)

NOTEBOOK_PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---

# {title}

```{{code-cell}} ipython3
:tags: [{tag}]
import sys
print("{stream} from a {tag} cell", file=sys.{stream})
```
{extra}"""

CHART_CELL = """
```{code-cell} ipython3
import altair as alt
import pandas as pd
from analysis import charts
alt.Chart(pd.DataFrame({"model": ["<!--<script>", "a & b"], "x": [1, 2]})).mark_point().encode(x="x", y="model")
```
"""


def test_stderr_from_any_cell_fails_the_build(tmp_path):
    """A tiny book with the site's extension: stderr in a remove-cell fails the -W build, naming page
    and cell; stdout and a clean page pass."""
    (tmp_path / "_config.yml").write_text(
        "title: t\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: force\n  stderr_output: error\n"
        "sphinx:\n  extra_extensions: [analysis.site.website]\n"
    )
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: quiet\n- file: noisy\n")
    (tmp_path / "index.md").write_text("# Home\n")
    (tmp_path / "quiet.md").write_text(NOTEBOOK_PAGE.format(title="Quiet", tag="remove-cell", stream="stdout",
                                                            extra=CHART_CELL))
    (tmp_path / "noisy.md").write_text(NOTEBOOK_PAGE.format(title="Noisy", tag="remove-cell", stream="stderr", extra=""))
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(tmp_path), "--path-output",
               str(tmp_path / "out"), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(paths.ROOT)})
    log = result.stdout + result.stderr
    assert result.returncode != 0, log[-3000:]
    errors = [line for line in log.splitlines() if "wrote to stderr" in line]
    assert len(errors) == 1 and "noisy.md" in errors[0] and "cell 2" in errors[0], log[-3000:]
    assert "stderr from a remove-cell cell" in errors[0]
    # the same build: a hostile model name in a chart's data cannot end or bend the chart's script
    page = (tmp_path / "out" / "_build" / "html" / "quiet.html").read_text()
    specs = re.findall(r'<script type="application/vnd\.vegalite\+json">(.*?)</script>', page, flags=re.S)
    assert len(specs) == 1 and not set(specs[0]) & {"<", ">", "&"}
    assert json.loads(specs[0])["datasets"].popitem()[1][0]["model"] == "<!--<script>"


def test_stderr_outputs_are_found_whatever_the_tags():
    notebook = {"cells": [
        {"cell_type": "markdown", "source": "# x"},
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]},
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "fine\n"},
                     {"output_type": "stream", "name": "stderr", "text": ["", "UserWarning: x\n"]}]},
        {"cell_type": "code", "metadata": {}, "outputs": []},
    ]}
    assert website.stderr_outputs(notebook) == [(2, "'UserWarning: x'")]


# ------------------------------------------------------------------ figure downloads and citations


def _two_table_chart():
    models = pd.DataFrame({"display_name": ["A", "B"], "release_date": pd.to_datetime(["2024-01-01", "2025-06-30"]),
                           "y": [1.0, 2.0]})
    line = pd.DataFrame({"release_date": pd.to_datetime(["2024-01-01T00:00:00", "2025-06-30T13:45:10.123456789"], format="ISO8601"), "y": [1.0, 2.0]})
    dots = alt.Chart(models).mark_circle().encode(x="release_date:T", y="y:Q")
    fit = alt.Chart(line).mark_line().encode(x="release_date:T", y="y:Q")
    return alt.layer(fit, dots).properties(width=300, height=200, title="T")


def test_figure_tables_are_named_by_what_they_hold_and_dated_as_iso_dates():
    spec = charts.responsive(_two_table_chart().to_dict())
    tables = dict(website.figure_tables(spec))
    assert set(tables) == {"models", "lines"}
    dated = website.iso_dates(tables["lines"])
    # the nanosecond timestamp becomes the day it falls on
    assert dated["release_date"].tolist() == ["2024-01-01", "2025-06-30"]


def test_export_spec_has_fixed_width_white_card_and_credit():
    spec = charts.responsive(_two_table_chart().to_dict())
    build = citation.Build(version="1.2.3", commit="abc1234def", date="2026-12-02", base_url="https://example.org/r/")
    url = build.url("book/trend.html", "fig-x")
    exported = website.export_spec(spec, website.figure_credit(
        {"usermeta": {"inputs": ["data/metr/horizons_v1.1_2026-05-08.csv"]}}, build, url))
    assert exported["width"] == 300 and exported["config"]["background"] == "#ffffff"
    assert exported["title"]["text"] == "T"
    source, stamp = exported["title"]["subtitle"]
    assert source.startswith("Source: METR") and stamp == "Doubling Time 1.2.3, built 2026-12-02 · CC BY 4.0 · https://example.org/r/book/trend.html#fig-x"


def test_citations_use_the_canonical_address_and_fitting_entry_types():
    build = citation.current_build()
    assert build.base_url == citation.configured_base_url() and build.base_url.startswith("https://")
    entries = {title: entry for title, _, entry in citation.chapter_citations(build, [
        ("book/trend.html", "The trend", True), ("book/data.html", "Data", False)])}
    assert entries["The trend"].startswith("@incollection{doublingtime_trend,") and "booktitle" in entries["The trend"]
    assert entries["Data"].startswith("@misc{doublingtime_data,") and "Chapter of" not in entries["Data"]
    assert f"url          = {{{build.base_url}book/trend.html}}" in entries["The trend"]
    block = citation.citation_block("a <b>", "@misc{x}")
    assert block.count('<div class="highlight citation-block') == 2 and "a &lt;b&gt;" in block


def test_commit_links_to_the_repository():
    build = citation.Build(version="1", commit="abc1234def+changes", date="2026-12-02", base_url="")
    assert citation.commit_url(build) == citation.repository_url() + "/commit/abc1234def"


# ------------------------------------------------------------------ sources one click away (analysis.chapters.table_html)


def test_url_columns_become_escaped_source_links():
    from analysis.chapters import table_html

    table = pd.DataFrame({"Figure": ["a <b> & c", "d"], "Value": [1.5, 2.0],
                          "Source": ["https://www.bls.gov/ooh/x?a=1&b=2", "https://example.org/p"]})
    html = table_html(table).data
    assert html.startswith('<div class="table-scroll">')
    assert '<a class="source-link" href="https://www.bls.gov/ooh/x?a=1&amp;b=2" rel="noopener">bls.gov</a>' in html
    assert '>example.org</a>' in html and "a &lt;b&gt; &amp; c" in html and "<b>" not in html


def test_a_column_that_is_not_all_urls_stays_text():
    from analysis.chapters import table_html

    table = pd.DataFrame({"Source": ["https://example.org/p", "a note", 'https://x.org/"><script>']})
    html = table_html(table).data
    assert "<a " not in html and "<script>" not in html


def test_iso_dates_ignore_empty_cells():
    # A layer without a date leaves empty cells in a shared column; the dates around them still
    # lose their time of day (an empty cell must not stop the conversion).
    table = pd.DataFrame({"date": ["2026-01-01T00:00:00", "", None, "2026-04-08T05:32:18.461538450"]})
    assert website.iso_dates(table)["date"].tolist()[:2] == ["2026-01-01", ""]
    assert website.iso_dates(table)["date"].tolist()[3] == "2026-04-08"


def test_a_figure_credits_the_files_whose_data_it_draws(tmp_path, monkeypatch):
    # Hand-made: a page read three files; the figure draws numbers of the first (three of them, one
    # inside a label), model names that both the first and the second hold (they decide nothing), and
    # the benchmark name only the third holds. Credited: the first and the third, named by source.
    from analysis import paths

    (tmp_path / "data" / "metr").mkdir(parents=True)
    (tmp_path / "data" / "compute").mkdir()
    (tmp_path / "data" / "benchmarks").mkdir()
    (tmp_path / "data" / "metr" / "h.csv").write_text("model,p50\nAlpha One,12.5\nBeta Two,40.25\nGamma,99.125\n")
    (tmp_path / "data" / "compute" / "c.csv").write_text("model,flop\nAlpha One,3.1e24\nBeta Two,5.2e25\n")
    (tmp_path / "data" / "benchmarks" / "b.csv").write_text("benchmark,score\nSWE-bench Verified,0.61\n")
    (tmp_path / "data" / "benchmarks" / "sources.csv").write_text(
        "table,attribution\nb.csv,\"Epoch AI, 'AI Benchmarking Hub', https://epoch.ai/benchmarks; SWE: someone\"\n")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    spec = {"usermeta": {"inputs": ["data/metr/h.csv", "data/compute/c.csv", "data/benchmarks/b.csv"]},
            "datasets": {"d": [{"model": "Alpha One", "p50": 12.5, "label": "SWE-bench Verified"},
                               {"model": "Beta Two", "p50": 40.25, "label": "99.125 minutes"}]}}
    assert website.drawn_inputs(spec) == ["data/metr/h.csv", "data/benchmarks/b.csv"]
    assert website.figure_sources(spec) == ["METR, Measuring AI Ability to Complete Long Tasks (metr.org)",
                                            "Epoch AI, 'AI Benchmarking Hub'", "SWE: someone"]
    # a figure of computed values only (no datum from any file) is credited to everything its page read
    computed = {**spec, "datasets": {"d": [{"fit": 1.23456, "x": 7.5}, {"fit": 2.5, "x": 8.5}]}}
    assert website.drawn_inputs(computed) == spec["usermeta"]["inputs"]
    metadata = website.csv_metadata({**spec, "title": "T"}, ["fig.csv"], ["Doubling Time 1, built d · CC BY 4.0 · u"])
    assert metadata["dc:title"] == "T" and metadata["tables"] == [{"url": "fig.csv"}]
    assert metadata["dc:source"].startswith("METR, Measuring") and "CC BY 4.0" in metadata["dc:bibliographicCitation"]


def test_chapters_are_cross_referenced_not_numbered_by_hand():
    # "the milestone chapter 3 maps" meant chapter 4 after the chapters moved: a typed number goes
    # stale, a MyST reference ({numref}`chapter %s <ch-timelines>`) is numbered by the build.
    import re

    from analysis import paths

    typed = []
    for page in sorted((paths.ROOT / "book").glob("*.md")):
        text = re.sub(r"\{numref\}`[^`]*`", "", page.read_text(encoding="utf-8"))
        typed += [f"{page.name}: {m.group(0)!r}" for m in re.finditer(r"(?i)\bchapters?\s+\d", text)]
    assert not typed, typed


def test_footer_offers_only_files_that_exist(tmp_path):
    # After `make book` alone the PDF and notebooks are not in the site: their footer offers stay
    # hidden; once `make pdf` / `make notebooks` add a file, the offer of that file shows.
    site = tmp_path
    (site / "book").mkdir()
    page = site / "book" / "trend.html"
    page.write_text('<p>x<span class="site-offer" data-file="doubling-time.pdf" hidden> · <a href="../doubling-time.pdf">PDF</a></span>'
                    '<span class="site-offer" data-file="notebooks/trend.ipynb" hidden> · <a href="../notebooks/trend.ipynb">nb</a></span></p>')
    assert website.offer_downloads(site) == 0 and page.read_text().count(" hidden>") == 2
    (site / "doubling-time.pdf").write_bytes(b"%PDF")
    assert website.offer_downloads(site) == 1
    text = page.read_text()
    assert 'data-file="doubling-time.pdf">' in text and 'data-file="notebooks/trend.ipynb" hidden>' in text
    (site / "doubling-time.pdf").unlink()  # gone again: hidden again
    assert website.offer_downloads(site) == 0 and page.read_text().count(" hidden>") == 2


def test_header_icons_are_inline_svgs_from_the_themes_own_paths():
    # A two-icon stand-in for fontawesome.js (the same layout: one `var p={...}` per pack, handed to
    # d("<pack>",p)); an <i> element becomes an SVG with its classes and attributes, unknown ones stay.
    script = ('var p={github:[496,512,[],"f09b","M1 2z"],"file":[384,512,[],"f15b","M3 4z"]};'
              'x(function(){d("fab",p)});var p={"magnifying-glass":[512,512,[128269],"f002","M5 6z"]};d("fas",p)')
    icons = website.fontawesome_icons(script)
    assert icons[("fab", "github")] == (496, 512, "M1 2z") and icons[("fas", "magnifying-glass")] == (512, 512, "M5 6z")
    html = ('<script defer src="../_static/scripts/fontawesome.js?digest=1"></script><i class="fab fa-github"></i>'
            '<i class="theme-switch fa-solid fa-magnifying-glass fa-lg" data-mode="dark" title="Dark"></i><i class="fa-solid fa-nothing"></i>')
    out = website._ICON.sub(lambda m: website.inline_icon(m, icons), website._ICON_SCRIPT.sub("", html))
    assert "fontawesome.js" not in out and out.count("<svg") == 2 and '<i class="fa-solid fa-nothing"></i>' in out
    assert 'viewBox="0 0 496 512"' in out and 'data-mode="dark"' in out and "<title>Dark</title>" in out
