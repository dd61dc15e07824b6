"""The release: one version and one date everywhere a reader or a citation tool looks."""

import re
import tomllib

import yaml

from analysis import paths
from analysis.params import PARAMS


def test_version_and_date_agree_everywhere():
    version = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["version"]
    citation = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text())
    assert citation["version"] == version
    assert str(citation["date-released"]) == PARAMS.as_of  # the report speaks as of its release day
    heading = re.search(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", (paths.ROOT / "CHANGELOG.md").read_text(), flags=re.M)
    assert heading.groups() == (version, PARAMS.as_of)
    # the book's changelog page is the same file
    assert "../CHANGELOG.md" in (paths.ROOT / "book" / "changelog.md").read_text()
