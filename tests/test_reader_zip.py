"""Zip archives through read_entries (members read like files, named archive.zip/inner/name, bombs,
traversal, GBK names, nesting, junk), and the reader follow-ups: password-protected Office files,
Word Online's main part, non-UTF-8 file names, a bomb inside a .docx."""
from __future__ import annotations

import os
import struct
import zipfile

import pytest

from corpora.tools.docx_writer import write_docx
from corpora.tools.html_writer import write_html
from corpora.tools.ofd_writer import write_ofd
from pipeline.readers.document import Document, ReadError
from pipeline.extraction.api import extract_entries
from pipeline.readers import archive, read, read_entries
from tests.test_reader_pdf import NOTICE_A, NOTICE_B

SHORT = "关于开展安全生产检查的通知\n各村（社区）：\n请于2024年6月30日前完成隐患排查，每周至少巡查2次。\n岚溪镇人民政府\n2024年5月30日\n"


def _entries(path) -> list[tuple[str, str]]:
    """(path, format or the error's reason) of every entry."""
    return [(e.path, e.reason if isinstance(e, ReadError) else e.format) for e in read_entries(path)]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("members")
    write_docx(NOTICE_A, d / "a.docx")
    write_ofd(NOTICE_B, d / "b.ofd")
    write_html(SHORT, d / "c.html")
    return {name: (d / name).read_bytes() for name in ("a.docx", "b.ofd", "c.html")}


def _zip(path, members: dict, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_members_are_read_in_order_and_named_inside_the_archive(tmp_path, files):
    path = _zip(tmp_path / "批量.zip", {
        "通知/": b"", "通知/a.docx": files["a.docx"], "通知/方案/b.ofd": files["b.ofd"], "c.html": files["c.html"],
        "d.txt": SHORT.encode("gb18030"), "logo.gif": b"GIF89a", "__MACOSX/通知/._a.docx": b"\0\5\26\7",
        ".DS_Store": b"\0\0\0\1Bud1", "Thumbs.db": b"\xd0\xcf\x11\xe0", "通知/~$a.docx": b"owner",
        "broken.docx": "这不是Word文件".encode()})
    got = _entries(path)
    assert got == [(f"{path}/通知/a.docx", "docx"), (f"{path}/通知/方案/b.ofd", "ofd"), (f"{path}/c.html", "html"),
                   (f"{path}/d.txt", "txt"), (f"{path}/broken.docx", "not a docx file (its bytes are plain text or unknown)")]
    doc = next(iter(read_entries(path)))
    assert doc.sha256 and doc.blocks[0].text == "临政办发〔2023〕15号"


def test_extract_entries_gives_a_record_per_member(tmp_path, files):
    path = _zip(tmp_path / "a.zip", {"a.docx": files["a.docx"], "x.pdf": b"%PDF-1.4 broken"})
    out = list(extract_entries(path))
    assert [p for p, _ in out] == [f"{path}/a.docx", f"{path}/x.pdf"]
    assert out[0][1]["doc_number"]["text"] == "临政办发〔2023〕15号" and out[0][1]["source"]["path"] == f"{path}/a.docx"
    assert isinstance(out[1][1], ReadError) and str(out[1][1]) == f"{path}/x.pdf: corrupt or truncated PDF"


def test_gbk_member_names(tmp_path):
    path = _zip(tmp_path / "gbk.zip", {"abcdefghijklmn.txt": SHORT.encode("utf-8")})
    data = path.read_bytes().replace(b"abcdefghijklmn.txt", "关于检查的通知.txt".encode("gbk"))
    path.write_bytes(data)  # as WinRAR on Chinese Windows writes it: GBK bytes, no UTF-8 flag
    with zipfile.ZipFile(path) as z:
        assert not z.infolist()[0].flag_bits & 0x800
    assert _entries(path) == [(f"{path}/关于检查的通知.txt", "txt")]


def test_names_cannot_escape_and_nothing_is_extracted(tmp_path):
    inner = tmp_path / "in"
    inner.mkdir()
    path = _zip(inner / "evil.zip", {"../../evil.txt": SHORT, "/etc/abs.txt": SHORT, "C:\\Windows\\win.txt": SHORT})
    assert _entries(path) == [(f"{path}/evil.txt", "txt"), (f"{path}/etc/abs.txt", "txt"),
                              (f"{path}/Windows/win.txt", "txt")]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["evil.zip", "in"]


def test_one_level_of_nesting(tmp_path, files):
    deeper = _zip(tmp_path / "deeper.zip", {"e.txt": SHORT})
    inner = _zip(tmp_path / "inner.zip", {"c.html": files["c.html"], "deeper.zip": deeper.read_bytes()})
    path = _zip(tmp_path / "outer.zip", {"inner.zip": inner.read_bytes(), "d.txt": SHORT})
    assert _entries(path) == [
        (f"{path}/inner.zip/c.html", "html"),
        (f"{path}/inner.zip/deeper.zip", "a zip inside a zip inside a zip; not opened (one level of nesting is read)"),
        (f"{path}/d.txt", "txt")]


def test_zip_bomb_by_ratio(tmp_path):
    path = _zip(tmp_path / "bomb.zip", {"a.txt": SHORT, "big.txt": b"0" * (8 << 20)})
    with zipfile.ZipFile(path) as z:
        ratio = z.getinfo("big.txt").file_size // z.getinfo("big.txt").compress_size
    assert ratio > archive.MAX_RATIO
    assert _entries(path) == [(str(path), f"looks like a zip bomb (big.txt unpacks {ratio} times its size)")]


def test_zip_bomb_by_size_and_count(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    path = _zip(tmp_path / "big.zip", {"a.txt": SHORT * 10, "b.txt": SHORT * 10}, zipfile.ZIP_STORED)
    assert _entries(path) == [(str(path), "looks like a zip bomb (0 MB unpacked; the limit is 0 MB)")]
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1 << 30)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 2)
    path = _zip(tmp_path / "many.zip", {f"{i}.txt": SHORT for i in range(3)})
    assert _entries(path) == [(str(path), "looks like a zip bomb (3 members; the limit is 2)")]


