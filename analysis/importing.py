"""The one validation and write path of every importer (METR, benchmarks, Epoch) and every refresh.

An importer reads an upstream file **once** (``read_upstream``: a regular file only, its size
checked against a cap before a byte is read, so a FIFO, a device, ``/dev/zero`` or a 30 GB sparse
file are refused at once), and both hashes and parses those same bytes (``Upstream``): a file
swapped between the sha256 check and the parse cannot slip in. A download (``download``) is bound
by a size cap and by one deadline that counts every byte, headers included, and is checked for
completeness by its length (Content-Length, chunked framing); the callers check it by content too
(trailing fields, ``check_removals``). Values go through the same checks everywhere:

* names and ids (``key_problem``): not empty, not read back as missing, no spreadsheet formula, no
  C0 or C1 control character, no bidirectional-text control (U+202E and its kin);
  ``ASCII_DIGITS`` for ids (``\\d`` matches any Unicode digit, Arabic-Indic ones included);
* dates (``check_day``): a literal ``YYYY-MM-DD``, never after the day of the import;
* every table about to be written (``check_table``): no formula cell, no control character, no
  date after the day of the import, whatever the importer.

``write_tables`` is the only way an importer writes: it checks every table, then commits them as
one transaction (``analysis.staging``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import io
import math
import os
import re
import socket
import ssl
import stat
import time
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import staging

MAX_FILE_BYTES = 20 * 2**20  # any upstream file (METR's task file, the largest, is under 1 MB)
MAX_ARCHIVE_BYTES = 100 * 2**20  # a zip such as Epoch's benchmark_data.zip
SHOWN_CHARS = 80  # a value quoted in an error message is cut to this length
MAX_KEY_CHARS = 200
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Texts pandas reads back from a CSV as missing; a key must be none of them.
NA_TEXTS = frozenset({"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                      "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", "~"})
# Characters no name, id or cell may hold: C0 controls, DEL, C1 controls (U+0080-U+009F, e.g. U+0085
# NEL and U+009B CSI), the bidirectional-text controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069)
# and the line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Inside a free-text cell (a note) a tab or line break is harmless; in a key it is not.
CELL_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                                     "\u202a-\u202e\u2066-\u2069]")
ASCII_DIGITS = "[0-9]"  # for id patterns: never \d, which matches any Unicode digit
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
DATE_GRACE = dt.timedelta(days=1)  # time zones: "today" somewhere may be tomorrow in UTC
MAX_REMOVED_SHARE = 0.10  # a refresh that drops more of the known models needs --allow-removals

DEADLINE_SECONDS = 120.0  # for a whole download, headers included, however slowly the bytes arrive
READ_TIMEOUT_SECONDS = 30.0  # for connecting and for each read
CHUNK_BYTES = 1 << 16
MAX_REDIRECTS = 5


# ------------------------------------------------------------------ values


def show(value) -> str:
    """A short, one-line rendering of any value for an error message; never expands large values."""
    if value is None or isinstance(value, (bool, float, dt.date)):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 200:  # repr of a huge integer is slow, and refused above 4,300 digits
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
        return repr(value)
    if isinstance(value, str):
        text = value.encode("unicode_escape").decode("ascii") if CONTROL_CHARACTERS.search(value) else value
        if len(text) > SHOWN_CHARS:
            return repr(text[:SHOWN_CHARS]) + f"… ({len(value):,} characters)"
        return repr(text)
    if isinstance(value, dict):
        return f"a mapping of {len(value):,} entries"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value):,} items"
    return f"a value of type {type(value).__name__}"


def _control_problem(text: str, pattern=CONTROL_CHARACTERS) -> str | None:
    found = pattern.search(text)
    if found:
        return f"contains the control character U+{ord(found.group()):04X}: {show(text)}"
    return None


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def key_problem(key) -> str | None:
    """Why a model key, agent name or id cannot be stored and read back, or None if it can."""
    if not isinstance(key, str):
        return f"is not text: {show(key)}"
    if key.strip() in NA_TEXTS:
        return f"is empty or reads back as missing: {show(key)}"
    if len(key) > MAX_KEY_CHARS:
        return f"is longer than {MAX_KEY_CHARS} characters: {show(key)}"
    if key.startswith(FORMULA_PREFIXES):
        return f"starts with {key[0]!r}, which spreadsheets run as a formula: {show(key)}"
    return _control_problem(key)


def cell_problem(value) -> str | None:
    """Why a cell of a table about to be written is refused (formula, control character), or None."""
    if not isinstance(value, str) or value == "":
        return None
    if value.startswith(FORMULA_PREFIXES) and not _is_number(value):
        return f"starts with {value[0]!r}, which spreadsheets run as a formula: {show(value)}"
    return _control_problem(value, CELL_CONTROL_CHARACTERS)


def today() -> dt.date:
    """The day of the import (UTC)."""
    return dt.datetime.now(dt.timezone.utc).date()


def parse_day(value, *, earliest: int = 1900, latest: int = 2100) -> dt.date | None:
    """A literal calendar date (a date object or the ASCII text YYYY-MM-DD), else None."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return day if earliest <= day.year <= latest else None


