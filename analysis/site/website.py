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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert
from docutils import nodes
from sphinx.util import logging

from analysis import charts, metr, paths, staging
from analysis.site import citation
from analysis.params import PARAMS

logger = logging.getLogger(__name__)

BUNDLE_NAME = "vega-charts.js"

# Runs inside the bundle, where vegaEmbed is in scope. Errors are shown in the page and logged.
# Each chart is drawn as wide as its holder (the spec says width "container"); on narrow holders long
# axis/legend labels are capped (the marks' tooltips carry the full text) and titles wrap. Charts follow
# the page's theme (data-theme on <html>) and are drawn again when it changes or the holder's width
# changes a lot. A holder's build-time image (img.chart-static) stays until the live chart is drawn.
_EMBED_TEMPLATE = """
const PAGE_CONFIG = %(page_config)s;
const DARK_SWAPS = %(dark_swaps)s;
const COLOUR_KEYS = new Set(["color", "fill", "stroke"]);
const drawn = new Map();

function pageMode() {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

function mergeInto(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (!target[key] || typeof target[key] !== "object") target[key] = {};
      mergeInto(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

function wrapText(text, width, size) {
  if (typeof text !== "string") return text;
  const perLine = Math.max(16, Math.floor(width / (size * 0.62)));
  if (text.length <= perLine) return text;
  const lines = [];
  let line = "";
  for (const word of text.split(/\\s+/)) {
    if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; }
    else { line = line ? line + " " + word : word; }
  }
  if (line) lines.push(line);
  return lines;
}

// Walk the spec: cap label widths on narrow holders, swap colours that vanish on a dark page.
function adapt(node, parentKey, caps, dark) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      if (dark && parentKey === "range" && typeof item === "string" && DARK_SWAPS[item.toLowerCase()]) node[i] = DARK_SWAPS[item.toLowerCase()];
      else adapt(item, parentKey, caps, dark);
    });
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "labelLimit" && caps) {
      const cap = parentKey === "legend" ? caps.legend : caps.axis;
      node[key] = value === 0 ? cap : Math.min(value, cap);
    } else if (key === "title" && caps && (parentKey === "x" || parentKey === "y") && typeof value === "string") {
      node[key] = wrapText(value, parentKey === "x" ? caps.plot : 300, 12);  // long axis titles wrap
    } else if (dark && COLOUR_KEYS.has(key) && typeof value === "string" && DARK_SWAPS[value.toLowerCase()]) {
      node[key] = DARK_SWAPS[value.toLowerCase()];
    } else if (key !== "data" && key !== "datasets") {
      adapt(value, key, caps, dark);
    }
  }
}

function prepare(spec, width, mode) {
  const dark = mode === "dark";
  const narrow = width < 500;
  // Bottom legends start at the plot's left edge, after the y axis: they get what the axis leaves.
  const axisCap = Math.round(width * 0.27);
  const caps = narrow ? {axis: axisCap, legend: Math.max(100, width - axisCap - 80), plot: Math.max(120, width - axisCap - 40)} : null;
  spec.config = spec.config || {};
  adapt(spec, "", caps, dark);
  mergeInto(spec.config, PAGE_CONFIG[mode]);
  if (narrow) {
    mergeInto(spec.config, {
      axis: {labelLimit: caps.axis, labelFontSize: 11, titleFontSize: 12},
      // several bottom legends stack instead of standing side by side past the edge
      legend: {labelLimit: caps.legend, orient: "bottom", labelFontSize: 11, titleFontSize: 11,
               direction: "vertical", symbolDirection: "vertical",
               layout: {bottom: {direction: "vertical", anchor: "start"}}},
    });
    const size = (spec.config.title && spec.config.title.fontSize) || 15;
    if (typeof spec.title === "string") spec.title = {text: spec.title};
    if (spec.title) {
      spec.title.text = wrapText(spec.title.text, width, size);
      if (spec.title.subtitle) spec.title.subtitle = wrapText(spec.title.subtitle, width, size * 0.8);
    }
  }
  return spec;
}

async function draw(holder) {
  const source = holder.querySelector('script[type="application/vnd.vegalite+json"]');
  if (!source) return;
  const width = Math.max(200, (holder.clientWidth || 640) - 40);  // vega-embed keeps 38 px for its menu
  const mode = pageMode();
  const previous = drawn.get(holder);
  if (previous && previous.mode === mode && Math.abs(previous.width - width) < 0.15 * previous.width) return;
  const spec = prepare(JSON.parse(source.textContent), width, mode);
  const target = document.createElement("div");
  target.className = "chart-live";
  // Drawn in place (a detached element has no width to fit), out of sight until ready.
  target.classList.add("chart-pending");
  holder.appendChild(target);
  const state = {width, mode, target, result: null};
  drawn.set(holder, state);
  try {
    const result = await vegaEmbed(target, spec, {
      renderer: "svg",
      actions: {export: true, source: false, compiled: false, editor: false},
      downloadFileName: holder.dataset.name || "doubling-time-figure",
      tooltip: {theme: mode === "dark" ? "dark" : "light"},
    });
    if (drawn.get(holder) !== state) { result.finalize(); target.remove(); return; }  // superseded
    state.result = result;
    // The menu's "Save as" links serve the build-time images: drawn at full width on a white card,
    // with title, source, date and licence, and named after the figure (clones drop vega-embed's handler).
    for (const link of target.querySelectorAll(".vega-actions a[download]")) {
      const file = holder.dataset[link.download.split(".").pop()];
      if (!file) continue;
      const copy = link.cloneNode(true);
      copy.href = file;
      copy.removeAttribute("target");
      link.replaceWith(copy);
    }
    if (previous) {
      if (previous.result) previous.result.finalize();
      previous.target.remove();
    }
    target.classList.remove("chart-pending");
    holder.classList.add("is-live");
  } catch (error) {
    target.classList.remove("chart-pending");
    target.textContent = "This chart could not be drawn: " + error;
    console.error(error);
  }
}

function drawCharts() {
  for (const holder of document.querySelectorAll("div.vega-chart")) {
    if (holder.dataset.drawn) continue;
    holder.dataset.drawn = "1";
    draw(holder);
    if (window.ResizeObserver) {
      let timer = null;
      new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(() => draw(holder), 250); }).observe(holder);
    }
  }
}

new MutationObserver(() => {
  for (const holder of document.querySelectorAll("div.vega-chart")) draw(holder);
}).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
"""


