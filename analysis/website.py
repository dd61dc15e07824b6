"""Sphinx extension: serve the site's own Vega/Vega-Lite/vega-embed bundle, so charts need no network.

At the end of an HTML build it writes ``_static/vega-charts.js``, produced offline by
vl-convert-python from the pinned library versions, and every page loads it as a module script
(as a classic script its top-level names collide with the theme's globals). The bundled snippet
draws every ``div.vega-chart`` that ``analysis.charts`` emitted.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import vl_convert

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
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / BUNDLE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(bundle_source(), encoding="utf-8")


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


def setup(app) -> dict:
    app.add_js_file(BUNDLE_NAME, type="module")
    app.connect("build-finished", _write_bundle)
    app.connect("html-page-context", _drop_thebe)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
