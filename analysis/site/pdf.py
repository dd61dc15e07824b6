"""The whole report as one PDF, built offline.

``python -m analysis.site.pdf`` (``make pdf``) builds Jupyter Book's single-page HTML
(``--builder singlehtml``, into ``_build/singlehtml``), opens it in Chromium through Playwright and
prints it to ``_build/pdf/doubling-time.pdf``. Charts print as their build-time SVGs (vector; the
print stylesheet in ``book/_static/report.css`` shows them instead of the live charts). The PDF is
also copied into ``_build/html`` when that exists, where every page's footer links it.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
import zlib
from pathlib import Path

from analysis import cli, paths
from analysis.site.website import PDF_NAME, offer_downloads

ROOT_PAGE = "book/intro.html"  # singlehtml writes the whole book into the root document's page

_IMAGES_READY = """() => [...document.querySelectorAll('img.chart-static')]
  .every(image => image.complete && image.naturalWidth > 0)"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _SinglePage(_Quiet):
    """Serves the single-page build as its page expects: Sphinx writes the root document to
    ``book/intro.html`` but links its styles and scripts as ``_static/...`` beside it, so
    ``/book/_static/`` is served from ``/_static/`` (without this the PDF printed unstyled, web
    furniture and all)."""

    def translate_path(self, path):
        if path.startswith("/book/_static/"):
            path = path[len("/book"):]
        return super().translate_path(path)


def build_singlehtml(root: Path = paths.ROOT, path_output: Path = paths.ROOT) -> Path:
    """Build the single-page HTML (executes every chapter); return its folder."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), "--builder", "singlehtml",
               "--path-output", str(path_output), "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("singlehtml build failed:\n" + result.stdout[-3000:] + result.stderr[-3000:])
    return path_output / "_build" / "singlehtml"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(folder: Path, target: Path, browser=None) -> dict:
    """Print the single page (``folder/book/intro.html``, the root document) with Chromium into
    ``target``; return what was printed: the chart images (source, natural width, drawn height) and
    the page's visible text, for checks. ``browser``: a Playwright browser already running (tests)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SinglePage, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{ROOT_PAGE}"
    try:
        if browser is not None:
            return _print(browser, url, target)
        from playwright.sync_api import sync_playwright

        executable = chromium()
        if not executable:
            raise RuntimeError("chromium not found: install Debian's chromium (apt-get install chromium)")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
            try:
                return _print(launched, url, target)
            finally:
                launched.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


def _print(browser, url: str, target: Path) -> dict:
    context = browser.new_context(viewport={"width": 1000, "height": 1400}, color_scheme="light")
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        response = page.goto(url, wait_until="load")
        if response is None or not response.ok:  # never print the server's error page as the report
            raise RuntimeError(f"{url}: HTTP {response.status if response else 'no response'}; nothing printed")
        page.wait_for_function(_IMAGES_READY, timeout=60_000)
        printed = {
            "images": page.eval_on_selector_all(
                "img.chart-static", "images => images.map(i => [i.getAttribute('src'), i.naturalWidth, i.getBoundingClientRect().height])"),
            "text": page.evaluate("document.body.innerText"),
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(target), format="A4", print_background=True, outline=True, tagged=True,
                 margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
        return printed
    finally:
        context.close()


def page_count(pdf: Path) -> int:
    """Pages in a PDF, counted from its page objects (no PDF library needed)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", _expanded(pdf.read_bytes())))


def outline_titles(pdf: Path) -> list[str]:
    """The PDF's bookmark titles (Chromium writes the headings as the outline with ``outline=True``)."""
    data = _expanded(pdf.read_bytes())
    titles = []
    for hexa, literal in re.findall(rb"/Title\s*(?:<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\))", data):
        if hexa:
            raw = bytes.fromhex(hexa.decode().replace(" ", "").replace("\n", ""))
        else:
            raw = re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)), literal)
        titles.append(raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1"))
    return titles


def _expanded(data: bytes) -> bytes:
    """The file with every Flate stream decompressed after it (object streams hold page objects)."""
    parts = [data]
    for match in re.finditer(rb"/FlateDecode.*?stream\r?\n", data, flags=re.S):
        start = match.end()
        end = data.find(b"endstream", start)
        try:
            parts.append(zlib.decompress(data[start:end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m analysis.site.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.ROOT / "_build" / "pdf" / PDF_NAME)
    parser.add_argument("--no-build", action="store_true", help="print the existing _build/singlehtml")
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args
    folder = paths.ROOT / "_build" / "singlehtml"
    if args.no_build and not (folder / ROOT_PAGE).is_file():
        return cli.fail(f"{folder / ROOT_PAGE}: no single-page build to print; run `make pdf` (without --no-build)")

    def act() -> str:
        printed = print_pdf(folder if args.no_build else build_singlehtml(), args.out)
        html_site = paths.ROOT / "_build" / "html"
        if html_site.is_dir():
            shutil.copyfile(args.out, html_site / PDF_NAME)
            offer_downloads(html_site)  # the footers now offer it
        return f"{args.out}: {page_count(args.out)} pages, {len(printed['images'])} charts"

    return cli.run(act, args.out)


if __name__ == "__main__":
    sys.exit(main())
