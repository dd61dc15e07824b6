"""Command lines that answer every mistake with one line ``error: ...`` on stderr and exit status 1.

argparse's own errors (an unknown option, a missing argument) included: by default it prints a
usage block and exits 2. ``run`` turns any failure of the command itself into one line naming the
input, never a traceback.
"""

from __future__ import annotations

import argparse
import http.client
import sys
from collections.abc import Callable


def one_line(text, limit: int = 1000) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and status 1, like every other failure."""

    def error(self, message):
        self.exit(1, f"error: {self.prog}: {one_line(message)}\n")


def parse(parser: argparse.ArgumentParser, argv) -> argparse.Namespace | int:
    """The parsed arguments, or the exit status (0 after --help, 1 after a usage error)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1


def fail(message) -> int:
    print(f"error: {one_line(message)}", file=sys.stderr)
    return 1


def run(action: Callable[[], str | None], subject) -> int:
    """Run ``action``; print what it returns and exit 0, or print one error line and exit 1."""
    try:
        output = action()
    except (ValueError, RuntimeError) as err:
        return fail(err)
    except OSError as err:
        return fail(f"{err.filename or subject}: {err.strerror or type(err).__name__}")
    except http.client.HTTPException as err:
        return fail(f"{subject}: download failed ({type(err).__name__})")
    except MemoryError:
        return fail(f"{subject}: out of memory")
    except RecursionError:
        return fail(f"{subject}: nested too deeply")
    except KeyboardInterrupt:
        return fail(f"{subject}: interrupted; nothing half-written is left (the next run or read completes or "
                    "removes it)")
    except Exception as err:  # never a traceback: one line naming the input
        return fail(f"{subject}: unexpected {type(err).__name__}: {err}")
    if output:
        print(output)
    return 0
