"""How to cite the report, a chapter or a figure: version, commit, build date and BibTeX.

Used by the site extension (figure citations, page footer) and by the How-to-cite page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analysis import paths

TITLE = "Doubling Time: what METR's AI time-horizon measurements say about automated AI research"
AUTHOR = "{The Doubling Time authors}"


@dataclass(frozen=True)
class Build:
    version: str
    commit: str
    date: str  # YYYY-MM-DD
    base_url: str  # "" when the site's address is not configured

    def url(self, page: str, anchor: str = "") -> str:
        link = f"{self.base_url.rstrip('/')}/{page}" if self.base_url else page
        return f"{link}#{anchor}" if anchor else link


def version() -> str:
    return tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["version"]


def commit() -> str:
    """Short commit of the checkout, marked when the working tree has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=paths.ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if dirty else head


def build_date() -> str:
    """The build date; SOURCE_DATE_EPOCH (reproducible builds) wins over today's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


def current_build(base_url: str = "") -> Build:
    return Build(version=version(), commit=commit(), date=build_date(), base_url=base_url)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def bibtex(key: str, *, title: str, build: Build, url: str, note: str = "") -> str:
    fields = {
        "title": "{" + title + "}",
        "author": AUTHOR,
        "year": build.date[:4],
        "howpublished": "{Doubling Time, version " + build.version + ", commit " + build.commit + "}",
        "url": "{" + url + "}",
        "urldate": build.date,
    }
    if note:
        fields["note"] = "{" + note + "}"
    body = ",\n".join(f"  {name:<12} = {value if value.startswith('{') else '{' + value + '}'}" for name, value in fields.items())
    return f"@misc{{{_key(key)},\n{body}\n}}"


def text_citation(*, what: str, build: Build, url: str) -> str:
    return (f"The Doubling Time authors ({build.date[:4]}). {what}. Doubling Time, version {build.version} "
            f"(commit {build.commit}), built {build.date}. {url}")


def report_citation(build: Build) -> tuple[str, str]:
    url = build.url("book/intro.html")
    return (text_citation(what=TITLE, build=build, url=url),
            bibtex("doublingtime", title=TITLE, build=build, url=url))


def chapter_citations(build: Build, chapters: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(title, text, BibTeX) per chapter, from (page path, title) pairs."""
    out = []
    for page, title in chapters:
        url = build.url(page)
        out.append((title, text_citation(what=f"“{title}”, in {TITLE}", build=build, url=url),
                    bibtex(f"doublingtime_{Path(page).stem}", title=title, build=build, url=url,
                           note="Chapter of " + TITLE)))
    return out


def chapters_in_toc() -> list[tuple[str, str]]:
    """(HTML page, title) of every chapter in _toc.yml, titles from each file's first heading."""
    import yaml

    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text())
    files = [entry["file"] for part in toc.get("parts", []) for entry in part.get("chapters", [])]
    out = []
    for name in files:
        text = (paths.ROOT / f"{name}.md").read_text(encoding="utf-8")
        heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), name)
        out.append((f"{name}.html", heading))
    return out
