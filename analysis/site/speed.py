"""Speed report for the site: build times against a one-page baseline, per-chapter execution time,
page weights, first paint.

``python -m analysis.site.speed`` (or ``make speed``) builds, in temporary folders, a one-page book whose
one code cell imports numpy, pandas, scipy and altair (the baseline), then this book from scratch,
then this book again after an edit to one chapter's prose, and prints the measurements. A report,
not a test: timings vary from machine to machine. Targets (2-core machine): clean build at most 3x
the baseline; a prose-only rebuild under 5 s; each page <= 300 KB beyond the shared vega bundle;
first chart visible within 3 s of navigation on a throttled slow-4G link (1.6 Mbps, 150 ms; Chromium's
network emulation through the DevTools protocol); the fast tests under 60 s and the whole suite (.ci/run)
under 6 minutes. Builds are timed ``--runs N`` times (3), the baseline and the clean build in turn, and
reported as min / median; ``--tests`` also times the tests (``--test-runs N`` times, 1), ``--record`` (which implies it) writes
``book/speed.json``, from which the reproducibility page shows the targets.
``python -m analysis.site.speed paint [SITE]`` measures first paint of an already built site only;
``python -m analysis.site.speed same OLD NEW`` says whether two built sites hold the same bytes (the
commit and the execution times masked).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
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
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"error: the build of {source} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
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
    files = sizes(list(dict.fromkeys(urls)))
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


# ------------------------------------------------------------------ two builds of the same sources: the same pages

_COMMIT = re.compile(r"· commit (?:<a [^>]*>)?<code>([^<]+)</code>")
# The reproducibility page's execution table: when each page ran and how long it took (differs by design).
_RUN_STAMPS = (re.compile(r"<td><p>\d{4}-\d{2}-\d{2} \d{2}:\d{2}</p></td>"), re.compile(r"<td><p>\d+\.\d+</p></td>"))


def _masked(site: Path, relative: str, data: bytes, commit: str | None) -> bytes:
    """A built file with what differs between two builds of the same sources by design masked: the
    commit the site was built from (footers, citations) and, on the reproducibility page, when each
    page was executed and how long it took."""
    if commit:  # "0123456789+changes" for a tree with uncommitted changes: its link names the commit alone
        for name in dict.fromkeys((commit, commit.split("+")[0])):
            data = data.replace(name.encode(), b"@COMMIT@")
    if relative == ".buildinfo":  # the configuration's hash: the footer names the commit
        data = re.sub(rb"(?m)^config: \w+$", b"config: @CONFIG@", data)
    if relative == "searchindex.js":
        data = _masked_search_index(data)
    if relative == "book/reproducibility.html":
        text = data.decode("utf-8")
        for pattern in _RUN_STAMPS:
            text = pattern.sub("<td><p>@RUN@</p></td>", text)
        data = text.encode("utf-8")
    return data


def _masked_search_index(data: bytes) -> bytes:
    """Sphinx's search index without the numeric terms' entries for the reproducibility page (its
    execution table's times and seconds are words to the index)."""
    import json

    text = data.decode("utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    if not (text.startswith(prefix) and text.endswith(suffix)):
        return data
    index = json.loads(text[len(prefix):-len(suffix)])
    if "book/reproducibility" not in index.get("docnames", []):
        return data
    page = index["docnames"].index("book/reproducibility")
    terms = {}
    for term, docs in index.get("terms", {}).items():
        docs = docs if isinstance(docs, list) else [docs]
        if re.fullmatch(r"[\d.]+", term):
            docs = [doc for doc in docs if doc != page]
        if docs:
            terms[term] = docs
    index["terms"] = terms
    return json.dumps(index, sort_keys=True).encode("utf-8")


def _site_commit(site: Path) -> str | None:
    page = site / "book" / "intro.html"
    match = _COMMIT.search(page.read_text(encoding="utf-8")) if page.exists() else None
    return match.group(1) if match else None


def site_differences(old: Path, new: Path) -> list[str]:
    """Every file that differs between two built sites (``_build/html``), or is in one only, once the
    parts that differ by design are masked (``_masked``); empty when the pages are byte-identical."""
    files = {path.relative_to(site).as_posix() for site in (old, new) for path in site.rglob("*") if path.is_file()}
    commits = _site_commit(old), _site_commit(new)
    out = []
    for relative in sorted(files):
        a, b = old / relative, new / relative
        if not (a.is_file() and b.is_file()):
            out.append(f"{relative}: only in {old if a.is_file() else new}")
        elif _masked(old, relative, a.read_bytes(), commits[0]) != _masked(new, relative, b.read_bytes(), commits[1]):
            out.append(f"{relative}: differs")
    return out


# ------------------------------------------------------------------ targets, measured in pairs, and the committed record

RECORD = paths.ROOT / "book" / "speed.json"  # the last `make speed --record`, shown on the reproducibility page
TARGETS = {  # measurement -> (limit, unit, what it means)
    "clean_ratio": (3.0, "x", "clean build, as a multiple of the one-page book built in the same run"),
    "prose_rebuild_seconds": (5.0, "s", "rebuild after an edit to one chapter's prose"),
    "fast_tests_seconds": (60.0, "s", 'the fast part of the tests, on two processes (make test-fast)'),
    "fast_tests_serial_seconds": (60.0, "s", 'the fast part of the tests, on one process (pytest -m "not slow")'),
    "ci_seconds": (360.0, "s", "the whole test suite, as .ci/run runs it once installed (the book build included)"),
}


def summary(values: list[float]) -> dict[str, float]:
    """min and median of repeated measurements (the median to quote: the machine is shared)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {"min": round(ordered[0], 2), "median": round(median, 2), "runs": len(ordered)}


def _timed(command: list[str], failures: list[str]) -> float:
    """Seconds a command took; its last line is added to ``failures`` if it failed (timed all the same)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=paths.ROOT, capture_output=True, text=True)
    if result.returncode:
        failures.append(f"{' '.join(command[1:])}: {(result.stdout.strip().splitlines() or [''])[-1]}")
    return time.perf_counter() - start


def measure(runs: int = 3, *, tests: bool = False, test_runs: int = 1) -> tuple[dict, Path | None]:
    """Each build ``runs`` times, the baseline and the clean build in turn (A B A B ...), so that
    their ratio is taken pair by pair while the machine's speed drifts; then the prose-edit
    rebuild; with ``tests``, the fast tests and the whole suite (what .ci/run runs) too.
    Returns the measurements and the last clean build's output folder (the caller removes it)."""
    baselines, cleans, ratios, rebuilds, out = [], [], [], [], None
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as base:
            baseline = baseline_build(Path(base))
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        out = Path(tempfile.mkdtemp(prefix="doubling-time-speed-"))
        seconds = clean_build(out)
        baselines.append(baseline)
        cleans.append(seconds)
        ratios.append(seconds / baseline)
        rebuilds.append(prose_rebuild(out)[1])
    site = out / "_build" / "html"
    record = {
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "baseline_seconds": summary(baselines),
        "clean_seconds": summary(cleans),
        "clean_ratio": summary(ratios),
        "prose_rebuild_seconds": summary(rebuilds),
        "chapters": dict(execution_times(site)),
    }
    if tests:
        python, failures = str(Path(sys.executable)), []
        fast = [python, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider"]
        record["fast_tests_seconds"] = summary([_timed(fast + ["-n", "2"], failures) for _ in range(test_runs)])
        record["fast_tests_serial_seconds"] = summary([_timed(fast, failures) for _ in range(test_runs)])
        record["ci_seconds"] = summary([_timed([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], failures)])
        record["test_failures"] = failures
    return record, out


def load_record(path: Path = RECORD) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def targets_table(record: dict) -> list[tuple[str, str, str, str]]:
    """(target, limit, measured min / median, met?) for each target the record measured; met
    means the median is within the limit."""
    rows = []
    for name, (limit, unit, what) in TARGETS.items():
        value = record.get(name)
        if not value:
            continue
        rows.append((what, f"≤ {limit:g} {unit}" if unit == "x" else f"< {limit:g} {unit}",
                     f"{value['min']:.1f} / {value['median']:.1f} {unit} ({value['runs']} run{'s' if value['runs'] > 1 else ''})",
                     "yes" if value["median"] <= limit else "no"))
    return rows


def targets_html(path: Path = RECORD) -> str:
    """The reproducibility page's table of the speed targets, from the committed record."""
    import html

    if not path.is_file():
        return f"<p>Not measured yet: <code>make speed SPEED=--record</code> writes <code>{html.escape(path.name)}</code>.</p>"
    record = load_record(path)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in ("Target", "Limit", "Measured: min / median", "Met"))
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in targets_table(record))
    baseline = record["baseline_seconds"]
    note = (f"Measured {html.escape(record['measured'])} on {record['cores']} shared cores; the one-page book "
            f"took {baseline['min']:.1f} / {baseline['median']:.1f} s (min / median).")
    if record.get("test_failures"):
        note += " Some tests failed in that run (timed all the same): " + html.escape("; ".join(record["test_failures"])) + "."
    return f'<table class="speed-targets"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p>{note}</p>'