def test_a_directory_that_lies_about_sizes_is_cut_off(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "_bomb", lambda infos: None)  # as if the directory declared small sizes
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1000)
    path = _zip(tmp_path / "liar.zip", {"a.txt": SHORT * 40})
    assert _entries(path) == [(f"{path}/a.txt", "looks like a zip bomb (unpacks past 0 MB)")]


def test_encrypted_member(tmp_path):
    path = _zip(tmp_path / "locked.zip", {"a.txt": SHORT})
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 1  # general-purpose flag bit 0: encrypted
    data[6] |= 1
    path.write_bytes(bytes(data))
    assert _entries(path) == [(f"{path}/a.txt", "password-protected (encrypted) in the archive; zip it without a password")]


def test_archive_without_notices_and_broken_archives(tmp_path):
    path = _zip(tmp_path / "junk.zip", {"__MACOSX/._x": b"", "logo.gif": b"GIF89a", "dir/": b""})
    assert _entries(path) == [(str(path), "a zip archive with no notice files in it")]
    cut = tmp_path / "cut.zip"
    cut.write_bytes(_zip(tmp_path / "whole.zip", {"a.txt": SHORT * 50}).read_bytes()[:200])
    assert _entries(cut) == [(str(cut), "corrupt or truncated file (a broken zip container)")]
    with pytest.raises(ReadError) as info:
        read(path)
    assert str(info.value) == f"{path}: a zip archive, not one notice (its members are read by read_entries)"


def test_a_docx_is_not_opened_as_an_archive(tmp_path, files):
    path = tmp_path / "a.docx"
    path.write_bytes(files["a.docx"])
    assert _entries(path) == [(str(path), "docx")]


# --- follow-ups: encrypted Office files, Word Online's main part, odd names, a bomb in a .docx ----

def _ole(streams: dict[str, bytes]) -> bytes:
    """A minimal compound file (CFB v3, 512-byte sectors) holding ``streams`` of ≥ 4096 bytes each."""
    sector = 512
    data_sectors, layout = [], []
    for name, data in streams.items():
        data = data + b"\0" * (-len(data) % sector)
        layout.append((name, len(data_sectors), len(streams[name])))
        data_sectors += [data[i:i + sector] for i in range(0, len(data), sector)]
    n_data = len(data_sectors)
    dir_sector, fat_sector = n_data, n_data + 1
    fat = []
    for name, start, size in layout:
        count = -(-size // sector)
        fat += [start + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFE, 0xFFFFFFFD]  # directory chain end, the FAT sector itself
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(name, kind, start, size, child=0xFFFFFFFF, right=0xFFFFFFFF):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)]
    for i, (name, start, size) in enumerate(layout):
        right = i + 2 if i + 1 < len(layout) else 0xFFFFFFFF
        entries.append(entry(name, 2, start, size, right=right))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, dir_sector, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0))
    difat = struct.pack("<I", fat_sector) + b"\xff\xff\xff\xff" * 108
    return (header + difat).ljust(sector, b"\0") + b"".join(data_sectors) + directory + struct.pack("<128I", *fat)


