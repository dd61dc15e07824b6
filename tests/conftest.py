"""Shared fixtures: small synthetic inputs built in code, a small Params and a seeded Generator."""

import contextlib
import dataclasses
import http.server
import subprocess
import threading
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.params import PARAMS


@pytest.fixture
def params():
    return dataclasses.replace(PARAMS, n_bootstrap=500)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def benchmark_document(n_models: int = 3) -> dict:
    """A valid METR-style benchmark_results document with ``n_models`` models."""
    results = {}
    for i in range(n_models):
        p50 = 10.0 * 2**i
        results[f"model_{i}"] = {
            "benchmark_name": "METR-Horizon-v1.1",
            "release_date": f"202{3 + i}-01-15",
            "metrics": {
                "average_score": {"estimate": 0.3 + 0.1 * i},
                "is_sota": True,
                "p50_horizon_length": {"estimate": p50, "ci_low": p50 / 2, "ci_high": p50 * 2},
                "p80_horizon_length": {"estimate": p50 / 5, "ci_low": p50 / 10, "ci_high": p50 / 2},
            },
        }
    return {
        "benchmark_name": "METR-Horizon-v1.1",
        "doubling_time_in_days": {
            "all_time_stitched": {"point_estimate": 180.0},
            "from_2023_on": {"point_estimate": 120.0, "ci_low": 100.0, "ci_high": 150.0},
        },
        "results": results,
    }


@pytest.fixture
def write_benchmark(tmp_path):
    """Write a benchmark document (dict) or raw text to a YAML file and return its path."""

    def write(document, name="bench.yaml"):
        path = tmp_path / name
        text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def exponential_horizons(doubling_days: float, n: int = 12, start="2023-01-01", span_days=900, p50_at_start=10.0):
    """Frontier models on an exact exponential: p50 doubles every ``doubling_days``."""
    days = np.linspace(0, span_days, n)
    p50 = p50_at_start * 2.0 ** (days / doubling_days)
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(n)],
            "display_name": [f"Model {i}" for i in range(n)],
            "release_date": pd.Timestamp(start) + pd.to_timedelta(days, unit="D"),
            "benchmark": "1.1",
            "p50": p50,
            "p50_low": p50 / 2,
            "p50_high": p50 * 2,
            "p80": p50 / 4,
            "p80_low": p50 / 8,
            "p80_high": p50 / 2,
            "is_sota": True,
            "average_score": 0.5,
        }
    )


def build_site(out: Path) -> Path:
    """Build the whole book into ``out`` with warnings as errors; return the HTML folder."""
    from analysis import paths

    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.ROOT), "--all",
               "--path-output", str(out), "-n", "-W", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """One full build shared by every slow test."""
    return build_site(tmp_path_factory.mktemp("book"))


_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def shown(text: str) -> str:
    """Text as compared with a page: HTML entities undone, Sphinx's smart quotes made plain again."""
    import html

    return html.unescape(text).translate(_TYPOGRAPHY)


def pasted_texts(page_html: str) -> list[str]:
    """Every glued text a built page shows, as ``shown`` normalises it."""
    import re

    return [shown(text) for text in re.findall(r'<span class="pasted-text">(.*?)</span>', page_html, flags=re.S)]


def rendered_texts(spec: dict) -> list[str]:
    """The text marks of a chart spec as rendered by vl-convert (the same Vega runtime as the page)."""
    import vl_convert

    scenegraph = vl_convert.vegalite_to_scenegraph(spec, vl_version="v6.4")
    texts = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("marktype") == "text":
                # a text drawn on several lines (lineBreak): read as one line, the break a space
                texts.extend(item["text"].replace(item["lineBreak"], " ") if isinstance(item.get("lineBreak"), str)
                             else item.get("text") for item in node.get("items", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(scenegraph)
    return texts


@contextlib.contextmanager
def local_server(handler):
    """An HTTP server on a free local port, serving with ``handler`` (a request handler class or
    factory) on its own threads; yields its base URL and stops it on exit."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# page (book/<page>.md) -> the chapter whose results it shows (the landing page builds its own)
PAGE_CHAPTERS = {"trend": "trend", "eras": "eras", "timelines": "timelines", "labor": "labor", "methods": "methods",
                 "watch": "watch", "benchmarks": "benchmarks", "intro": "landing"}


def page_results() -> dict:
    """Every chapter page's results under its page name, as the book builds them."""
    from analysis.chapters import landing

    return {page: (landing.build(PARAMS) if name == "landing" else landing.chapter(name, PARAMS))
            for page, name in PAGE_CHAPTERS.items()}
