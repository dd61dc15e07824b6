"""All-or-nothing writes into a data folder: one import is one transaction.

A transaction stages every file in a hidden folder ``.staging-*`` inside the data folder, then
commits with a single rename of that folder to ``.commit`` (the journal). Only then are the files
moved into place, one rename each, and the journal removed. A process killed at any point leaves

* before the commit rename: a stale ``.staging-*`` folder, which the next import, refresh or
  ``recover`` deletes (readers ignore it: hidden, never read), so the old state stands;
* after it: a ``.commit`` journal naming every file. Until it is completed some files may be new
  and others (``sources.csv`` among them) old; every reader (``settle``) and the next import, refresh
  or ``recover`` completes it (rolls it forward) before reading or writing anything, so no reader
  sees the mix and the new state stands.

A move that fails in the process itself (a rename refused, a full disk) is undone at once from
hard links to the old files kept in the journal (the journal is first renamed ``.rollback``, so an
interrupted undo is finished by the next run too): a failed import leaves the old files.

Writers hold an exclusive ``fcntl.flock`` on the data folder itself (no lock file to leave behind)
for the whole read-modify-write, so two concurrent imports both land their ``sources.csv`` rows:
the second waits for the first, or is refused with a clear message after ``LOCK_WAIT_SECONDS``.
Hidden names (``.staging-*``, ``.commit``, ``.rollback``) are never published by the site and are
git-ignored, so no contributed change can carry one.

A journal is trusted only as far as its own folder: before recovery moves or deletes anything it
checks the whole manifest (``check_manifest``): every staged file and backup is one of the journal's
own numbered regular files, every target a plain relative path that stays inside the data folder
(no ``..``, no absolute path, no symlinked folder leading out). A journal that fails is refused
with one error naming it, and nothing is touched.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".staging-"
JOURNAL = ".commit"
ROLLBACK = ".rollback"
MANIFEST = "MANIFEST.json"
LOCK_WAIT_SECONDS = 60.0
MAX_MANIFEST_BYTES = 1 << 20
_STAGED = re.compile(r"[0-9]{1,6}", re.ASCII)  # the journal's own file names: 0, 1, ... and 0.old, 1.old, ...
_BACKUP = re.compile(r"[0-9]{1,6}\.old", re.ASCII)

# data folders whose lock this process holds: folder -> [file descriptor, depth] (re-entrant)
_HELD: dict[Path, list[int]] = {}


def _folder(path: Path | str) -> Path:
    return Path(os.path.abspath(path))


def _reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


@contextlib.contextmanager
def locked(folder: Path | str, *, wait: float | None = None) -> Iterator[Path]:
    """Hold the data folder's write lock; finish or roll back an interrupted transaction first."""
    folder = _folder(folder)
    if folder in _HELD:
        _HELD[folder][1] += 1
        try:
            yield folder
        finally:
            _HELD[folder][1] -= 1
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise ValueError(f"{folder}: no such data folder") from None
    except OSError as err:
        raise ValueError(f"{folder}: cannot open the data folder ({_reason(err)})") from None
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ValueError(
                        f"{folder}: another import is writing to this folder (lock held for more than "
                        f"{wait:g} s); nothing was written, try again"
                    ) from None
                time.sleep(0.05)
        _HELD[folder] = [fd, 1]
        try:
            recover(folder)
            yield folder
        finally:
            del _HELD[folder]
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def settle(folder: Path | str) -> None:
    """For readers: complete a committed but interrupted transaction before reading (usually a no-op).

    A stale staging folder is harmless to readers (hidden, never read) and is left to the next writer."""
    if any(os.path.lexists(_folder(folder) / name) for name in (JOURNAL, ROLLBACK)):
        with locked(folder):
            pass


def settle_tree(root: Path | str) -> None:
    """``settle`` every folder under ``root`` (before publishing or listing the data)."""
    for marker in (JOURNAL, ROLLBACK):
        for journal in sorted(Path(root).rglob(marker)):
            settle(journal.parent)


def recover(folder: Path | str) -> None:
    """Roll a committed journal forward, delete stale staging folders and stray temporary files.

    Call with the lock held (``locked`` does)."""
    folder = _folder(folder)
    journal = folder / JOURNAL
    try:
        if _present(folder / ROLLBACK):
            _restore(folder, folder / ROLLBACK)
        if _present(journal):
            if os.path.lexists(journal / MANIFEST):
                _apply(folder, journal)
            else:  # cannot happen: the manifest is written before the commit rename
                shutil.rmtree(journal)
        for entry in os.listdir(folder):
            path = folder / entry
            if entry.startswith(STAGING_PREFIX) and path.is_symlink():
                path.unlink()  # never followed: only the link goes
            elif entry.startswith(STAGING_PREFIX) and path.is_dir():
                shutil.rmtree(path)
            elif entry.startswith(".") and entry.endswith(".tmp") and (path.is_symlink() or path.is_file()):
                path.unlink()  # temporary files of the old, non-transactional writer
    except OSError as err:
        raise ValueError(
            f"{folder}: cannot finish an interrupted import ({_reason(err)}); "
            f"make the folder writable and run `python -m analysis.metr recover`"
        ) from None


def _present(journal: Path) -> bool:
    """Whether a journal folder exists; one that is not a real folder of this data folder is refused."""
    if not os.path.lexists(journal):
        return False
    if journal.is_symlink() or not journal.is_dir():
        raise JournalError(f"{journal}: is not a folder of its own (a symbolic link or a file); refusing to "
                           "recover from it, nothing was changed; remove it after checking")
    return True


class JournalError(ValueError):
    """A journal that recovery refuses to follow."""