def print_record(record: dict) -> None:
    baseline = record["baseline_seconds"]
    print(f"one-page baseline build: {baseline['min']:.1f} / {baseline['median']:.1f} s (min / median of {baseline['runs']})")
    clean = record["clean_seconds"]
    print(f"clean build: {clean['min']:.1f} / {clean['median']:.1f} s")
    for what, limit, measured, met in targets_table(record):
        print(f"{what}: {measured} (target {limit}): {'met' if met == 'yes' else 'NOT met'}")
    for failure in record.get("test_failures", []):
        print(f"tests failed (timed all the same): {failure}")
    print("chapter execution (s), last clean build:")
    for name, value in record["chapters"].items():
        print(f"  {name:24s} {value:6.2f}")


def record_fast_tests(runs: int = 1) -> dict:
    """Time the fast tests on two processes again and put them into the committed record."""
    record, failures = load_record(), []
    fast = [str(Path(sys.executable)), "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider", "-n", "2"]
    record["fast_tests_seconds"] = summary([_timed(fast, failures) for _ in range(runs)])
    record["test_failures"] = list(dict.fromkeys(record.get("test_failures", []) + failures))
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return record


def main(argv: list[str]) -> int:
    """make speed [--runs N] [--tests] [--test-runs N] [--record] [--no-paint]; --fast-tests-only re-times
    the fast tests alone into the record."""
    if "--fast-tests-only" in argv:
        print_record(record_fast_tests(int(argv[argv.index("--test-runs") + 1]) if "--test-runs" in argv else 1))
        return 0
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    test_runs = int(argv[argv.index("--test-runs") + 1]) if "--test-runs" in argv else 1
    record, out = measure(runs, tests=("--tests" in argv or "--record" in argv) and "--no-tests" not in argv,
                          test_runs=test_runs)
    try:
        print_record(record)
        site = out / "_build" / "html"
        bundle = (site / "_static" / BUNDLE_NAME).stat().st_size
        print(f"shared vega bundle: {bundle / 1024:.0f} KB")
        print("page weight, HTML only (target <= 300 KB):")
        for name, size in page_weights(site):
            print(f"  {name:24s} {size / 1024:7.0f} KB")
        if "--no-paint" not in argv:
            print_first_visit(site)
            print_first_paint(site)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if "--record" in argv:
        RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded in {RECORD.relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["same"]:  # python -m analysis.site.speed same OLD_SITE NEW_SITE: byte-identical pages?
        differences = site_differences(Path(sys.argv[2]), Path(sys.argv[3]))
        print("\n".join(differences) or "the two sites are the same (commit and execution times masked)")
        sys.exit(1 if differences else 0)
    if sys.argv[1:2] == ["paint"]:  # python -m analysis.site.speed paint [--no-gzip] [SITE]: first paint of a built site
        rest = [arg for arg in sys.argv[2:] if arg != "--no-gzip"]
        site = Path(rest[0]) if rest else paths.ROOT / "_build" / "html"
        print_first_visit(site)
        print_first_paint(site, compress="--no-gzip" not in sys.argv)
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
