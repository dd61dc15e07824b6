"""The software that built the report, for the reproducibility page."""

from __future__ import annotations

import platform
from importlib import metadata

import pandas as pd

from analysis.site import citation

PACKAGES = ("jupyter-book", "myst-nb", "sphinx", "altair", "vl-convert-python", "pandas", "numpy", "scipy", "PyYAML")


def versions_table() -> pd.DataFrame:
    rows = [("Python", platform.python_version()), ("Report version", citation.version()),
            ("Code commit", citation.commit())]
    rows += [(name, metadata.version(name)) for name in PACKAGES]
    return pd.DataFrame(rows, columns=["Component", "Version"])
