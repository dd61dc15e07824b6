"""Speed report for the site: build times against a one-page baseline, per-chapter execution time,
page weights, first paint.

``python -m analysis.site.speed`` (or ``make speed``) builds, in temporary folders, a one-page book whose
one code cell imports numpy, pandas, scipy and altair (the baseline), then this book from scratch,
then this book again after an edit to one chapter's prose, and prints the measurements. A report,
not a test: timings vary from machine to machine. Targets (2-core machine): clean build at most 3x
the baseline; a prose-only rebuild under 5 s; each page <= 300 KB beyond the shared vega bundle;
first chart visible within 3 s of navigation on a throttled slow-4G link (1.6 Mbps, 150 ms; Chromium's
network emulation through the DevTools protocol). ``python -m analysis.site.speed paint [SITE]`` measures
first paint of an already built site only.
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
from analysis.site.website import BUNDLE_NAME


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


def prose_rebuild(out: Path) -> tuple[float, float]:
    """Rebuilds after appending a sentence to one chapter, twice (the edits are undone afterwards).

    The first edit of a clean checkout also changes every page's footer (its commit gains
    "+changes"), so every page is written again; the second shows the steady state of editing."""
    chapter = paths.ROOT / "book" / "trend.md"
    original = chapter.read_bytes()
    try:
        chapter.write_bytes(original + b"\nA sentence added to time a prose-only rebuild.\n")
        first = _build(paths.ROOT, out)
        chapter.write_bytes(original + b"\nA sentence added to time a prose-only rebuild, edited again.\n")
        return first, _build(paths.ROOT, out)
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


class _Compressing(_Quiet):
    """Serves text files gzip-compressed when the browser accepts it, as static hosts do (GitHub
    Pages, Netlify, nginx's gzip_static): the slow-link measurement then sends what a reader's
    browser would receive."""

    TEXT = {".html", ".css", ".js", ".svg", ".json", ".csv", ".txt"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.suffix not in self.TEXT or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        import gzip
        import io

        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


# Chromium's network throttling for a slow 4G link (the reference): 1.6 Mbps down, 150 ms.
SLOW_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}

# True once the page's first chart is on screen: its build-time image decoded, or the live chart drawn.
_FIRST_CHART_VISIBLE = """() => {
  const holder = document.querySelector('div.vega-chart');
  if (!holder) return false;
  const image = holder.querySelector('img.chart-static');
  const shown = image && image.complete && image.naturalWidth > 0 && image.getBoundingClientRect().height > 0;
  return shown || !!holder.querySelector('.chart-live:not(.chart-pending) .marks');
}"""


def first_paint(site: Path, *, throttle: dict | None = None, compress: bool = True) -> list[tuple[str, float, float]]:
    """Per page with charts, a first visit (fresh context, nothing cached): ms from navigation start
    to the first chart visible (build-time image or live chart) and to every chart drawn live.
    ``throttle``: Chromium network conditions (e.g. SLOW_LINK) applied through the DevTools protocol.
    Text files are served gzip-compressed, as a static host would (``compress=False``: as stored)."""
    chromium = shutil.which("chromium")
    if not chromium:
        return []
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Compressing if compress else _Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    out = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                 "--disable-background-networking", "--disable-component-update"])
            for page_file in sorted((site / "book").glob("*.html")):
                if 'class="vega-chart"' not in page_file.read_text(encoding="utf-8"):
                    continue
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                page = context.new_page()
                if throttle:
                    session = context.new_cdp_session(page)
                    session.send("Network.enable")
                    session.send("Network.emulateNetworkConditions", throttle)
                page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/book/{page_file.name}", wait_until="commit")
                page.wait_for_function(_FIRST_CHART_VISIBLE, polling="raf", timeout=120_000)
                visible = page.evaluate("performance.now()")
                page.mouse.move(5, 5)  # a reader's first action loads the live charts
                page.wait_for_function("() => [...document.querySelectorAll('div.vega-chart')].every(h => h.classList.contains('is-live'))",
                                       timeout=180_000)
                live = page.evaluate("performance.now()")
                out.append((page_file.name, visible, live))
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return out


def first_visit(site: Path, page: str = "book/intro.html", *, throttle: dict | None = None,
                compress: bool = False) -> dict:
    """A first visit to one page (fresh context, nothing cached) until every chart is live and the
    network is idle: the files it loaded, their bytes as stored and gzip-compressed, and the ms to the
    first chart visible (build-time image or live chart). ``throttle``: as in ``first_paint``."""
    import gzip
    from urllib.parse import unquote, urlsplit

    chromium = shutil.which("chromium")
    if not chromium:
        return {}
    from playwright.sync_api import sync_playwright

    handler = _Compressing if compress else _Quiet
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    urls: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                 "--disable-background-networking", "--disable-component-update"])
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            tab = context.new_page()
            tab.on("requestfinished", lambda request: urls.append(request.url))
            if throttle:
                session = context.new_cdp_session(tab)
                session.send("Network.enable")
                session.send("Network.emulateNetworkConditions", throttle)
            tab.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{page}", wait_until="commit")
            first_chart = None
            if 'class="vega-chart"' in (site / page).read_text(encoding="utf-8"):
                tab.wait_for_function(_FIRST_CHART_VISIBLE, polling="raf", timeout=180_000)
                first_chart = tab.evaluate("performance.now()")
                tab.wait_for_load_state("networkidle")
                before = list(dict.fromkeys(urls))  # what a reader who has not yet acted has loaded
                tab.mouse.move(5, 5)
                tab.wait_for_function("() => [...document.querySelectorAll('div.vega-chart')].every(h => h.classList.contains('is-live'))",
                                      timeout=300_000)
            tab.wait_for_load_state("networkidle")
            context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    def sizes(loaded):
        out = []
        for url in loaded:
            path = site / unquote(urlsplit(url).path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if path.is_file():
                data = path.read_bytes()
                out.append((path.relative_to(site).as_posix(), len(data), len(gzip.compress(data, compresslevel=6, mtime=0))))
        return out

    before = sizes(before if first_chart is not None else list(dict.fromkeys(urls)))
    files = []
    for url in dict.fromkeys(urls):
        path = site / unquote(urlsplit(url).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            data = path.read_bytes()
            files.append((path.relative_to(site).as_posix(), len(data), len(gzip.compress(data, compresslevel=6, mtime=0))))
    return {"files": before, "bytes": sum(f[1] for f in before), "gzip_bytes": sum(f[2] for f in before),
            "live_bytes": sum(f[1] for f in files), "first_chart_ms": first_chart}


# Targets for a first visit to the landing page (issue 21): under 1.5 MB as stored, first chart image
# within 3 s on the slow link with files sent uncompressed.
LANDING_BYTES_TARGET = 1.5e6
FIRST_CHART_SLOW_TARGET_MS = 3000


def print_first_visit(site: Path, page: str = "book/intro.html") -> None:
    fast = first_visit(site, page)
    if not fast:
        print("first visit: skipped (chromium not installed)")
        return
    print(f"first visit to {page}: {len(fast['files'])} files, {fast['bytes'] / 1e6:.2f} MB as stored "
          f"(target < {LANDING_BYTES_TARGET / 1e6:.1f} MB), {fast['gzip_bytes'] / 1e6:.2f} MB gzip-compressed; "
          f"{fast['live_bytes'] / 1e6:.2f} MB once the reader acts and the live charts load")
    for name, size, packed in sorted(fast["files"], key=lambda item: -item[1])[:6]:
        print(f"  {name:48s} {size / 1024:7.0f} KB ({packed / 1024:.0f} KB gzip)")
    for compress in (False, True):
        slow = first_visit(site, page, throttle=SLOW_LINK, compress=compress)
        served = "gzip" if compress else "uncompressed"
        target = f" (target < {FIRST_CHART_SLOW_TARGET_MS} ms)" if not compress else ""
        if slow.get("first_chart_ms") is not None:
            print(f"  slow 4G (1.6 Mbps, 150 ms), files {served}: first chart image at {slow['first_chart_ms']:.0f} ms{target}")


def print_first_paint(site: Path, *, compress: bool = True) -> None:
    served = "gzip, as static hosts serve" if compress else "uncompressed"
    for label, throttle in (("no throttling", None), ("slow 4G: 1.6 Mbps, 150 ms (target: first chart <= 3000 ms)", SLOW_LINK)):
        paint = first_paint(site, throttle=throttle, compress=compress)
        if not paint:
            print("first paint: skipped (chromium not installed)")
            return
        print(f"first chart visible, first visit, {label}, files {served}:")
        print(f"  {'page':24s} {'first chart':>12s} {'all charts live':>16s}")
        for name, visible, live in paint:
            print(f"  {name:24s} {visible:9.0f} ms {live:13.0f} ms")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as base:
        baseline = baseline_build(Path(base))
        seconds = clean_build(Path(folder))
        rebuild = prose_rebuild(Path(folder))
        site = Path(folder) / "_build" / "html"
        print(f"one-page baseline build: {baseline:.1f} s")
        print(f"clean build: {seconds:.1f} s = {seconds / baseline:.1f}x the baseline (target <= 3x)")
        print(f"rebuild after a prose edit: {rebuild[1]:.1f} s (target < 5 s); the first edit of a clean "
              f"checkout, which also changes every page's footer: {rebuild[0]:.1f} s")
        print("chapter execution (s):")
        for name, value in execution_times(site):
            print(f"  {name:24s} {value:6.2f}")
        bundle = (site / "_static" / BUNDLE_NAME).stat().st_size
        print(f"shared vega bundle: {bundle / 1024:.0f} KB")
        print("page weight, HTML only (target <= 300 KB):")
        for name, size in page_weights(site):
            print(f"  {name:24s} {size / 1024:7.0f} KB")
        print_first_visit(site)
        print_first_paint(site)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["paint"]:  # python -m analysis.site.speed paint [--no-gzip] [SITE]: first paint of a built site
        rest = [arg for arg in sys.argv[2:] if arg != "--no-gzip"]
        site = Path(rest[0]) if rest else paths.ROOT / "_build" / "html"
        print_first_visit(site)
        print_first_paint(site, compress="--no-gzip" not in sys.argv)
        sys.exit(0)
    sys.exit(main())
