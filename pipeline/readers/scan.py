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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.readers import SUPPORTED
from pipeline.readers.document import display_path as printable
from pipeline.readers.document import not_regular

IGNORED_PREFIXES = (".", "~$", "~WRL")  # hidden files, Office lock files and temporaries
# names that download and copy tools give files still in transit
PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp")

@dataclass
class Scan:
    """``files``: inbox-relative posix path → path, in a stable order; ``refused``: the printable
    relative path → why it is not read."""

    files: dict[str, Path] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def ignored(name: str) -> bool:
    """A name nobody means as a notice: hidden, an Office temporary, a download in progress."""
    return name.startswith(IGNORED_PREFIXES) or name.lower().endswith(PARTIAL_SUFFIXES)


def wanted(name: str) -> bool:
    """A file name the scanner looks at: a supported format and not ignored."""
    return not ignored(name) and Path(name).suffix.lower() in SUPPORTED


def special(path) -> str | None:
    """Why ``path`` is not a regular file (a FIFO, a device…), or None. Raises OSError if it cannot
    be looked at. Opening a FIFO would wait for a writer forever: check before reading."""
    return not_regular(os.stat(path).st_mode)


def _refusal(path: Path, name: str, root: Path) -> str | None:
    """Why a wanted file must not be read (None: read it). Never opens anything but regular files."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not UTF-8 (a GBK name copied from Windows?): rename the file"
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(root):
            return f"a link to {printable(str(target))}, outside the inbox: not read"
        if not target.exists():
            return f"a broken link (its target {printable(str(target))} does not exist)"
    try:
        reason = special(path)
    except OSError as e:
        return f"cannot read: {e.strerror or e}"
    if reason:
        return reason
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as e:
        return f"cannot read: {e.strerror or e}"
    return None


def scan(folder) -> Scan:
    """Every notice file under ``folder`` (recursively) and every refused one, sorted by path."""
    folder = Path(folder)
    root = Path(os.path.realpath(folder))
    found: list[tuple[str, Path]] = []
    out = Scan()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(IGNORED_PREFIXES)]
        here = Path(dirpath)
        for name in filenames:  # links to folders are listed in dirnames, and not entered
            if not wanted(name):
                continue
            path = here / name
            rel = path.relative_to(folder).as_posix()
            reason = _refusal(path, name, root)
            if reason:
                out.refused[printable(rel)] = reason
            else:
                found.append((rel, path))
    found.sort(key=lambda x: PurePosixPath(x[0]).parts)
    out.files = dict(found)
    out.refused = dict(sorted(out.refused.items(), key=lambda x: PurePosixPath(x[0]).parts))
    return out
