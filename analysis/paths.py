"""Where the project's files live, resolved from this file so chapters can run from any folder."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
METR_DATA = DATA / "metr"
# Upstream inputs sit beside the repository (read-only); only the import command reads them.
SHARED_METR = ROOT.parent / "shared" / "data" / "metr"
