"""Zip archives of notices (how a batch of 公文 is often mailed or downloaded): every member that is a
notice file is read through the same ``read()`` as a file on disk.

Each member is copied into a temporary file with the member's suffix (in a private temporary
folder, deleted after reading), read, and its ``Document.path`` / ``ReadError.path`` set to
``"archive.zip/inner/name.docx"``. Nothing is ever extracted under the member's own name, so a
name with "../" or a drive letter cannot write outside the folder; such names are only shown
cleaned.

Bounded: at most ``MAX_MEMBERS`` members, ``MAX_MEMBER_BYTES`` unpacked per member and
``MAX_TOTAL_BYTES`` for the archive, and no member unpacking to more than ``MAX_RATIO`` times its
packed size (past ``RATIO_FLOOR``). An archive over those limits is one ReadError "looks like a
zip bomb (…)", decided from the directory before anything is unpacked; copies are also cut off at
the limit, since the directory can lie. A .zip inside the archive is opened (one level only; a zip
in that one is reported, not opened). Folders, macOS resource forks (__MACOSX/, ._name),
.DS_Store, Thumbs.db and desktop.ini are skipped, as are members of types duban does not read.

The work one archive may cost is bounded too (a 10 MB zip of 1,000 members of 1 MiB of text would
hold a rebuild for half an hour): at most ``MAX_TEXT_CHARS`` characters of notice text, and
``MAX_SECONDS`` from the archive's opening (the reader is lazy: the time its consumer spends
extracting the notices counts). Past either, the members left are not read and one ReadError on the
archive says how many and why. A temporary folder left by a killed run (its process is gone) is
removed by the next archive read (:func:`remove_stale_temporaries`).

Member names: zip tools on Chinese Windows write names in GBK without the UTF-8 flag (0x800);
Python then decodes them as CP437. Such a name is re-decoded from its raw bytes as UTF-8, else GBK
(GB18030), else left as it was.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
import time
import zipfile
import zlib
from pathlib import Path
from typing import Iterator

from pipeline.readers.document import Document, ReadError, decode_name

MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed size of one member
RATIO_FLOOR = 1024 * 1024  # small members may compress as well as they like
JUNK_NAMES = frozenset((".ds_store", "thumbs.db", "desktop.ini"))
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
CHUNK = 1 << 20
MAX_TEXT_CHARS = 10_000_000  # ~500 long notices (a real batch is far less); about a minute of extraction
MAX_SECONDS = 300.0
TEMP_PREFIX = "duban-zip-"


def read_archive(path, *, nested: bool = False) -> Iterator[Document | ReadError]:
    """The Document or ReadError of every notice member of the zip at ``path``."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            problem = _bomb(infos)
            if problem:
                yield ReadError(path, f"looks like a zip bomb ({problem})")
                return
            found, chars, started = False, 0, time.monotonic()
            remove_stale_temporaries()
            with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
                members = [(info, member_name(info)) for info in infos]
                members = [(info, name) for info, name in members if not _skipped(info, name)]
                for k, (info, name) in enumerate(members):
                    found = True
                    over = None
                    if chars > MAX_TEXT_CHARS:
                        over = f"{chars:,} characters of text read; the limit is {MAX_TEXT_CHARS:,}"
                    elif time.monotonic() - started > MAX_SECONDS:
                        over = f"{time.monotonic() - started:.0f} s spent on it; the limit is {MAX_SECONDS:.0f} s"
                    if over:
                        yield ReadError(path, f"{len(members) - k} of {len(members)} members skipped, from "
                                              f"{name} on ({over}); split the archive")
                        break
                    for item in _member(z, info, f"{path}/{name}", Path(tmp), nested):
                        if isinstance(item, Document):
                            chars += sum(len(b.text) for b in item.blocks)
                        yield item
            if not found:
                yield ReadError(path, "a zip archive with no notice files in it")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as e:
        yield ReadError(path, f"corrupt or truncated zip archive ({type(e).__name__})")