def future_problem(day: dt.date, *, on: dt.date | None = None) -> str | None:
    """Why ``day`` cannot be a date of the past as of the day of the import (``on``), or None."""
    on = on or today()
    if day > on + DATE_GRACE:
        return f"{day.isoformat()} is after the day of the import ({on.isoformat()})"
    return None


def check_day(value, where: str, *, earliest: int = 1900, on: dt.date | None = None) -> dt.date:
    """A literal date no later than the day of the import; else ValueError naming ``where``."""
    day = parse_day(value, earliest=earliest)
    if day is None:
        raise ValueError(f"{where}: not a date (YYYY-MM-DD): {show(value)}")
    problem = future_problem(day, on=on)
    if problem:
        raise ValueError(f"{where}: {problem}")
    return day


def check_removals(old: set, new: set, source, *, allow_removals: bool, what: str = "models",
                   max_share: float = MAX_REMOVED_SHARE) -> None:
    """Refuse a new release that drops more than ``max_share`` of the known ``what`` (a download cut
    short at a record boundary still parses) unless ``allow_removals``."""
    if not old or allow_removals:
        return
    removed = old - new
    if len(removed) > max_share * len(old):
        raise ValueError(
            f"{source}: holds {len(new):,} {what}, and {len(removed):,} of the {len(old):,} known ones are missing "
            f"(more than {max_share:.0%}): a truncated or wrong file? Give --allow-removals if upstream really "
            "dropped them"
        )


def date_column(name: str) -> bool:
    """Columns that hold a date of the past (checked against the day of the import)."""
    return name in ("date", "as_of", "snapshot") or name.endswith("_date")


def check_table(text: str, name: str, *, on: dt.date | None = None) -> None:
    """A CSV table about to be written: every cell free of formulas and control characters, every
    date column a literal date no later than the day of the import."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ValueError(f"{name}: cannot be read back as CSV ({' '.join(str(err).split())[:200]})") from None
    for column in frame.columns:
        problem = cell_problem(column)
        if problem:
            raise ValueError(f"{name}: header: column {show(column)} {problem}")
        is_date = date_column(column)
        for index, value in frame[column].items():
            problem = cell_problem(value)
            if problem is None and is_date and value != "":
                day = parse_day(value[:10] if len(value) > 10 and value[10] in "T " else value)
                problem = "is not a date (YYYY-MM-DD)" if day is None else future_problem(day, on=on)
            if problem:
                raise ValueError(f"{name}: row {index + 2}: column {column!r} {problem}")


def write_tables(targets: dict[Path, str | bytes], *, on: dt.date | None = None) -> None:
    """The one write path: check every CSV table (``check_table``), then write all or none."""
    for target, content in targets.items():
        if Path(target).suffix == ".csv":
            text = content.decode("utf-8") if isinstance(content, bytes) else content
            check_table(text, Path(target).name, on=on)
    staging.commit(targets)


# ------------------------------------------------------------------ files: one read, bounded


@dataclass
class Upstream:
    """An upstream file's bytes, read once: the sha256 and every parse come from ``data``.

    ``label`` names it in error messages (a path, a URL, or ``archive.zip:member``)."""

    label: str
    data: bytes
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.label.rstrip("/").rsplit("/", 1)[-1]

    @property
    def sha256(self) -> str:
        if "sha256" not in self._cache:
            self._cache["sha256"] = hashlib.sha256(self.data).hexdigest()
        return self._cache["sha256"]

    def __str__(self) -> str:
        return self.label

    def text(self) -> str:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ValueError(f"{self.label}: not UTF-8 text (byte {err.start:,})") from None

    def csv(self) -> pd.DataFrame:
        """The bytes as a CSV of text cells (empty cells stay empty text)."""
        text = self.text()
        try:
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            raise ValueError(f"{self.label}: -: -: unreadable CSV ({' '.join(str(err).split())[:200]})") from None


def read_bytes(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; FIFOs, devices and folders are refused
    before anything is read (opened non-blocking, so a FIFO cannot hang the import)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except OSError as err:
        raise ValueError(f"{path}: cannot open the file ({err.strerror or type(err).__name__})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ValueError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path}: is not a regular file (a FIFO, device or socket); refusing to read it")
        if info.st_size > max_bytes:
            raise ValueError(f"{path}: the file has {info.st_size:,} bytes, above the cap of {max_bytes:,} bytes")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise ValueError(f"{path}: the file grew above the cap of {max_bytes:,} bytes while being read")
        return b"".join(chunks)
    except OSError as err:
        raise ValueError(f"{path}: cannot read the file ({err.strerror or type(err).__name__})") from None
    finally:
        os.close(fd)


def read_upstream(source: Upstream | Path | str, max_bytes: int = MAX_FILE_BYTES) -> Upstream:
    """``source`` itself if already read, else the file's bytes, read once (``read_bytes``)."""
    if isinstance(source, Upstream):
        return source
    return Upstream(str(source), read_bytes(source, max_bytes))


