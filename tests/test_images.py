"""Build-time figure images drawn off Sphinx's write phase: the figures a page's executed notebook
places, image workers that draw exactly what the write phase would, images kept by what they draw,
and the data folder published by writing only what changed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import vl_convert

from analysis import paths
from analysis.site import website

SPEC = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": "Two points",
        "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 1}]}, "mark": "point",
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
        "width": 200, "height": 100}


def executed_notebook(spec: dict) -> dict:
    holder = ('<div class="vega-chart" role="figure" aria-label="x"><script type="application/vnd.vegalite+json">'
              + json.dumps(spec).replace("</", "<\\/") + "</script></div>")
    glue = {"output_type": "display_data", "metadata": {"scrapbook": {"name": "fig_two", "mime_prefix": "application/papermill.record/"}},
            "data": {"application/papermill.record/text/html": holder, "application/papermill.record/text/plain": "chart"}}
    return {"cells": [
        {"cell_type": "code", "source": "result.glue()", "outputs": [glue]},
        {"cell_type": "markdown", "source": ":::{glue:figure} fig_two\n:name: fig-two\n\nTwo points.\n:::\n\n"
                                            "```{glue:figure} fig_missing\n:name: fig-missing\n```\n"},
    ]}


def test_the_figures_a_notebook_places_are_found_with_their_names_and_specs():
    spec = {**SPEC, "description": "a </script> in the text"}
    assert website.notebook_figures(executed_notebook(spec)) == [("fig-two", spec)]  # fig_missing has no output


def test_images_are_kept_under_a_name_for_exactly_what_they_draw(tmp_path):
    export = website.export_spec(SPEC, ["Source: a test."])
    key, svg = website.figure_svg(export, tmp_path)
    assert svg == vl_convert.vegalite_to_svg(export, vl_version=website.vega_lite_version())  # drawn as before
    assert (tmp_path / f"{key}.svg").read_text(encoding="utf-8") == svg
    (tmp_path / f"{key}.svg").write_text("<svg>kept</svg>", encoding="utf-8")
    assert website.figure_svg(export, tmp_path) == (key, "<svg>kept</svg>")  # found, not drawn again
    other = website.export_spec(SPEC, ["Source: another test."])
    assert website.image_key(other) != key  # a different credit line is a different image
    png = website.figure_png(key, svg, tmp_path)
    assert png == vl_convert.svg_to_png(svg, scale=2) and (tmp_path / f"{key}.png").read_bytes() == png


def test_image_workers_draw_the_same_bytes_as_the_build_would(tmp_path):
    # In a fresh process: forking is only safe before vl-convert has started in the forking process.
    script = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        import vl_convert
        from analysis.site import website
        spec = json.loads({json.dumps(json.dumps(SPEC))})
        exports = [website.export_spec({{**spec, "width": width}}, ["Source: a test."]) for width in (150, 200, 250)]
        folder = Path({str(tmp_path)!r})
        website.bundle_source = lambda: "the bundle"  # the real one takes seconds (tests/test_website.py checks it)
        renderer = website.ImageRenderer(folder, workers=2)
        bundle = folder / "bundle.js"
        renderer.submit_bundle(bundle)
        keys = [renderer.submit(export) for export in exports]
        assert all(renderer.wait("svg", key) and renderer.wait("png", key) for key in keys)
        assert renderer.wait("bundle", bundle.name)
        renderer.close()
        for key, export in zip(keys, exports):
            svg = vl_convert.vegalite_to_svg(export, vl_version=website.vega_lite_version())
            assert (folder / f"{{key}}.svg").read_text(encoding="utf-8") == svg, key
            assert (folder / f"{{key}}.png").read_bytes() == vl_convert.svg_to_png(svg, scale=2), key
            assert not (folder / f"{{key}}.json").exists()
        assert bundle.read_text(encoding="utf-8") == "the bundle"
        print("same")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=paths.ROOT)
    assert result.returncode == 0 and result.stdout.strip() == "same", result.stderr[-3000:]


def test_a_dead_worker_leaves_the_drawing_to_the_build(tmp_path):
    renderer = website.ImageRenderer(tmp_path, workers=1)  # killed before it draws anything: safe to fork here
    os.kill(renderer.workers[0][0].pid, signal.SIGKILL)
    renderer.workers[0][0].join()
    export = website.export_spec(SPEC, [])
    key = renderer.submit(export)
    assert renderer.wait("svg", key) is False  # told at once, not left waiting
    assert website.figure_svg(export, tmp_path, renderer) == (key, vl_convert.vegalite_to_svg(export, vl_version=website.vega_lite_version()))
    renderer.close()


def test_the_data_folder_is_published_by_writing_only_what_changed(tmp_path):
    source, target = tmp_path / "data", tmp_path / "site" / "data"
    (source / "metr" / ".staging").mkdir(parents=True)
    (source / "metr" / "a.csv").write_text("x\n1\n")
    (source / "metr" / "README.md").write_text("notes")
    (source / "metr" / ".staging" / "b.csv").write_text("half-written")
    (source / "c.csv").write_text("y\n2\n")
    website.sync_tree(source, target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == ["c.csv", "metr/a.csv"]
    os.utime(target / "c.csv", (1, 1))
    (source / "metr" / "a.csv").write_text("x\n3\n")
    (source / "c.csv").unlink()
    (target / "old").mkdir()
    (target / "old" / "gone.csv").write_text("z")
    website.sync_tree(source, target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == ["metr", "metr/a.csv"]
    assert (target / "metr" / "a.csv").read_text() == "x\n3\n"
    (source / "c.csv").write_text("y\n2\n")
    (target / "c.csv").write_text("y\n2\n")
    os.utime(target / "c.csv", (1, 1))
    website.sync_tree(source, target)
    assert (target / "c.csv").stat().st_mtime == 1  # the same bytes: not written again
