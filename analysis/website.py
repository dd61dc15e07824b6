"""Sphinx extension: serve the site's own Vega/Vega-Lite/vega-embed bundle, so charts need no network.

At the end of an HTML build it writes ``_static/vega-charts.js``, produced offline by
vl-convert-python from the pinned library versions, and every page loads it as a module script
(as a classic script its top-level names collide with the theme's globals). The bundled snippet
draws every ``div.vega-chart`` that ``analysis.charts`` emitted.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import posixpath
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert
from docutils import nodes
from sphinx.util import logging

from analysis import citation, metr, paths, staging
from analysis.params import PARAMS

logger = logging.getLogger(__name__)

BUNDLE_NAME = "vega-charts.js"

# Runs inside the bundle, where vegaEmbed is in scope. Errors are shown in the page and logged.
EMBED_SNIPPET = """
function drawCharts() {
  for (const holder of document.querySelectorAll("div.vega-chart")) {
    if (holder.dataset.drawn) continue;
    holder.dataset.drawn = "1";
    const source = holder.querySelector('script[type="application/vnd.vegalite+json"]');
    const target = document.createElement("div");
    holder.appendChild(target);
    vegaEmbed(target, JSON.parse(source.textContent), {
      renderer: "svg",
      actions: {export: true, source: false, compiled: false, editor: false},
    }).catch((error) => {
      target.textContent = "This chart could not be drawn: " + error;
      console.error(error);
    });
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
"""


def vega_lite_version() -> str:
    """The Vega-Lite minor version altair writes specs for, e.g. 'v6.4'."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"v{major}.{minor}"


def bundle_source() -> str:
    return vl_convert.javascript_bundle(snippet=EMBED_SNIPPET, vl_version=vega_lite_version())


def _write_bundle(app, exception) -> None:
    """Write the bundle; generating it takes a second, so it is kept beside the build, keyed by the
    versions and the snippet it is made from."""
    if exception is not None or app.builder.format != "html":
        return
    key = hashlib.sha256(f"{vl_convert.__version__}|{vega_lite_version()}|{EMBED_SNIPPET}".encode()).hexdigest()[:16]
    kept = Path(app.outdir).parent / ".vega-bundle" / f"{key}.js"
    if not kept.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        temporary = kept.with_suffix(".tmp")
        temporary.write_text(bundle_source(), encoding="utf-8")
        os.replace(temporary, kept)
    target = Path(app.outdir) / "_static" / BUNDLE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(kept, target)


def _is_thebe(script) -> bool:
    name = getattr(script, "filename", None) or ""
    body = getattr(script, "attributes", {}).get("body", "")
    return "thebe" in name or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Jupyter Book 1 always adds sphinx-thebe, which we do not use: its config script is added
    twice (a page error, 'THEBE_JS_URL has already been declared') and names a CDN."""
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [script for script in scripts if not _is_thebe(script)]


# ------------------------------------------------------------------ page safety: inline JSON, spreadsheet cells

# A JSON document inside <script> ends at the first "</script" and changes parsing at "<!--": with
# <, > and & written as \u escapes (still the same JSON) no text from the data can do either.
_INLINE_JSON = re.compile(r'(<script\b[^>]*\btype="application/[^"]*json"[^>]*>)(.*?)(</script>)', re.S | re.I)


def escape_inline_json(text: str) -> str:
    """JSON text safe inside an HTML <script> element: <, > and & as \\u003c, \\u003e, \\u0026."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def inline_json(value) -> str:
    return escape_inline_json(json.dumps(value, sort_keys=True, separators=(",", ":")))


def escape_inline_scripts(html_text: str) -> str:
    """Every JSON script element in an HTML fragment, re-escaped (the JSON it holds is unchanged)."""
    return _INLINE_JSON.sub(lambda match: match[1] + escape_inline_json(match[2]) + match[3], html_text)


def _escape_inline_json(app, doctree, docname) -> None:
    """Re-escape the JSON of every chart (and any other JSON script) in the page's raw HTML."""
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        safe = escape_inline_scripts(text)
        if safe != text:
            node.clear()
            node += nodes.Text(safe)


def _is_number(text: str) -> bool:
    """A number a spreadsheet reads as a number, not a formula: -3.5, +2, 1e3, -5%, -1,234."""
    try:
        float(text.strip().removesuffix("%").replace(",", ""))
    except ValueError:
        return False
    return True


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading
    quote; numbers, negative ones included, are left alone."""
    def safe(value):
        if isinstance(value, str) and value.startswith(metr.FORMULA_PREFIXES) and not _is_number(value):
            return "'" + value
        return value

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe)
    return out


def formula_cells(path: Path) -> list[str]:
    """Cells of a data CSV that a spreadsheet would run as a formula, as 'row N: column C'."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    found = []
    for column in frame.columns:
        for index, value in frame[column].items():
            if value.startswith(metr.FORMULA_PREFIXES) and not _is_number(value):
                found.append(f"row {index + 2}: column {column!r}: {metr.show(value)}")
    return found


# ------------------------------------------------------------------ the build guard: no stderr from any cell


def stderr_outputs(notebook: dict) -> list[tuple[int, str]]:
    """(cell number from 1, first line) of every stderr stream in an executed notebook's outputs,
    whatever the cell's tags (remove-cell, remove-output and remove-stderr hide them from the page)."""
    found = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        for output in cell.get("outputs", None) or []:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                first = next((line for line in text.splitlines() if line.strip()), "")
                found.append((number, metr.show(first)))
    return found


def _executed_notebook(app, docname: str) -> Path | None:
    folder = getattr(getattr(app.env, "mystnb_config", None), "output_folder", None)
    if not folder:
        return None
    parts = docname.split("/")
    return Path(folder).joinpath(*parts[:-1], parts[-1] + ".ipynb")


def _fail_on_stderr(app, doctree) -> None:
    """Anything a chapter cell writes to stderr fails the build (an error, so -W stops it).

    Jupyter Book's ``stderr_output: error`` only sees outputs that are rendered, so a cell tagged
    remove-cell could print to stderr unseen. This reads the executed notebook MyST-NB writes for
    every notebook page (``jupyter_execute/<page>.ipynb``), however it was executed."""
    docname = app.env.docname
    metadata = app.env.metadata.get(docname, {})
    executed = bool(getattr(app.env, "nb_metadata", {}).get(docname, {}).get("exec_data"))
    if "kernelspec" not in metadata and not executed:
        return  # not a notebook page
    path = _executed_notebook(app, docname)
    if path is None or not path.is_file():
        logger.error(f"cannot check this page's cells for stderr: no executed notebook at {path}",
                     location=docname)
        return
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        logger.error(f"cannot check this page's cells for stderr: {path}: {err}", location=docname)
        return
    for number, first_line in stderr_outputs(notebook):
        logger.error(f"cell {number} wrote to stderr (hidden cells included): {first_line}", location=docname)


# ------------------------------------------------------------------ figures: downloads, citation, provenance

FIGURES = "figures"  # folder in the site for figure downloads
_SPEC = re.compile(r'<script type="application/vnd\.vegalite\+json">(.*?)</script>', re.S)


def _figure_files(spec: dict, name: str, folder: Path, png_jobs: list) -> list[tuple[str, str]]:
    """Write SVG, one CSV per plotted dataset and the spec, queue the PNG (2x); return (label, file)."""
    folder.mkdir(parents=True, exist_ok=True)
    version = vega_lite_version()
    svg = vl_convert.vegalite_to_svg(spec, vl_version=version)
    png_jobs.append((svg, folder / f"{name}.png"))  # the PNG is made from this SVG (same pixels, faster)
    (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
    (folder / f"{name}.vl.json").write_text(json.dumps(spec, indent=1, sort_keys=True), encoding="utf-8")
    files = [("PNG", f"{name}.png"), ("SVG", f"{name}.svg")]
    # altair gathers inline data into top-level datasets: lists of records, or CSV text
    tables = [pd.read_csv(io.StringIO(values)) if isinstance(values, str) else pd.DataFrame(values)
              for values in spec.get("datasets", {}).values()]
    tables = [table for table in tables if len(table) > 1]
    tables += [pd.read_csv(io.StringIO(text)) for text in _inline_csv(spec)]
    for index, table in enumerate(tables, start=1):
        file = f"{name}-data-{index}.csv" if len(tables) > 1 else f"{name}.csv"
        spreadsheet_safe(table).to_csv(folder / file, index=False, lineterminator="\n")
        label = f"CSV {index} ({len(table)} rows)" if len(tables) > 1 else f"CSV ({len(table)} rows)"
        files.append((label, file))
    files.append(("Vega-Lite JSON", f"{name}.vl.json"))
    return files


def _inline_csv(node) -> list[str]:
    """CSV strings given inline anywhere in a spec (data: {values: "...", format: {type: csv}})."""
    found = []
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), str) and data.get("format", {}).get("type") == "csv":
            found.append(data["values"])
        for value in node.values():
            found.extend(_inline_csv(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_inline_csv(value))
    return list(dict.fromkeys(found))


def _provenance(spec: dict, build: citation.Build) -> str:
    parts = []
    for relative in spec.get("usermeta", {}).get("inputs", []):
        path = paths.ROOT / relative
        digest = metr.sha256_of(path)[:12] if path.is_file() else "missing"
        parts.append(f"<code>{html.escape(relative)}</code> (sha256 {digest}…)")
    params_hash = metr.sha256_of(paths.ROOT / "analysis" / "params.py")[:12]
    data = "; ".join(parts) if parts else "none recorded"
    return (f"Data: {data}. Code: commit <code>{html.escape(build.commit)}</code>. Parameters: "
            f"<code>analysis/params.py</code> (sha256 {params_hash}…), seed {PARAMS.seed}.")


def _figure_extras(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    build = citation.current_build(app.config.html_baseurl or "")
    page = app.builder.get_target_uri(docname)
    numbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
    for figure in doctree.findall(nodes.figure):
        if not figure["ids"]:
            continue
        raw = next((node for node in figure.findall(nodes.raw) if "vega-chart" in node.astext()), None)
        if raw is None:
            continue
        name = figure["ids"][0]
        spec = json.loads(_SPEC.search(raw.astext()).group(1).replace("<\\/", "</"))
        files = _figure_files(spec, name, Path(app.outdir) / FIGURES, _png_jobs(app))
        prefix = posixpath.relpath(FIGURES, posixpath.dirname(page) or ".")
        links = " · ".join(f'<a href="{prefix}/{file}" download>{label}</a>' for label, file in files)
        number = ".".join(str(n) for n in numbers.get(name, ()))
        captions = list(figure.findall(nodes.caption))
        caption = " ".join((captions[0].astext() if captions else spec.get("description", "")).split())
        headline = re.split(r"(?<=[.!?])\s", caption, maxsplit=1)[0].rstrip(".")  # its first sentence
        what = f"Figure {number}: “{headline}”" if number else f"“{headline}”"
        url = build.url(page, name)
        bib = citation.bibtex(f"doublingtime_{name}", title=f"Figure {number}: {headline}", build=build, url=url)
        extras = (
            f'<div class="figure-extras"><p class="figure-downloads">Download: {links}</p>'
            f'<details class="figure-cite"><summary>Cite this figure</summary>'
            f"<p>{html.escape(citation.text_citation(what=what, build=build, url=url))}</p>"
            f"<pre>{html.escape(bib)}</pre></details>"
            f'<p class="figure-provenance">{_provenance(spec, build)}</p></div>'
        )
        figure.append(nodes.raw("", extras, format="html"))


def _png_jobs(app) -> list:
    if not hasattr(app, "_doubling_time_png_jobs"):
        app._doubling_time_png_jobs = []
    return app._doubling_time_png_jobs


def _render_pngs(app, exception) -> None:
    """Render the queued PNGs (2x) from their SVGs, on all cores."""
    jobs = _png_jobs(app)
    if exception is not None or not jobs:
        return

    def render(job):
        svg, path = job
        path.write_bytes(vl_convert.svg_to_png(svg, scale=2))

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(render, jobs))
    jobs.clear()


def _footer(app, config) -> None:
    build = citation.current_build(config.html_baseurl or "")
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (
        f"<p>Doubling Time {build.version} · commit <code>{build.commit}</code> · built {build.date} · "
        "code MIT, text and figures CC BY 4.0 · data © METR and the sources named on each page</p>"
    )
    config.html_theme_options = options


def _copy_data(app, exception) -> None:
    """Serve every table under data/ from the site, so the data page's links work offline."""
    if exception is not None or app.builder.format != "html":
        return
    staging.settle_tree(paths.DATA)  # an interrupted import: finish it before publishing
    target = Path(app.outdir) / "data"
    if target.exists():
        shutil.rmtree(target)
    # hidden names: an import's staging folder or journal (analysis.staging) is never published
    shutil.copytree(paths.DATA, target, ignore=shutil.ignore_patterns("*.md", ".*"))
    for path in sorted(target.rglob("*.csv")):  # the served bytes are the committed ones: refuse, never rewrite
        for cell in formula_cells(path)[:3]:
            logger.error(f"{path.relative_to(target.parent)}: {cell}: a spreadsheet would run this cell as a formula")


def setup(app) -> dict:
    app.add_js_file(BUNDLE_NAME, type="module")
    app.add_css_file("report.css")
    app.connect("config-inited", _footer)
    app.connect("doctree-read", _fail_on_stderr)
    app.connect("doctree-resolved", _escape_inline_json, priority=400)  # before _figure_extras reads the specs
    app.connect("doctree-resolved", _figure_extras)
    app.connect("build-finished", _write_bundle)
    app.connect("build-finished", _render_pngs)
    app.connect("build-finished", _copy_data)
    app.connect("html-page-context", _drop_thebe)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