def archive_members(archive: Upstream, names: list[str], *, max_bytes: int = MAX_FILE_BYTES) -> dict[str, Upstream]:
    """The members of a zip whose base names are in ``names`` (absent ones are left out); each
    member's size is checked against ``max_bytes`` before it is read (a zip bomb is refused)."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive.data)) as bundle:
            found = {}
            for info in bundle.infolist():
                base = info.filename.rsplit("/", 1)[-1]
                if base not in names or info.is_dir():
                    continue
                if base in found:
                    raise ValueError(f"{archive}: holds {base!r} twice")
                if info.file_size > max_bytes:
                    raise ValueError(f"{archive}: member {base!r} has {info.file_size:,} bytes, above the cap of "
                                     f"{max_bytes:,}")
                with bundle.open(info) as member:
                    data = member.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise ValueError(f"{archive}: member {base!r} is larger than the cap of {max_bytes:,} bytes")
                found[base] = Upstream(f"{archive.label}:{base}", data)
            return found
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, OSError) as err:
        raise ValueError(f"{archive}: not a complete zip archive ({type(err).__name__}: "
                         f"{' '.join(str(err).split())[:120]})") from None


# ------------------------------------------------------------------ downloads: capped, one deadline


class DownloadError(ValueError):
    """A download that failed, was cut short, was too slow or too large."""


class _DeadlineSocket:
    """A connected socket whose every read and write must finish before one overall deadline.

    http.client reads the status line and headers through ``makefile``: wrapping the socket puts
    those bytes under the deadline too (a server trickling one header byte every few seconds used
    to outlive any per-read timeout)."""

    def __init__(self, sock, deadline: float, url: str, seconds: float):
        self._sock, self._deadline, self._url, self._seconds = sock, deadline, url, seconds
        self._io_refs = 0
        self._closed = False

    def _arm(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise DownloadError(f"cannot download {self._url}: not finished within {self._seconds:g} s")
        self._sock.settimeout(min(READ_TIMEOUT_SECONDS, remaining))

    def recv_into(self, buffer, nbytes=0, flags=0):
        self._arm()
        try:
            return self._sock.recv_into(buffer, nbytes, flags)
        except TimeoutError:
            if time.monotonic() >= self._deadline:
                raise DownloadError(f"cannot download {self._url}: not finished within {self._seconds:g} s") from None
            raise

    def recv(self, nbytes, flags=0):
        buffer = bytearray(nbytes)
        count = self.recv_into(buffer, nbytes, flags)
        return bytes(buffer[:count])

    def sendall(self, data, flags=0):
        self._arm()
        return self._sock.sendall(data, flags)

    def makefile(self, mode="r", buffering=None, **_):
        self._io_refs += 1
        raw = socket.SocketIO(self, "rb" if "b" in mode else "r")
        return io.BufferedReader(raw) if buffering != 0 else raw

    def _decref_socketios(self):
        self._io_refs = max(0, self._io_refs - 1)
        if self._closed and self._io_refs == 0:
            self._sock.close()

    def close(self):
        self._closed = True
        if self._io_refs == 0:
            self._sock.close()

    def __getattr__(self, name):  # setsockopt, fileno, ...
        return getattr(self._sock, name)


def _connection(url: str, deadline: float, seconds: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"cannot download {url}: not an http(s) URL")
    timeout = max(0.01, min(READ_TIMEOUT_SECONDS, deadline - time.monotonic()))
    base = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection

    class Connection(base):
        def connect(self):
            super().connect()
            self.sock = _DeadlineSocket(self.sock, deadline, url, seconds)

    options = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    connection = Connection(parts.hostname, parts.port, timeout=timeout, **options)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return connection, target


def download(url: str, *, max_bytes: int, deadline_seconds: float = DEADLINE_SECONDS) -> bytes:
    """The body at ``url``: within ``max_bytes``, complete (Content-Length, chunked framing), and
    entirely received (connection, headers, body, redirects) within ``deadline_seconds``."""
    if url.startswith("file:"):  # a local file: the same checks as an import (no FIFO, no device)
        try:
            return read_bytes(Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path)), max_bytes)
        except ValueError as err:
            raise DownloadError(f"cannot download {url}: {err}") from None
    deadline = time.monotonic() + deadline_seconds
    shown = url
    for _ in range(MAX_REDIRECTS + 1):
        connection, target = _connection(url, deadline, deadline_seconds)
        response = None
        try:
            connection.request("GET", target, headers={"User-Agent": "doubling-time-refresh", "Accept-Encoding": "identity"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urllib.parse.urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise DownloadError(f"cannot download {shown}: HTTPError: {response.reason} (status {response.status})")
            declared = response.getheader("Content-Length")
            if declared is not None:
                if not re.fullmatch(r"[0-9]{1,15}", declared.strip()):
                    raise DownloadError(f"cannot download {shown}: malformed Content-Length {show(declared)}")
                declared = int(declared)
                if declared > max_bytes:
                    raise DownloadError(f"cannot download {shown}: {declared:,} bytes announced, above the cap of "
                                        f"{max_bytes:,}")
            chunks, size = [], 0
            while True:
                chunk = response.read1(CHUNK_BYTES) if hasattr(response, "read1") else response.read(CHUNK_BYTES)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError(f"cannot download {shown}: larger than the cap of {max_bytes:,} bytes")
                chunks.append(chunk)
            if declared is not None and size != declared:
                raise DownloadError(f"cannot download {shown}: truncated, {size:,} of the {declared:,} bytes announced "
                                    "(Content-Length)")
            return b"".join(chunks)
        except DownloadError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as err:
            raise DownloadError(f"cannot download {shown}: {type(err).__name__}: "
                                f"{show(' '.join(str(err).split()))[1:-1]}") from None
        finally:
            if response is not None:
                response.close()
            connection.close()
    raise DownloadError(f"cannot download {shown}: more than {MAX_REDIRECTS} redirects")


def fetch(source: str, name: str, *, max_bytes: int = MAX_FILE_BYTES,
          deadline_seconds: float = DEADLINE_SECONDS) -> Upstream:
    """``name`` from a URL prefix or a local folder, read once into memory."""
    if "://" in source:
        url = source.rstrip("/") + "/" + name
        return Upstream(url, download(url, max_bytes=max_bytes, deadline_seconds=deadline_seconds))
    return Upstream(str(Path(source) / name), read_bytes(Path(source) / name, max_bytes))


def fetch_any(source: str, *, max_bytes: int, deadline_seconds: float = DEADLINE_SECONDS) -> Upstream:
    """A whole file named by a URL or a path."""
    if "://" in source:
        return Upstream(source, download(source, max_bytes=max_bytes, deadline_seconds=deadline_seconds))
    return Upstream(source, read_bytes(source, max_bytes))
