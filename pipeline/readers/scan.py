"""The one folder scanner: which files under a folder are notices to read, and which are refused and why.

``duban extract inbox/``, ``duban rebuild --inbox inbox/`` and ``duban watch`` all see the inbox
through :func:`scan`, so they see the same files:

- only the formats duban reads (``pipeline.readers.SUPPORTED``, .zip archives included);
- ignored, silently: hidden files and folders (``.name``), Office lock files and temporaries
  (``~$name``, ``~WRLxxxx``), downloads and copies still in transit (``.part``, ``.crdownload``…);
- refused, with a one-line reason (the tracker lists them in ``failures``; nothing is opened):
  a name that is not valid UTF-8 (a GBK name copied from an old share), a link that leads outside
  the folder (``ln -s /etc/passwd inbox/leak.txt``) or nowhere, anything that is not a regular file
  (a FIFO would hang the reader), and a file this user may not read.

A link inside the folder that points inside it is followed; links to folders are not followed
(their files are scanned where they really are).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pipeline.readers import SUPPORTED
from pipeline.readers.document import display_path as printable
from pipeline.readers.document import not_regular

IGNORED_PREFIXES = (".", "~$", "~WRL")  # hidden files, Office lock files and temporaries
# names that download and copy tools give files still in transit
PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp")

@dataclass
class Scan:
    """``files``: inbox-relative posix path → its path (a ``str``: a Path for each of 100,000 files
    costs more than their lstat), in a stable order; ``refused``: the printable relative path → why
    it is not read; ``stats``: the lstat of each file read."""

    files: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    stats: dict[str, "FileStat"] = field(default_factory=dict)


class FileStat(NamedTuple):
    """The part of a file's stat the tracker plans from, under os.stat_result's names (a whole
    stat_result holds some 15 objects: 60 MB for 100,000 files, against 15 MB for these)."""

    st_size: int
    st_mtime: float
    st_mtime_ns: int


def _brief(st: os.stat_result) -> FileStat:
    return FileStat(st.st_size, st.st_mtime, st.st_mtime_ns)


def ignored(name: str) -> bool:
    """A name nobody means as a notice: hidden, an Office temporary, a download in progress."""
    return name.startswith(IGNORED_PREFIXES) or name.lower().endswith(PARTIAL_SUFFIXES)


def wanted(name: str) -> bool:
    """A file name the scanner looks at: a supported format and not ignored. (A supported suffix is
    never a download's: only the prefixes are left to check. Called for every file of the inbox.)"""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in SUPPORTED and not name.startswith(IGNORED_PREFIXES)


def special(path) -> str | None:
    """Why ``path`` is not a regular file (a FIFO, a device…), or None. Raises OSError if it cannot
    be looked at. Opening a FIFO would wait for a writer forever: check before reading."""
    return not_regular(os.stat(path).st_mode)


_EUID = os.geteuid() if hasattr(os, "geteuid") else None


def _readable_by_mode(st: os.stat_result) -> bool:
    """Whether the permission bits alone say this user may read the file (no syscall): its owner
    with the owner's read bit, root, or a file both group and others may read. False means only
    "ask the system" (``_look`` opens it), not "unreadable": ACLs and groups are its business."""
    if _EUID is None:
        return False
    if st.st_uid == _EUID:
        return bool(st.st_mode & stat.S_IRUSR) or _EUID == 0
    return _EUID == 0 or (st.st_mode & (stat.S_IRGRP | stat.S_IROTH)) == (stat.S_IRGRP | stat.S_IROTH)


def _refusal(path, name: str, root: Path) -> str | None:
    """Why a wanted file must not be read (None: read it). Never opens anything but regular files."""
    return _look(os.fspath(path), name, root)[0]


def _look(path: str, name: str, root: Path) -> tuple[str | None, os.stat_result | None]:
    """(why the file must not be read or None, its stat). One lstat for a plain file, whose result
    is its stat: the scan of 100,000 files stays a few syscalls each, no pathlib."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not UTF-8 (a GBK name copied from Windows?): rename the file", None
    try:
        st = os.lstat(path)
    except OSError as e:
        return f"cannot read: {e.strerror or e}", None
    if stat.S_ISLNK(st.st_mode):
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(root):
            return f"a link to {printable(str(target))}, outside the inbox: not read", None
        if not target.exists():
            return f"a broken link (its target {printable(str(target))} does not exist)", None
        try:
            reason = special(path)
            st = os.stat(path)
        except OSError as e:
            return f"cannot read: {e.strerror or e}", None
        if reason:
            return reason, None
    elif not_regular(st.st_mode):
        return not_regular(st.st_mode), None
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as e:
        return f"cannot read: {e.strerror or e}", None
    return None, st


def scan(folder) -> Scan:
    """Every notice file under ``folder`` (recursively) and every refused one, sorted by path;
    ``stats`` keeps the stat of each file read (the tracker plans from it without a second one)."""
    folder = Path(folder)
    out = Scan()
    _walk(os.fspath(folder), "", Path(os.path.realpath(folder)), out)  # files come in path order
    out.refused = dict(sorted(out.refused.items(), key=lambda x: x[0].split("/")))
    return out


def scan_some(folder, rels) -> Scan:
    """The part of ``scan(folder)`` at the given folder-relative paths (files, or folders scanned
    whole; a path that is gone is simply absent): what ``duban watch`` looks at after a change
    instead of the whole inbox. Same rules, same answers as ``scan`` for those paths."""
    folder = Path(folder)
    base, root = os.fspath(folder), Path(os.path.realpath(folder))
    out = Scan()
    for rel in sorted(set(rels)):
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if not parts or ".." in parts or any(p.startswith(IGNORED_PREFIXES) for p in parts[:-1]):
            continue  # the inbox itself, outside it, or inside an ignored folder
        full = os.path.join(base, *parts)
        if os.path.isdir(full) and not os.path.islink(full):
            if not parts[-1].startswith(IGNORED_PREFIXES):
                _walk(full, "/".join(parts) + "/", root, out)
        elif os.path.lexists(full) and wanted(parts[-1]):
            _add(out, "/".join(parts), full, parts[-1], root)
    return _sorted(out)


def _walk(top: str, prefix: str, root: Path, out: Scan) -> None:
    """Every wanted file under ``top`` into ``out``, in path order (component by component, as
    ``_sorted`` orders). os.scandir gives each entry's type without a syscall, so a plain readable
    file costs one lstat (its size and mtime, which the tracker plans from); a link, a special file
    or one the permission bits do not clearly let us read goes through ``_look``. Links to folders
    are not entered (their files are scanned where they really are); unreadable folders are skipped,
    as os.walk does."""
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        name = e.name
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not name.startswith(IGNORED_PREFIXES) and not e.is_symlink():
                _walk(e.path, prefix + name + "/", root, out)
            continue
        if not wanted(name):
            continue
        rel = prefix + name
        try:
            name.encode("utf-8")
            st = e.stat(follow_symlinks=False)
        except (UnicodeEncodeError, OSError):
            st = None
        if st is not None and stat.S_ISREG(st.st_mode) and _readable_by_mode(st):
            out.files[rel] = e.path
            out.stats[rel] = _brief(st)
        else:
            _add(out, rel, e.path, name, root)


def _add(out: Scan, rel: str, path: str, name: str, root: Path) -> None:
    reason, st = _look(path, name, root)
    if reason:
        out.refused[printable(rel)] = reason
    else:
        out.files[rel] = path
        out.stats[rel] = _brief(st)


def _sorted(out: Scan) -> Scan:
    out.files = {rel: out.files[rel] for rel in sorted(out.files, key=lambda r: r.split("/"))}
    out.refused = dict(sorted(out.refused.items(), key=lambda x: x[0].split("/")))
    return out
