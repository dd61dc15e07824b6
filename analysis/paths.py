"""Where the project's files live, resolved from this file so chapters can run from any folder."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
METR_DATA = DATA / "metr"
# Upstream inputs sit beside the repository (read-only); only the import command reads them.
SHARED_METR = ROOT.parent / "shared" / "data" / "metr"

# Data files read so far in this process, so a figure can say which inputs it was drawn from.
_READ: list[Path] = []


def note_read(path) -> Path:
    """Record that ``path`` was read (loaders call this); returns the path."""
    path = Path(path).resolve()
    if path not in _READ:
        _READ.append(path)
    return path


def inputs_read() -> list[str]:
    """Repository-relative paths of the files read so far, in reading order."""
    out = []
    for path in _READ:
        try:
            out.append(path.relative_to(ROOT).as_posix())
        except ValueError:
            out.append(path.as_posix())
    return out


def version() -> str:
    """The report's version, as pyproject.toml states it (the release the pages and citations name)."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