def embed_snippet() -> str:
    return _EMBED_TEMPLATE % {"page_config": json.dumps(charts.PAGE_CONFIG, sort_keys=True),
                               "dark_swaps": json.dumps(charts.DARK_SWAPS, sort_keys=True)}


EMBED_SNIPPET = embed_snippet()


def vega_lite_version() -> str:
    """The Vega-Lite minor version altair writes specs for, e.g. 'v6.4'."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"v{major}.{minor}"


def bundle_source() -> str:
    global _vl_used_here
    _vl_used_here = True
    return vl_convert.javascript_bundle(snippet=EMBED_SNIPPET, vl_version=vega_lite_version())


def bundle_key() -> str:
    """Names the bundle's version: the libraries' versions and the snippet it is made from."""
    return hashlib.sha256(f"{vl_convert.__version__}|{vega_lite_version()}|{EMBED_SNIPPET}".encode()).hexdigest()[:16]


# First paint on slow links: the page shows its text and each chart's build-time image first; the
# ~0.9 MB chart bundle (and the theme's 1.5 MB icon font script) load only after the window's load
# event, so they never compete with the text, the styles or the images for bandwidth.
_LOADER = """(function () {
  function load() {
    var script = document.createElement("script");
    script.type = "module";
    script.src = (document.documentElement.dataset.content_root || "") + "_static/%(bundle)s?v=%(key)s";
    document.head.appendChild(script);
  }
  if (document.readyState === "complete") load(); else window.addEventListener("load", load);
})();"""


def bundle_loader() -> str:
    return _LOADER % {"bundle": BUNDLE_NAME, "key": bundle_key()}


_ICON_SCRIPT = re.compile(r'<script defer src="([^"]*_static/scripts/fontawesome\.js[^"]*)"></script>')


def _defer_icons(app, exception) -> None:
    """pydata-sphinx-theme's template loads fontawesome.js (1.5 MB) with ``defer``, which holds up
    DOMContentLoaded and shares the link with the page's first paint: load it after the window's load
    event instead (the header icons appear a moment later)."""
    if exception is not None or app.builder.format != "html":
        return
    later = ('<script>window.addEventListener("load", function () {{ var s = document.createElement("script"); '
             's.src = "{}"; document.head.appendChild(s); }});</script>')
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        changed = _ICON_SCRIPT.sub(lambda match: later.format(match.group(1)), text)
        if changed != text:
            page.write_text(changed, encoding="utf-8")


def _kept_bundle(app) -> Path:
    return Path(app.outdir).parent / ".vega-bundle" / f"{bundle_key()}.js"


def _write_bundle(app, exception) -> None:
    """Write the bundle; generating it takes a second, so it is kept beside the build, keyed by the
    versions and the snippet it is made from (an image worker makes it while the pages are written)."""
    if exception is not None or app.builder.format != "html":
        return
    kept = _kept_bundle(app)
    renderer = renderer_of(app)
    if renderer is not None and renderer.has("bundle", kept.name):
        renderer.wait("bundle", kept.name)
    if not kept.exists():
        _write_atomic(kept, bundle_source().encode("utf-8"))
    _write_if_changed(Path(app.outdir) / "_static" / BUNDLE_NAME, kept.read_bytes())


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


_SVG_SIZES: dict[str, tuple[int, int]] = {}  # figure name -> its build-time SVG's width and height


def _figure_files(spec: dict, name: str, folder: Path, png_jobs: list, credit: list[str] | None = None,
                  images: Path | None = None, renderer: ImageRenderer | None = None) -> list[tuple[str, str]]:
    """Write SVG, one CSV per plotted dataset and the spec, queue the PNG (2x); return (label, file).
    The images are drawn at the builder's width and carry ``credit`` (source, date, licence, link);
    the build's image workers (``renderer``) have usually drawn them into ``images`` already."""
    folder.mkdir(parents=True, exist_ok=True)
    export = export_spec(spec, credit or [])
    key, svg = figure_svg(export, images, renderer)
    png_jobs.append((key, svg, folder / f"{name}.png"))  # the PNG is made from this SVG (same pixels, faster)
    _write_if_changed(folder / f"{name}.svg", svg.encode("utf-8"))
    size = re.search(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"', svg)
    _SVG_SIZES[name] = (round(float(size.group(1))), round(float(size.group(2)))) if size else (0, 0)
    (folder / f"{name}.vl.json").write_text(json.dumps(spec, indent=1, sort_keys=True), encoding="utf-8")
    files = [("PNG", f"{name}.png"), ("SVG", f"{name}.svg")]
    for suffix, table in figure_tables(spec):
        file = f"{name}-{suffix}.csv" if suffix else f"{name}.csv"
        spreadsheet_safe(iso_dates(table)).to_csv(folder / file, index=False, lineterminator="\n")
        label = f"CSV: {suffix.replace('-', ' ')} ({len(table)} rows)" if suffix else f"CSV ({len(table)} rows)"
        files.append((label, file))
    files.append(("Vega-Lite JSON", f"{name}.vl.json"))
    return files


def export_spec(spec: dict, credit: list[str]) -> dict:
    """The spec as the downloaded images draw it: the builder's fixed width, a white card, and the
    credit lines (source, date, licence, address) under the title."""
    out = charts.static_spec(spec)
    title = out.get("title") or ""
    title = dict(title) if isinstance(title, dict) else {"text": title}
    if credit:
        existing = title.get("subtitle") or []
        existing = [existing] if isinstance(existing, str) else list(existing)
        title |= {"subtitle": existing + credit, "subtitleFontSize": 10, "subtitleColor": "#555555", "subtitlePadding": 4}
    # The SVG keeps its text as text: name a font with the same metrics everywhere (Arial, or the
    # metric-compatible Liberation Sans that vl-convert measures with), so that a browser draws labels
    # where they were laid out; a little room on the left absorbs what differences remain.
    return {**out, "title": title, "padding": {"left": 16, "right": 8, "top": 8, "bottom": 8},
            "config": {**out.get("config", {}), "background": "#ffffff", "font": EXPORT_FONT}}


EXPORT_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

_SOURCES = (  # (input path prefix, how a credit line names it)
    ("data/metr/", "METR, Measuring AI Ability to Complete Long Tasks (metr.org)"),
    ("data/labor/", "pay and employment sources named row by row in the report's data/labor tables"),
    ("data/claims.csv", "public statements listed in the report's data/claims.csv"),
    ("data/circulating_figures.csv", "figures listed in the report's data/circulating_figures.csv"),
)


def figure_credit(spec: dict, build: citation.Build, url: str) -> list[str]:
    """Credit lines for a figure's downloads: its sources, the report's version and date, the licence, its address."""
    inputs = spec.get("usermeta", {}).get("inputs", [])
    names = [label for prefix, label in _SOURCES if any(path.startswith(prefix) for path in inputs)]
    source = "Source: " + ("; ".join(names) if names else "the report's own computation") + "."
    return [source, f"Doubling Time {build.version}, built {build.date} · CC BY 4.0 · {url}"]


_NOUNS = (  # mark types -> what a dataset drawn with them holds
    ({"circle", "point", "square", "tick"}, "points"),
    ({"line", "area"}, "lines"),
    ({"bar"}, "bars"),
    ({"rule"}, "ranges"),
    ({"rect"}, "bands"),
    ({"text"}, "labels"),
)


def _marks_by_dataset(node, data=None, out=None) -> dict[str, set[str]]:
    """Which mark types draw each named top-level dataset (layers inherit their parent's data)."""
    out = {} if out is None else out
    if isinstance(node, dict):
        named = node.get("data")
        if isinstance(named, dict) and "name" in named:
            data = named["name"]
        mark = node.get("mark")
        if mark is not None and data is not None:
            out.setdefault(data, set()).add(mark["type"] if isinstance(mark, dict) else mark)
        for key in ("layer", "hconcat", "vconcat", "concat", "spec"):
            children = node.get(key)
            for child in children if isinstance(children, list) else [children] if children else []:
                _marks_by_dataset(child, data, out)
    return out


def figure_tables(spec: dict) -> list[tuple[str, pd.DataFrame]]:
    """The tables a figure plots, each with a file suffix naming what it holds ("" for a single table):
    "models" for per-model rows, else what the marks draw ("lines", "points", "bars", ...)."""
    marks = _marks_by_dataset(spec)
    found = []
    for key, values in spec.get("datasets", {}).items():
        table = pd.read_csv(io.StringIO(values)) if isinstance(values, str) else pd.DataFrame(values)
        if len(table) <= 1:
            continue
        drawn = marks.get(key, set())
        noun = "models" if "display_name" in table.columns else next(
            (noun for types, noun in _NOUNS if drawn & types), "data")
        found.append((noun, table))
    found += [("draws", pd.read_csv(io.StringIO(text))) for text in _inline_csv(spec)]
    if len(found) == 1:
        return [("", found[0][1])]
    seen: dict[str, int] = {}
    out = []
    for noun, table in found:
        seen[noun] = seen.get(noun, 0) + 1
        out.append((noun if seen[noun] == 1 else f"{noun}-{seen[noun]}", table))
    return out


_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$")


def iso_dates(table: pd.DataFrame) -> pd.DataFrame:
    """Timestamp columns (altair writes ISO date-times, some with nanoseconds) as ISO dates: the
    figures plot days, and a time of day would be spurious precision."""
    out = table.copy()
    for column in out.columns:
        values = out[column].dropna()
        values = values[values.map(lambda value: value != "")]  # an empty cell is no date (layers without one)
        if len(values) and values.map(lambda value: isinstance(value, str) and bool(_ISO_DATETIME.match(value))).all():
            out[column] = out[column].map(lambda value: value[:10] if isinstance(value, str) else value)
    return out


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


def _inputs_html(inputs: list[str]) -> str:
    parts = []
    for relative in inputs:
        path = paths.ROOT / relative
        digest = metr.sha256_of(path)[:12] if path.is_file() else "missing"
        parts.append(f"<code>{html.escape(relative)}</code> (sha256 {digest}…)")
    return "; ".join(parts) if parts else "none recorded"


def _code_html(build: citation.Build) -> str:
    params_hash = metr.sha256_of(paths.ROOT / "analysis" / "params.py")[:12]
    commit = f"<code>{html.escape(build.commit)}</code>"
    link = citation.commit_url(build)
    if link:
        commit = f'<a href="{html.escape(link)}">{commit}</a>'
        params = f'<a href="{html.escape(citation.repository_url())}/blob/{html.escape(link.rsplit("/", 1)[1])}/analysis/params.py"><code>analysis/params.py</code></a>'
    else:
        params = "<code>analysis/params.py</code>"
    return f"Code: commit {commit}. Parameters: {params} (sha256 {params_hash}…), seed {PARAMS.seed}."


def page_provenance(figures: list[tuple[str, str, list[str]]], build: citation.Build) -> str:
    """One expandable block for a page's figures, from (anchor, label, inputs) per figure: figures that
    read the same files share one line; the code and parameters are stated once."""
    groups: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for anchor, label, inputs in figures:
        groups.setdefault(tuple(inputs), []).append((anchor, label))
    items = []
    for inputs, members in groups.items():
        names = ", ".join(f'<a href="#{html.escape(anchor)}">{html.escape(label)}</a>' for anchor, label in members)
        items.append(f"<li>{names}: data {_inputs_html(list(inputs))}.</li>")
    return (f'<details class="page-provenance"><summary>Provenance of this page\'s figures</summary>'
            f'<ul>{"".join(items)}</ul><p>{_code_html(build)}</p></details>')


def _figure_extras(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    if app.builder.name == "singlehtml":
        _print_figures(app, doctree)
        return
    build = citation.current_build(app.config.html_baseurl or "")
    page = app.builder.get_target_uri(docname)
    numbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
    provenance = []
    for figure in list(doctree.findall(nodes.figure)):
        if not figure["ids"]:
            continue
        raw = next((node for node in figure.findall(nodes.raw) if "vega-chart" in node.astext()), None)
        if raw is None:
            continue
        name = figure["ids"][0]
        spec = json.loads(_SPEC.search(raw.astext()).group(1).replace("<\\/", "</"))
        url = build.url(page, name)
        files = _figure_files(spec, name, Path(app.outdir) / FIGURES, _png_jobs(app), figure_credit(spec, build, url),
                              image_folder(app), renderer_of(app))
        prefix = posixpath.relpath(FIGURES, posixpath.dirname(page) or ".")
        raw.parent.replace(raw, nodes.raw("", _named_holder(raw.astext(), name, prefix, _SVG_SIZES.get(name)), format="html"))
        links = " · ".join(f'<a href="{prefix}/{file}" download>{label}</a>' for label, file in files)
        number = ".".join(str(n) for n in numbers.get(name, ()))
        captions = list(figure.findall(nodes.caption))
        caption = " ".join((captions[0].astext() if captions else spec.get("description", "")).split())
        headline = re.split(r"(?<=[.!?])\s", caption, maxsplit=1)[0].rstrip(".")  # its first sentence
        what = f"Figure {number}: “{headline}”" if number else f"“{headline}”"
        bib = citation.bibtex(f"doublingtime_{name}", title=f"Figure {number}: {headline}", build=build, url=url,
                              note=f"Figure {number} in {citation.TITLE}" if number else f"Figure in {citation.TITLE}")
        extras = (
            f'<div class="figure-extras"><p class="figure-downloads">Download: {links} · '
            f'<a class="figure-permalink" href="{html.escape(url)}">Permalink</a></p>'
            f'<details class="figure-cite"><summary>Cite this figure</summary>'
            f"{citation.citation_block(citation.text_citation(what=what, build=build, url=url), bib)}</details></div>"
        )
        figure.append(nodes.raw("", extras, format="html"))
        provenance.append((name, f"Figure {number}" if number else headline, spec.get("usermeta", {}).get("inputs", [])))
    if provenance:
        section = next(iter(doctree.findall(nodes.section)), doctree)
        section.append(nodes.raw("", page_provenance(provenance, build), format="html"))


def _print_figures(app, doctree) -> None:
    """The single-page build (the PDF's source): every chart holder gets its build-time SVG, written
    beside the page; the figure's downloads and citation stay on the web pages."""
    build = citation.current_build(app.config.html_baseurl or "")
    for figure in list(doctree.findall(nodes.figure)):
        raw = next((node for node in figure.findall(nodes.raw) if "vega-chart" in node.astext()), None)
        if raw is None or not figure["ids"]:
            continue
        name = figure["ids"][0]
        spec = json.loads(_SPEC.search(raw.astext()).group(1).replace("<\\/", "</"))
        _figure_files(spec, name, Path(app.outdir) / FIGURES, [], figure_credit(spec, build, build.url("")),
                      image_folder(app), renderer_of(app))
        prefix = posixpath.relpath(FIGURES, posixpath.dirname(app.config.root_doc) or ".")
        raw.parent.replace(raw, nodes.raw("", _named_holder(raw.astext(), name, prefix, _SVG_SIZES.get(name)), format="html"))


def _named_holder(text: str, name: str, prefix: str, size: tuple[int, int] | None = None) -> str:
    """The chart holder, told its figure's name (the chart menu's file names) and its build-time images,
    with the build-time SVG shown at once (first paint on slow links; the print and PDF version) until
    the bundle draws the live chart."""
    svg = f"{html.escape(prefix)}/{html.escape(name)}.svg"
    attributes = (f' data-name="{html.escape(name)}" data-png="{html.escape(prefix)}/{html.escape(name)}.png"'
                  f' data-svg="{svg}"')
    width, height = size or (0, 0)
    dimensions = f' width="{width}" height="{height}"' if width and height else ""
    image = f'<img class="chart-static" src="{svg}" alt=""{dimensions} decoding="async">'
    text = text.replace('<div class="vega-chart"', '<div class="vega-chart"' + attributes, 1)
    opening = text.index(">", text.index('<div class="vega-chart"')) + 1
    return text[:opening] + image + text[opening:]


def _png_jobs(app) -> list:
    if not hasattr(app, "_doubling_time_png_jobs"):
        app._doubling_time_png_jobs = []
    return app._doubling_time_png_jobs


# ------------------------------------------------------------------ build-time images, drawn off the write phase
#
# Each figure's SVG and PNG are a pure function of its export spec (and the vl-convert version), so
# they are kept in a content-addressed folder beside the build (``_build/.figure-images``, named by
# a hash of exactly what is drawn): a page whose figure did not change finds its images there. New
# ones are drawn by image workers, processes forked from the build as soon as a page's notebook has
# run (analysis.site.execution hands each executed notebook to ``prerender``), so they are drawn
# while the other pages execute and Sphinx reads and writes, instead of one after another in the
# write phase. Whatever a worker did not draw is drawn here, as before; the pages are the same.

IMAGE_FOLDER = ".figure-images"
IMAGE_WORKERS = 2
_IMAGE_DAYS = 3  # images unused for this long are removed from the folder
_vl_used_here = False  # vl-convert's runtime started in this process: forking it is unsafe from then on


def image_key(export: dict) -> str:
    """Names a figure's images: a hash of the spec they are drawn from and the drawing library."""
    text = json.dumps(export, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{vl_convert.__version__}|{vega_lite_version()}|{text}".encode()).hexdigest()[:32]


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file holds exactly these bytes already (its date then says when it last changed)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _draw_svg(export: dict) -> str:
    global _vl_used_here
    _vl_used_here = True
    return vl_convert.vegalite_to_svg(export, vl_version=vega_lite_version())


def _draw_png(svg: str) -> bytes:
    global _vl_used_here
    _vl_used_here = True
    return vl_convert.svg_to_png(svg, scale=2)


def _image_worker(connection, folder: str) -> None:
    """An image worker (a forked process): draw what the build sends, SVGs first (pages wait for
    them), then the bundle and the PNGs; report each file written; exit when told and done."""
    folder_path = Path(folder)
    first: list = []  # ("svg", key)
    later: list = []  # ("png", key, svg) and ("bundle", name)
    listening = True
    try:
        while listening or first or later:
            while listening and (connection.poll(0) or not (first or later)):
                message = connection.recv()
                if message is None:
                    listening = False
                else:
                    (first if message[0] == "svg" else later).append(message)
            if not (first or later):
                continue
            job = first.pop(0) if first else later.pop(0)
            if job[0] == "svg":
                key = job[1]
                spec_file = folder_path / f"{key}.json"
                svg = _draw_svg(json.loads(spec_file.read_text(encoding="utf-8")))
                _write_atomic(folder_path / f"{key}.svg", svg.encode("utf-8"))
                spec_file.unlink(missing_ok=True)
                later.append(("png", key, svg))
            elif job[0] == "png":
                _write_atomic(folder_path / f"{job[1]}.png", _draw_png(job[2]))
            else:
                _write_atomic(Path(job[2]), bundle_source().encode("utf-8"))
            connection.send(job[:2])
    except BaseException:  # noqa: BLE001 - the build draws whatever a dead worker did not
        pass
    finally:
        connection.close()
        os._exit(0)  # skip the build's exit handlers


class ImageRenderer:
    """The build's image workers: ``submit`` a figure's export spec (or the bundle), ``wait`` for a file."""

    def __init__(self, folder: Path, workers: int = IMAGE_WORKERS):
        import multiprocessing

        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        context = multiprocessing.get_context("fork")
        self.workers = []
        for _ in range(max(1, workers)):
            mine, theirs = context.Pipe(duplex=True)
            process = context.Process(target=_image_worker, args=(theirs, str(folder)), daemon=True)
            process.start()
            theirs.close()
            self.workers.append([process, mine, 0])  # process, connection, jobs given
        self.given: dict[tuple[str, str], int] = {}  # (kind, key) -> worker index
        self.done: set[tuple[str, str]] = set()
        self.dead: set[int] = set()

    def _send(self, message: tuple, kinds: tuple[str, ...]) -> None:
        index = min((i for i in range(len(self.workers)) if i not in self.dead),
                    key=lambda i: self.workers[i][2], default=None)
        if index is None:
            return
        try:
            self.workers[index][1].send(message)
        except OSError:
            self.dead.add(index)
            return
        self.workers[index][2] += 1
        for kind in kinds:
            self.given[(kind, message[1])] = index

    def submit(self, export: dict) -> str:
        """Have a worker draw this export spec's SVG and PNG, unless they are in the folder already."""
        key = image_key(export)
        svg, png = self.folder / f"{key}.svg", self.folder / f"{key}.png"
        if ("svg", key) in self.given or (svg.exists() and png.exists()):
            return key
        _write_atomic(self.folder / f"{key}.json", json.dumps(export).encode("utf-8"))
        self._send(("svg", key), ("svg", "png"))
        return key

    def submit_bundle(self, path: Path) -> None:
        self._send(("bundle", path.name, str(path)), ("bundle",))

    def has(self, kind: str, key: str) -> bool:
        return (kind, key) in self.given

    def wait(self, kind: str, key: str) -> bool:
        """Wait until a worker has written the file (True), or cannot (False: draw it here)."""
        while (kind, key) not in self.done:
            index = self.given.get((kind, key))
            if index is None or index in self.dead:
                return False
            try:
                self.done.add(tuple(self.workers[index][1].recv()))
            except (EOFError, OSError):
                self.dead.add(index)
        return True

    def close(self) -> None:
        for index, (process, connection, _) in enumerate(self.workers):
            if index not in self.dead:
                try:
                    connection.send(None)
                except OSError:
                    pass
        for process, connection, _ in self.workers:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
                process.join()
            connection.close()
        self.workers = []


def image_folder(app) -> Path:
    return Path(app.outdir).parent / IMAGE_FOLDER


def renderer_of(app) -> ImageRenderer | None:
    return getattr(app, "_doubling_time_renderer", None)


def start_renderer(app) -> ImageRenderer | None:
    """Fork the image workers (once per build; not where forking is impossible or unsafe) and give
    them the bundle, if none is kept."""
    import multiprocessing

    if renderer_of(app) is not None:
        return renderer_of(app)
    if _vl_used_here or IMAGE_WORKERS < 1 or app.builder.format != "html" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    renderer = ImageRenderer(image_folder(app))
    app._doubling_time_renderer = renderer
    if not _kept_bundle(app).exists():
        renderer.submit_bundle(_kept_bundle(app))
    return renderer


_GLUE_FIGURE = re.compile(r"^([:`]{3,})\{glue:figure\}[ \t]+(\S+)[ \t]*\n((?:[ \t]*:[\w-]+:.*\n)*)", re.M)
_GLUE_HTML = "application/papermill.record/text/html"


def notebook_figures(notebook: dict) -> list[tuple[str, dict]]:
    """(figure name, Vega-Lite spec) of every glued chart an executed notebook places with
    ``{glue:figure}`` and a ``:name:``: the spec as the write phase will read it from the page."""
    html_by_key = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", None) or []:
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get(_GLUE_HTML)
            if key and text:
                html_by_key[key] = "".join(text) if isinstance(text, list) else text
    found = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for match in _GLUE_FIGURE.finditer(source):
            options = dict(re.findall(r":([\w-]+):[ \t]*(.*)", match.group(3)))
            spec = _SPEC.search(html_by_key.get(match.group(2), ""))
            if options.get("name") and spec:
                found.append((nodes.make_id(options["name"].strip()), json.loads(spec.group(1).replace("<\\/", "</"))))
    return found


def prerender(app, notebook: dict, docname: str) -> None:
    """Hand the figures of a page's freshly executed notebook to the image workers."""
    if app.builder.format != "html" or app.builder.name == "singlehtml":
        return
    renderer = start_renderer(app)
    if renderer is None:
        return
    build = citation.current_build(app.config.html_baseurl or "")
    page = app.builder.get_target_uri(docname)
    for name, spec in notebook_figures(notebook):
        renderer.submit(export_spec(spec, figure_credit(spec, build, build.url(page, name))))


def figure_svg(export: dict, folder: Path | None = None, renderer: ImageRenderer | None = None) -> tuple[str, str]:
    """(key, SVG) of a figure: kept in ``folder``, drawn by a worker, or drawn here (and kept)."""
    key = image_key(export)
    if renderer is not None:
        renderer.wait("svg", key)
    path = folder / f"{key}.svg" if folder is not None else None
    if path is not None and path.exists():
        os.utime(path)  # in use: not pruned
        return key, path.read_text(encoding="utf-8")
    svg = _draw_svg(export)
    if path is not None:
        _write_atomic(path, svg.encode("utf-8"))
    return key, svg


def figure_png(key: str, svg: str, folder: Path | None = None, renderer: ImageRenderer | None = None) -> bytes:
    """A figure's PNG (2x, from its SVG): kept in ``folder``, drawn by a worker, or drawn here (and kept)."""
    if renderer is not None:
        renderer.wait("png", key)
    path = folder / f"{key}.png" if folder is not None else None
    if path is not None and path.exists():
        os.utime(path)
        return path.read_bytes()
    png = _draw_png(svg)
    if path is not None:
        _write_atomic(path, png)
    return png


def _stop_renderer(app, exception) -> None:
    """Let the workers finish and exit; forget images no build has used for a few days."""
    renderer = renderer_of(app)
    if renderer is None:
        return
    renderer.close()
    app._doubling_time_renderer = None
    import time

    cutoff = time.time() - _IMAGE_DAYS * 86400
    for path in renderer.folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _render_pngs(app, exception) -> None:
    """Write the queued PNGs (2x): kept or drawn by the image workers, the rest drawn here on all
    cores; a file that holds the same bytes already is left alone."""
    jobs = _png_jobs(app)
    if exception is not None or not jobs:
        return
    folder, renderer = image_folder(app), renderer_of(app)

    def render(job):
        key, svg, path = job
        _write_if_changed(path, figure_png(key, svg, folder, renderer))

    ours = [renderer is not None and renderer.has("png", key) for key, _, _ in jobs]
    for job, drawn_by_worker in zip(jobs, ours):  # waiting for the workers costs this process nothing
        if drawn_by_worker:
            render(job)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(render, [job for job, drawn_by_worker in zip(jobs, ours) if not drawn_by_worker]))
    jobs.clear()


def _footer(app, config) -> None:
    build = citation.current_build(config.html_baseurl or "")
    options = dict(config.html_theme_options or {})
    repository = citation.repository_url()
    commit = f"<code>{html.escape(build.commit)}</code>"
    link = citation.commit_url(build)
    if link:
        commit = f'<a href="{html.escape(link)}">{commit}</a>'
    source = f' · <a href="{html.escape(repository)}">source repository</a>' if repository else ""
    options["extra_footer"] = (
        f"<p>Doubling Time {build.version} · commit {commit} · built {build.date}{source} · "
        f'<a class="report-pdf" href="{_PDF_HREF}">the whole report as a PDF</a> · '
        "code MIT, text and figures CC BY 4.0 · data © METR and the sources named on each page</p>"
    )
    config.html_theme_options = options


_PDF_HREF = "@PDF@"  # replaced per page by the PDF's relative address (analysis.site.pdf writes the file)


def _pdf_link(app, pagename, templatename, context, doctree) -> None:
    """The footer's links to the PDF (every page) and, on a chapter, to its notebook (made by
    ``make pdf`` and ``make notebooks``: analysis.site.pdf, analysis.site.notebooks)."""
    footer = context.get("theme_extra_footer")
    if not footer or _PDF_HREF not in footer:
        return
    from analysis.site import notebooks
    from analysis.site.pdf import PDF_NAME

    footer = footer.replace(_PDF_HREF, html.escape(context["pathto"](PDF_NAME, 1)))
    name = posixpath.basename(pagename)
    if pagename == f"book/{name}" and name in notebooks.chapters():
        href = html.escape(context["pathto"](f"{notebooks.SITE_FOLDER}/{name}.ipynb", 1))
        footer = footer.replace("</p>", f' · <a class="chapter-notebook" href="{href}" download>this chapter as a '
                                        "runnable Jupyter notebook</a></p>", 1)
    context["theme_extra_footer"] = footer


def _published(relative: Path) -> bool:
    """Hidden names (an import's staging folder or journal, analysis.staging) and notes are never published."""
    return not relative.name.endswith(".md") and not any(part.startswith(".") for part in relative.parts)


def sync_tree(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly ``source``'s published files (``_published``), writing only the
    files whose bytes changed and removing the ones that are gone."""
    wanted = {path.relative_to(source) for path in source.rglob("*")
              if path.is_file() and _published(path.relative_to(source))}
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
            relative = path.relative_to(target)
            if path.is_file() and relative not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for relative in sorted(wanted):
        _write_if_changed(target / relative, (source / relative).read_bytes())


def _copy_data(app, exception) -> None:
    """Serve every table under data/ from the site, so the data page's links work offline."""
    if exception is not None or app.builder.format != "html":
        return
    staging.settle_tree(paths.DATA)  # an interrupted import: finish it before publishing
    target = Path(app.outdir) / "data"
    sync_tree(paths.DATA, target)
    for path in sorted(target.rglob("*.csv")):  # the served bytes are the committed ones: refuse, never rewrite
        for cell in formula_cells(path)[:3]:
            logger.error(f"{path.relative_to(target.parent)}: {cell}: a spreadsheet would run this cell as a formula")


def setup(app) -> dict:
    app.add_js_file(None, body=bundle_loader())
    app.add_css_file("report.css")
    app.connect("config-inited", _footer)
    app.connect("doctree-read", _fail_on_stderr)
    app.connect("doctree-resolved", _escape_inline_json, priority=400)  # before _figure_extras reads the specs
    app.connect("doctree-resolved", _figure_extras)
    app.connect("build-finished", _write_bundle)
    app.connect("build-finished", _render_pngs)
    app.connect("build-finished", _copy_data)
    app.connect("build-finished", _defer_icons)
    app.connect("build-finished", _stop_renderer, priority=900)  # after the bundle and the PNGs
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _pdf_link)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
