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

Member names: zip tools on Chinese Windows write names in GBK without the UTF-8 flag (0x800);
Python then decodes them as CP437. Such a name is re-decoded from its raw bytes as UTF-8, else GBK
(GB18030), else left as it was.
"""
from __future__ import annotations

import posixpath
import tempfile
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
            found = False
            with tempfile.TemporaryDirectory(prefix="duban-zip-") as tmp:
                for info in infos:
                    name = member_name(info)
                    if _skipped(info, name):
                        continue
                    found = True
                    yield from _member(z, info, f"{path}/{name}", Path(tmp), nested)
            if not found:
                yield ReadError(path, "a zip archive with no notice files in it")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as e:
        yield ReadError(path, f"corrupt or truncated zip archive ({type(e).__name__})")


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


__all__ = ["read_archive", "member_name", "MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "MAX_RATIO"]
