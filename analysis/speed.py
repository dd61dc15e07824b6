"""Speed report for the site: build times against a one-page baseline, per-chapter execution time,
page weights, first paint.

``python -m analysis.speed`` (or ``make speed``) builds, in temporary folders, a one-page book whose
one code cell imports numpy, pandas, scipy and altair (the baseline), then this book from scratch,
then this book again after an edit to one chapter's prose, and prints the measurements. A report,
not a test: timings vary from machine to machine. Targets (2-core machine): clean build at most 3x
the baseline; a prose-only rebuild under 5 s; each page <= 300 KB beyond the shared vega bundle;
first chart painted <= 1 s after load.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from analysis import paths
from analysis.website import BUNDLE_NAME


BASELINE_PAGE = """---
kernelspec: {name: python3, display_name: Python 3, language: python}
jupytext: {text_representation: {extension: .md, format_name: myst}}
---
# One page

```{code-cell} ipython3
import altair, numpy, pandas, scipy.stats
```
"""


def _build(source: Path, out: Path) -> float:
    start = time.perf_counter()
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(source),
               "--path-output", str(out), "-n", "-W", "--keep-going"]
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def clean_build(out: Path) -> float:
    return _build(paths.ROOT, out)


def baseline_build(folder: Path) -> float:
    """A one-page Jupyter Book with one code cell that imports the scientific stack."""
    (folder / "_config.yml").write_text("title: baseline\nexecute: {execute_notebooks: force}\n", encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    (folder / "page.md").write_text(BASELINE_PAGE, encoding="utf-8")
    return _build(folder, folder)


def prose_rebuild(out: Path) -> float:
    """Rebuild after appending a sentence to one chapter (the edit is undone afterwards)."""
    chapter = paths.ROOT / "book" / "trend.md"
    original = chapter.read_bytes()
    try:
        chapter.write_bytes(original + b"\nA sentence added to time a prose-only rebuild.\n")
        return _build(paths.ROOT, out)
    finally:
        chapter.write_bytes(original)


def execution_times(site: Path) -> list[tuple[str, float]]:
    """Per-chapter run times, as MyST-NB records them on the reproducibility page."""
    html = (site / "book" / "reproducibility.html").read_text(encoding="utf-8")
    out = []
    for row in re.findall(r"<tr.*?</tr>", html, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
        if len(cells) >= 4 and cells[0].startswith("book/"):
            out.append((cells[0], float(cells[3])))
    return out


def page_weights(site: Path) -> list[tuple[str, int]]:
    return sorted(((page.relative_to(site).as_posix(), page.stat().st_size) for page in (site / "book").glob("*.html")),
                  key=lambda item: -item[1])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def first_paint(site: Path) -> list[tuple[str, float, float]]:
    """Per page with charts: ms from navigation start, and from DOMContentLoaded, to the first drawn
    chart. Each page opens in a fresh browser context, so nothing is cached (a first visit)."""
    chromium = shutil.which("chromium")
    if not chromium:
        return []
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    out = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                 "--disable-background-networking", "--disable-component-update"])
            for page_file in sorted((site / "book").glob("*.html")):
                if 'class="vega-chart"' not in page_file.read_text(encoding="utf-8"):
                    continue
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/book/{page_file.name}", wait_until="commit")
                page.wait_for_selector("div.vega-chart .marks", timeout=20_000)
                painted = page.evaluate("performance.now()")
                loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
                out.append((page_file.name, painted, painted - loaded))
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as base:
        baseline = baseline_build(Path(base))
        seconds = clean_build(Path(folder))
        rebuild = prose_rebuild(Path(folder))
        site = Path(folder) / "_build" / "html"
        print(f"one-page baseline build: {baseline:.1f} s")
        print(f"clean build: {seconds:.1f} s = {seconds / baseline:.1f}x the baseline (target <= 3x)")
        print(f"rebuild after a prose edit: {rebuild:.1f} s (target < 5 s)")
        print("chapter execution (s):")
        for name, value in execution_times(site):
            print(f"  {name:24s} {value:6.2f}")
        bundle = (site / "_static" / BUNDLE_NAME).stat().st_size
        print(f"shared vega bundle: {bundle / 1024:.0f} KB")
        print("page weight, HTML only (target <= 300 KB):")
        for name, size in page_weights(site):
            print(f"  {name:24s} {size / 1024:7.0f} KB")
        paint = first_paint(site)
        if paint:
            print("first chart painted, first visit (target <= 1000 ms after load):")
            print(f"  {'page':24s} {'from navigation':>16s} {'after DOMContentLoaded':>24s}")
            for name, from_start, after_load in paint:
                print(f"  {name:24s} {from_start:13.0f} ms {after_load:21.0f} ms")
        else:
            print("first paint: skipped (chromium not installed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