def test_password_protected_office_file(tmp_path):
    path = tmp_path / "加密.docx"
    path.write_bytes(_ole({"EncryptionInfo": b"\4\0\4\0" + b"\0" * 4092, "EncryptedPackage": os.urandom(8192)}))
    with pytest.raises(ReadError) as info:
        read(path)
    assert str(info.value) == f"{path}: password-protected (encrypted) file; save it without a password"


def test_word_online_main_part_document2(tmp_path, files):
    path = tmp_path / "online.docx"
    with zipfile.ZipFile(_write(tmp_path / "a.docx", files["a.docx"])) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            name = {"word/document.xml": "word/document2.xml",
                    "word/_rels/document.xml.rels": "word/_rels/document2.xml.rels"}.get(info.filename, info.filename)
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                data = data.replace(b"/word/document.xml", b"/word/document2.xml").replace(
                    b'Target="word/document.xml"', b'Target="word/document2.xml"')
            dst.writestr(name, data)
    with zipfile.ZipFile(path) as z:
        assert "word/document.xml" not in z.namelist()
    doc = read(path)
    assert doc.format == "docx" and doc.blocks[0].text == "临政办发〔2023〕15号"


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_file_names_that_are_not_utf8_print_safely(tmp_path):
    raw = "关于开展检查的通知".encode("gbk")
    good = os.path.join(os.fsencode(tmp_path), raw + b".txt")
    with open(good, "wb") as fh:
        fh.write(SHORT.encode("utf-8"))
    empty = os.path.join(os.fsencode(tmp_path), raw + b"2.txt")
    open(empty, "wb").close()
    doc = read(os.fsdecode(good))
    assert doc.path == f"{tmp_path}/关于开展检查的通知.txt"
    with pytest.raises(ReadError) as info:
        read(os.fsdecode(empty))
    message = str(info.value)
    assert message == f"{tmp_path}/关于开展检查的通知2.txt: empty file"
    message.encode("utf-8")  # printable: no surrogates left
    assert Document(path=os.fsdecode(b"/x/\xff\xfe.txt"), format="txt", sha256="").path == "/x/\ufffd\ufffd.txt"


def test_zip_bomb_inside_a_docx_is_refused_by_size(tmp_path, files):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(_write(tmp_path / "a.docx", files["a.docx"])) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info))
        with dst.open("word/document.xml", "w") as out:  # 101 MB unpacked, ~100 KB packed
            out.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">')
            for _ in range(101):
                out.write(b" " * (1 << 20))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ReadError) as info:
        read(path)
    assert str(info.value) == f"{path}: word/document.xml is too large (101 MB unpacked)"


# -- the work one archive may cost is bounded ---------------------------------------------------------

def test_an_archive_stops_past_its_text_budget_and_says_what_was_skipped(tmp_path, monkeypatch):
    """A small zip of many large text members used to hold a rebuild for half an hour."""
    monkeypatch.setattr(archive, "MAX_TEXT_CHARS", 2 * len(SHORT) + 1)
    path = tmp_path / "many.zip"
    _zip(path, {f"n{i}.txt": SHORT.encode("utf-8") for i in range(6)})
    entries = _entries(path)
    docs = [p for p, what in entries if what == "txt"]
    assert docs == [f"{path}/n{i}.txt" for i in range(3)]
    (skip_path, reason), = [e for e in entries if e[1] != "txt"]
    assert skip_path == str(path) and reason.startswith("3 of 6 members skipped, from n3.txt on")
    assert "characters" in reason


def test_an_archive_stops_past_its_time_budget(tmp_path, monkeypatch):
    """The reader is lazy: the time spent extracting what it yielded counts."""
    import time as _time

    monkeypatch.setattr(archive, "MAX_SECONDS", 0.5)
    path = tmp_path / "slow.zip"
    _zip(path, {f"n{i}.txt": SHORT.encode("utf-8") for i in range(4)})
    seen = []
    for item in read_entries(path):
        seen.append(item)
        _time.sleep(0.3)  # a slow extraction of each notice
    assert [type(x).__name__ for x in seen] == ["Document", "Document", "ReadError"]
    assert seen[-1].reason.startswith("2 of 4 members skipped") and "s spent on it" in seen[-1].reason


def test_temporary_folders_of_killed_runs_are_removed(tmp_path, monkeypatch):
    import subprocess
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / "tmp" / f"duban-zip-{gone.pid}-abc"
    live = tmp_path / "tmp" / f"duban-zip-{os.getppid()}-def"
    for d in (stale, live):
        d.mkdir()
        (d / "member.txt").write_text("x")
    path = tmp_path / "a.zip"
    _zip(path, {"n.txt": SHORT.encode("utf-8")})
    assert [w for _, w in _entries(path)] == ["txt"]
    assert not stale.exists() and live.exists()
    assert not list((tmp_path / "tmp").glob(f"duban-zip-{os.getpid()}-*"))
