"""How to cite the report, a chapter or a figure: version, commit, build date and BibTeX.

Used by the site extension (figure citations, page footer) and by the How-to-cite page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
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
    return paths.version()


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


def _config() -> dict:
    import yaml

    return yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8")) or {}


def configured_base_url() -> str:
    """The site's canonical address, set once in _config.yml (``html: baseurl``, Sphinx's
    ``html_baseurl``), with a trailing slash; "" if unset."""
    url = (_config().get("html") or {}).get("baseurl") or ""
    return url.rstrip("/") + "/" if url else ""


def repository_url() -> str:
    """The source repository's address (``repository: url`` in _config.yml); "" if unset."""
    return ((_config().get("repository") or {}).get("url") or "").rstrip("/")


def commit_url(build: Build) -> str:
    """A link to the commit the site was built from ("" without a repository or a commit)."""
    sha = build.commit.split("+")[0]
    if not repository_url() or not re.fullmatch(r"[0-9a-f]{7,40}", sha):
        return ""
    return f"{repository_url()}/commit/{sha}"


def current_build(base_url: str | None = None) -> Build:
    """This build; ``base_url`` defaults to the configured canonical address, so every URL a citation
    carries is absolute."""
    base = configured_base_url() if base_url is None else base_url
    return Build(version=version(), commit=commit(), date=build_date(), base_url=base)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def bibtex(key: str, *, title: str, build: Build, url: str, note: str = "", entry_type: str = "misc",
           booktitle: str = "") -> str:
    """A BibTeX entry. ``entry_type`` "misc" (the report, figures, back matter) or "incollection" (a
    chapter, with ``booktitle`` the report's title)."""
    fields = {"title": "{" + title + "}", "author": AUTHOR}
    if entry_type == "incollection":
        fields["booktitle"] = "{" + (booktitle or TITLE) + "}"
        fields["publisher"] = "{The Doubling Time authors}"
        fields["edition"] = "{version " + build.version + ", commit " + build.commit + "}"
    else:
        fields["howpublished"] = "{Doubling Time, version " + build.version + ", commit " + build.commit + "}"
    fields |= {"year": build.date[:4], "url": "{" + url + "}", "urldate": build.date}
    if note:
        fields["note"] = "{" + note + "}"
    body = ",\n".join(f"  {name:<12} = {value if value.startswith('{') else '{' + value + '}'}" for name, value in fields.items())
    return f"@{entry_type}{{{_key(key)},\n{body}\n}}"


def text_citation(*, what: str, build: Build, url: str) -> str:
    return (f"The Doubling Time authors ({build.date[:4]}). {what}. Doubling Time, version {build.version} "
            f"(commit {build.commit}), built {build.date}. {url}")


def report_citation(build: Build) -> tuple[str, str]:
    url = build.url("book/intro.html")
    return (text_citation(what=TITLE, build=build, url=url),
            bibtex("doublingtime", title=TITLE, build=build, url=url))


def chapter_citations(build: Build, chapters: list[tuple[str, ...]]) -> list[tuple[str, str, str]]:
    """(title, text, BibTeX) per page, from (page path, title[, numbered]) tuples: a numbered chapter
    is an @incollection in the report; back matter (not numbered) is @misc."""
    out = []
    for page, title, *rest in chapters:
        numbered = rest[0] if rest else True
        url = build.url(page)
        key = f"doublingtime_{Path(page).stem}"
        if numbered:
            entry = bibtex(key, title=title, build=build, url=url, entry_type="incollection")
        else:
            entry = bibtex(key, title=title, build=build, url=url, note="Back matter of " + TITLE)
        out.append((title, text_citation(what=f"“{title}”, in {TITLE}", build=build, url=url), entry))
    return out


def chapters_in_toc() -> list[tuple[str, str, bool]]:
    """(HTML page, title, numbered) of every page in _toc.yml's parts, titles from each file's first
    heading; ``numbered`` is True for the report's chapters, False for back matter."""
    import yaml

    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text())
    out = []
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            name = entry["file"]
            out.append((f"{name}.html", _first_heading(paths.ROOT / f"{name}.md"), bool(part.get("numbered", False))))
    return out


def _first_heading(path: Path) -> str:
    """A page's first level-1 heading, following a leading ``{include}`` (the changelog page)."""
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
        included = re.match(r"```\{include\}\s+(\S+)", line)
        if included:
            return _first_heading((path.parent / included.group(1)).resolve())
    return path.stem


def citation_block(text: str, entry: str) -> str:
    """HTML for a citation: the text and the BibTeX, each in a ``div.highlight > pre`` so that
    sphinx-copybutton gives it a copy button (its default selector)."""
    import html

    return (f'<div class="highlight citation-block citation-text"><pre>{html.escape(text)}</pre></div>'
            f'<div class="highlight citation-block citation-bibtex"><pre>{html.escape(entry)}</pre></div>')