def remove_stale_temporaries() -> None:
    """Remove the temporary folders of archive reads whose process is gone (a killed run)."""
    root = Path(tempfile.gettempdir())
    for d in root.glob(f"{TEMP_PREFIX}*"):
        pid = d.name[len(TEMP_PREFIX):].split("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # alive
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (PermissionError, OverflowError):
            continue


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker meant it, cleaned for display: "/" separators, no leading
    "/", drive letter or "..", no "." parts."""
    name = info.filename
    if not info.flag_bits & UTF8_FLAG:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = None
        if raw is not None:
            name = decode_name(raw) or name
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if parts and len(parts[0]) == 2 and parts[0][1] == ":":
        parts = parts[1:]
    return posixpath.join(*parts) if parts else "_"


def _bomb(infos: list[zipfile.ZipInfo]) -> str | None:
    if len(infos) > MAX_MEMBERS:
        return f"{len(infos)} members; the limit is {MAX_MEMBERS}"
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        return f"{total >> 20} MB unpacked; the limit is {MAX_TOTAL_BYTES >> 20} MB"
    for i in infos:
        if i.file_size > MAX_MEMBER_BYTES:
            return f"{i.filename} unpacks to {i.file_size >> 20} MB; the limit is {MAX_MEMBER_BYTES >> 20} MB"
        if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            return f"{i.filename} unpacks {i.file_size // max(i.compress_size, 1)} times its size"
    return None


def _skipped(info: zipfile.ZipInfo, name: str) -> bool:
    """Folders, junk and files of a type duban does not read."""
    from pipeline.readers import SUPPORTED

    if info.is_dir() or info.filename.endswith(("/", "\\")):
        return True
    parts = name.split("/")
    base = parts[-1]
    if "__MACOSX" in parts or base.lower() in JUNK_NAMES or base.startswith("._") or base.startswith("~$"):
        return True
    return posixpath.splitext(base)[1].lower() not in SUPPORTED


def _member(z: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, tmp: Path, nested: bool):
    from pipeline.readers import read

    suffix = posixpath.splitext(shown)[1].lower()
    if info.flag_bits & ENCRYPTED_FLAG:
        yield ReadError(shown, "password-protected (encrypted) in the archive; zip it without a password")
        return
    if suffix == ".zip" and nested:
        yield ReadError(shown, "a zip inside a zip inside a zip; not opened (one level of nesting is read)")
        return
    fd, name = tempfile.mkstemp(suffix=suffix, dir=tmp)
    copy = Path(name)
    try:
        with open(fd, "wb") as out:
            problem = _copy(z, info, out)
        if problem:
            yield ReadError(shown, problem)
            return
        if suffix == ".zip":
            for item in read_archive(copy, nested=True):
                yield _renamed(item, str(copy), shown)
            return
        try:
            yield _renamed(read(copy), str(copy), shown)
        except ReadError as e:
            yield _renamed(e, str(copy), shown)
    finally:
        copy.unlink(missing_ok=True)


def _copy(z: zipfile.ZipFile, info: zipfile.ZipInfo, out) -> str | None:
    """Unpack a member into ``out``, at most MAX_MEMBER_BYTES; a reason when it cannot be."""
    written = 0
    try:
        with z.open(info) as member:
            while True:
                chunk = member.read(CHUNK)
                if not chunk:
                    return None
                written += len(chunk)
                if written > MAX_MEMBER_BYTES:
                    return f"looks like a zip bomb (unpacks past {MAX_MEMBER_BYTES >> 20} MB)"
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        return f"corrupt member of the archive ({type(e).__name__}: {str(e)[:80]})"


def _renamed(item, temp: str, shown: str):
    """The Document or ReadError of a temporary copy, named as the member (nested paths kept)."""
    if isinstance(item, ReadError):
        inner = item.path[len(temp):] if item.path.startswith(temp) else ""
        return ReadError(shown + inner, item.reason)
    inner = item.path[len(temp):] if item.path.startswith(temp) else ""
    item.path = shown + inner
    return item


__all__ = ["read_archive", "member_name", "remove_stale_temporaries", "MAX_TEXT_CHARS", "MAX_SECONDS", "MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "MAX_RATIO"]