def check_manifest(folder: Path, journal: Path) -> list[tuple[str, str, str | None]]:
    """The journal's manifest, every entry checked before anything is moved or deleted: staged files
    and backups are the journal's own numbered regular files, targets stay inside ``folder``."""
    path = journal / MANIFEST
    refuse = f"{path}: refusing to recover from this journal, nothing was changed"
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_MANIFEST_BYTES:
            raise JournalError(f"{refuse}: the manifest is not a regular file of at most {MAX_MANIFEST_BYTES:,} bytes")
        with open(path, "rb") as handle:
            manifest = json.loads(handle.read(MAX_MANIFEST_BYTES + 1).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise JournalError(f"{refuse}: unreadable manifest ({type(err).__name__})") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list):
        raise JournalError(f"{refuse}: the manifest lists no files")
    real_folder = os.path.realpath(folder)
    checked, targets = [], set()
    for entry in files:
        if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry[:2])
                and (entry[2] is None or isinstance(entry[2], str))):
            raise JournalError(f"{refuse}: malformed entry")
        staged, relative, backup = entry
        if not _STAGED.fullmatch(staged) or (backup is not None and not _BACKUP.fullmatch(backup)):
            raise JournalError(f"{refuse}: {staged!r}/{backup!r} is not one of the journal's own files")
        parts = relative.split("/")
        if (relative.startswith("/") or "\\" in relative or any(part in ("", ".", "..") for part in parts)
                or any(part.startswith(".") for part in parts) or "\x00" in relative):
            raise JournalError(f"{refuse}: target {relative!r} is outside its table folder {folder}")
        target = os.path.join(real_folder, *parts)
        if os.path.commonpath([real_folder, os.path.realpath(os.path.dirname(target))]) != real_folder:
            raise JournalError(f"{refuse}: target {relative!r} leads outside its table folder {folder}")
        if os.path.islink(target) or (os.path.lexists(target) and not os.path.isfile(target)):
            raise JournalError(f"{refuse}: target {relative!r} is not a regular file")
        for name in (staged, backup):
            if name is not None and os.path.lexists(journal / name) and not stat.S_ISREG(os.lstat(journal / name).st_mode):
                raise JournalError(f"{refuse}: {name!r} is not a regular file")
        if relative in targets:
            raise JournalError(f"{refuse}: target {relative!r} listed twice")
        targets.add(relative)
        checked.append((staged, relative, backup))
    return checked


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, 0o644)  # data files are for everyone to read, whatever the umask


def _apply(folder: Path, journal: Path) -> None:
    """Move every staged file of a committed journal into place (idempotent), then drop the journal."""
    parents = set()
    for staged, relative, _ in check_manifest(folder, journal):
        source, target = journal / staged, folder / relative
        if source.exists():  # absent: moved already by an earlier, interrupted attempt
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            parents.add(target.parent)
    for parent in sorted(parents):
        _fsync_folder(parent)
    shutil.rmtree(journal)
    _fsync_folder(folder)


def _restore(folder: Path, rollback: Path) -> None:
    """Undo a partly applied journal: old files back from their hard links, new files removed."""
    for _, relative, backup in check_manifest(folder, rollback):
        target = folder / relative
        if backup is None:
            target.unlink(missing_ok=True)  # did not exist before; we hold the lock, so it is ours
        elif (rollback / backup).exists():
            os.replace(rollback / backup, target)
    shutil.rmtree(rollback)
    _fsync_folder(folder)


def _same(target: Path, content: str | bytes) -> bool:
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    try:
        path = Path(target)
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def root_of(targets) -> Path:
    """The folder a set of target files is committed in: their parents' common folder."""
    parents = {str(_folder(target).parent) for target in targets}
    return Path(os.path.commonpath(sorted(parents)))


def commit(targets: dict[Path, str | bytes]) -> None:
    """Write every target or none; raises ValueError naming the file on failure.

    Takes (or re-enters) the lock of the targets' common folder."""
    if not targets:
        return
    folder = root_of(targets)
    with locked(folder):
        targets = {target: content for target, content in targets.items() if not _same(target, content)}
        if not targets:
            return  # every file already holds these bytes
        try:
            stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        except OSError as err:
            raise ValueError(f"{folder}: cannot write into the data folder ({_reason(err)}); nothing was written") from None
        files = []
        try:
            for index, (target, content) in enumerate(targets.items()):
                target = _folder(target)
                data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
                backup = None
                try:
                    _write_durably(stage / str(index), data)
                    if target.exists():  # a hard link to the old file, to undo a failed move
                        backup = f"{index}.old"
                        try:
                            os.link(target, stage / backup)
                        except OSError:
                            shutil.copyfile(target, stage / backup)
                except OSError as err:
                    raise ValueError(f"{target}: cannot write ({_reason(err)}); nothing was written") from None
                files.append([str(index), os.path.relpath(target, folder), backup])
            try:
                _write_durably(stage / MANIFEST, json.dumps({"files": files}, indent=1).encode("utf-8"))
                _fsync_folder(stage)
                os.replace(stage, folder / JOURNAL)  # the commit point
            except OSError as err:
                raise ValueError(f"{folder}: cannot commit ({_reason(err)}); nothing was written") from None
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        try:
            _apply(folder, folder / JOURNAL)
        except OSError as err:
            try:
                os.replace(folder / JOURNAL, folder / ROLLBACK)
                _restore(folder, folder / ROLLBACK)
            except OSError:
                raise ValueError(
                    f"{folder}: committed but could not move every file into place ({_reason(err)}), nor undo it; "
                    "the next import, refresh or load completes it (`python -m analysis.metr recover` does it now)"
                ) from None
            raise ValueError(f"{folder}: cannot move the new files into place ({_reason(err)}); "
                             "undone, nothing was written") from None
