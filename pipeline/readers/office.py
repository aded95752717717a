"""Word 97 and WPS binary files (.doc, .wps) read through LibreOffice.

Both are OLE compound files (magic d0cf11e0…) holding a ``WordDocument`` stream; Kingsoft WPS
saves its .wps in the same Word binary layout. Parsing that format ourselves would be a project
of its own, so LibreOffice (headless ``soffice``) converts the file to .docx in a temporary
folder and the .docx reader reads that; the Document keeps the original path and says "doc" or
"wps" (from the extension; a misnamed .docx that is really a .doc reads as "doc").

Every conversion runs with its own LibreOffice profile (``-env:UserInstallation``) in its own
temporary folder, so conversions in parallel never share a profile's lock; at most
``MAX_CONVERSIONS`` run at once in a process (a module-level semaphore; each soffice takes
~150 MB and a core). A conversion that outlives ``TIMEOUT`` seconds has its whole process group
killed and the file fails with a one-line ReadError, as does a missing LibreOffice.

Before converting, the OLE header is checked: an OLE file whose sectors lie beyond its end is
truncated, and one without a ``WordDocument`` stream name is an Excel/PowerPoint/other file.
(An encrypted OOXML file is also OLE, with an ``EncryptedPackage`` stream: ``read()`` tells the
user it is password-protected before dispatching here.)
"""
from __future__ import annotations

import mmap
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
from pathlib import Path

from pipeline.readers.document import Document, ReadError

TIMEOUT = float(os.environ.get("DUBAN_LO_TIMEOUT", "60"))  # seconds per conversion
MAX_CONVERSIONS = int(os.environ.get("DUBAN_LO_JOBS", "2"))  # LibreOffice processes at once, per process
MISSING = "a Word 97/WPS file (.doc/.wps); install LibreOffice (apt-get install libreoffice-writer-nogui) to read it"
WORD_STREAM = "WordDocument".encode("utf-16-le")  # a directory entry's name is UTF-16LE
MAX_REGULAR_SECTOR = 0xFFFFFFFA  # larger sector numbers are markers (free, end of chain, FAT, DIFAT)

_slots = threading.BoundedSemaphore(MAX_CONVERSIONS)


def soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_ole(path) -> Document:
    """Read a .doc/.wps through a LibreOffice conversion to .docx; ReadError with one line if not."""
    path = Path(path)
    _check_word(path)
    binary = soffice()
    if binary is None:
        raise ReadError(path, MISSING)
    from pipeline.readers.docx import read_docx

    with _slots, tempfile.TemporaryDirectory(prefix="duban-lo-") as tmp:
        docx = convert_to_docx(binary, path, Path(tmp), TIMEOUT)
        try:
            doc = read_docx(docx)
        except ReadError as e:  # name the user's file, not our temporary .docx
            raise ReadError(path, f"converted by LibreOffice, but {e.reason}") from None
    doc.path = str(path)
    doc.format = "wps" if path.suffix.lower() == ".wps" else "doc"
    return doc


def convert_to_docx(binary: str, path: Path, tmp: Path, timeout: float) -> Path:
    """Run one headless conversion of ``path`` into ``tmp``; the .docx it wrote."""
    source = tmp / "in" / "notice.doc"  # a plain name: no leading "-", no odd bytes for soffice's argv
    source.parent.mkdir()
    shutil.copyfile(path, source)
    out = tmp / "out"
    cmd = [binary, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
           "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
           "--outdir", str(out), str(source)]
    env = dict(os.environ, HOME=str(tmp))  # nothing written to the user's home
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ReadError(path, f"LibreOffice timed out after {timeout:g} s") from None
    except BaseException:
        _kill_group(proc)
        raise
    _kill_group(proc)  # soffice.bin can leave helpers behind in its group
    result = out / "notice.docx"
    if not result.is_file() or result.stat().st_size == 0:
        said = output.decode("utf-8", "replace").strip().splitlines()
        detail = next((ln for ln in said if ln.startswith("Error")), f"exit status {proc.returncode}")
        raise ReadError(path, f"LibreOffice could not convert it, corrupt or not a Word file ({detail[:100]})")
    return result


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _check_word(path: Path) -> None:
    """ReadError for an OLE file that is truncated or holds no WordDocument stream."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(512)
        if len(header) < 512:
            raise ReadError(path, "corrupt or truncated Word 97/WPS file (shorter than its header)")
        shift, = struct.unpack_from("<H", header, 0x1E)
        if shift not in (9, 12):
            raise ReadError(path, "corrupt Word 97/WPS file (a broken OLE header)")
        sector = 1 << shift
        directory, = struct.unpack_from("<I", header, 0x30)
        fat_count, = struct.unpack_from("<I", header, 0x2C)
        fat = struct.unpack_from(f"<{min(fat_count, 109)}I", header, 0x4C)
        used = [s for s in (directory, *fat) if s < MAX_REGULAR_SECTOR]
        if any((s + 2) * sector > size for s in used):  # sector s spans bytes (s+1)*size … (s+2)*size
            raise ReadError(path, "corrupt or truncated Word 97/WPS file (it ends before its last sector)")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data.find(WORD_STREAM) < 0:
                raise ReadError(path, "an OLE file that is not a Word document (Excel, PowerPoint or other); "
                                      "duban reads .doc and .wps")
