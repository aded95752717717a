"""Readers never stop a batch: damaged text decoded with a warning, surrogates never leave a reader,
a stated size limit checked before reading, and a FIFO never opened. Invented text only."""
from __future__ import annotations

import os
import threading
import time

import pytest

from pipeline.readers import document, read, read_entries
from pipeline.readers.document import Block, Document, ReadError, clean_text
from pipeline.readers.txt import decode_text

NOTICE = ("澄河县测试局关于开展安全检查的通知\n各乡镇人民政府：\n为做好安全生产工作，现将有关事项通知如下。\n"
          "一、各村每月开展检查不少于2次，发现问题及时整改。\n二、各乡镇于2023年6月30日前报送总结。\n"
          "澄河县测试局\n2023年3月5日\n") * 3


# --- one decoder, damaged bytes ----------------------------------------------------------------

def test_a_flipped_bit_in_utf8_is_replaced_and_said():
    data = bytearray(NOTICE.encode("utf-8"))
    data[40] ^= 0x40  # one bit of a CJK character's lead byte: no longer valid UTF-8
    with pytest.raises(UnicodeDecodeError):
        bytes(data).decode("utf-8")
    got = decode_text(bytes(data))
    assert got.encoding == "UTF-8" and 1 <= got.replaced <= 3
    assert got.warning == f"{got.replaced} bytes not valid UTF-8, replaced"
    assert "\ufffd" in got.text and got.text.count("澄河县测试局") == 6  # the rest read as it was


def test_every_single_bit_flip_of_a_utf8_notice_is_read(tmp_path):
    """The file is read whatever bit is flipped (a sample of positions), never refused."""
    data = NOTICE.encode("utf-8")
    for i in range(0, len(data), 7):
        for bit in (0x01, 0x20, 0x80):
            flipped = bytearray(data)
            flipped[i] ^= bit
            f = tmp_path / "n.txt"
            f.write_bytes(bytes(flipped))
            doc = read(f)
            assert "测试局" in doc.text, (i, bit)


def test_gb18030_is_not_taken_for_damaged_utf8():
    got = decode_text(NOTICE.encode("gb18030"))
    assert got.encoding == "GB18030" and got.replaced == 0 and got.text == NOTICE


def test_damaged_gb18030_is_replaced_and_said():
    data = NOTICE.encode("gb18030") + b"\x81"  # a truncated last character
    got = decode_text(data)
    assert got.encoding == "GB18030" and got.replaced == 1 and got.text.startswith(NOTICE)


def test_bom_and_declared_charsets():
    assert decode_text(b"\xef\xbb\xbf" + NOTICE.encode()).text == NOTICE
    assert decode_text(b"\xff\xfe" + NOTICE.encode("utf-16-le")).text == NOTICE
    assert decode_text(NOTICE.encode("gbk"), "gb2312").text == NOTICE
    damaged = decode_text(b"\xff\xfe" + NOTICE.encode("utf-16-le") + b"\x00")  # odd length: one byte short
    assert damaged.replaced == 1 and damaged.warning.endswith("not valid UTF-16, replaced")


def test_binary_bytes_are_still_refused(tmp_path):
    f = tmp_path / "b.txt"
    f.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ReadError, match="binary|not text"):
        read(f)


def test_a_read_text_carries_its_warning(tmp_path):
    data = bytearray(NOTICE.encode("utf-8"))
    data[40] ^= 0x40
    f = tmp_path / "n.txt"
    f.write_bytes(bytes(data))
    doc = read(f)
    assert len(doc.warnings) == 1 and "not valid UTF-8, replaced" in doc.warnings[0]
    f.write_text(NOTICE, encoding="utf-8")
    assert read(f).warnings == []


def test_a_few_nul_bytes_are_dropped_and_said(tmp_path):
    data = bytearray(NOTICE.encode("utf-8"))
    data[3] = 0  # 0x80 with its high bit flipped
    f = tmp_path / "n.txt"
    f.write_bytes(bytes(data))
    doc = read(f)
    assert "测试局" in doc.text and any("NUL" in w for w in doc.warnings)


# --- surrogates ---------------------------------------------------------------------------------

def test_clean_text_joins_pairs_and_replaces_lone_surrogates():
    assert clean_text("谭颖") == "谭颖"
    assert clean_text("A\ud840\udc00B") == "A\U00020000B"
    assert clean_text("A\ud800B\udc00") == "A\ufffdB\ufffd"


def _pdf_with_tounicode(dest, mapping: dict[int, str], shown: bytes) -> None:
    """A one-page PDF showing ``shown`` in Helvetica, whose ToUnicode CMap maps codes to ``mapping``
    (hex UTF-16 code units: a lone surrogate is what a damaged or hostile PDF can carry)."""
    entries = "\n".join(f"<{c:02X}> <{u}>" for c, u in mapping.items())
    cmap = (f"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
            f"1 begincodespacerange <00> <FF> endcodespacerange\n{len(mapping)} beginbfchar\n{entries}\nendbfchar\n"
            f"endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    content = b"BT /F1 24 Tf 72 700 Td (" + shown + b") Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    dest.write_bytes(bytes(out))


def test_no_surrogate_leaves_the_pdf_reader(tmp_path):
    f = tmp_path / "s.pdf"
    _pdf_with_tounicode(f, {0x41: "D800", 0x42: "0041", 0x43: "D840DC00"}, b"BABCB")
    text = read(f).text
    assert text == "A\ufffdA\U00020000A"
    text.encode("utf-8")  # printable, storable


def test_read_cleans_whatever_a_reader_returns(tmp_path, monkeypatch):
    from pipeline.readers import txt

    f = tmp_path / "n.txt"
    f.write_text(NOTICE, encoding="utf-8")
    monkeypatch.setattr(txt, "read_txt", lambda p: Document(str(p), "txt", "", [
        Block("标题\udc81"), Block("a\tb", kind="table_row", cells=["甲\ud800", "乙"])]))
    doc = read(f)
    assert doc.blocks[0].text == "标题\ufffd" and doc.blocks[1].cells == ["甲\ufffd", "乙"]


# --- size ---------------------------------------------------------------------------------------

def test_max_chars_is_stated_and_exported():
    assert document.MAX_CHARS == int(os.environ.get("DUBAN_MAX_CHARS", "1000000"))


def test_a_huge_text_is_refused_by_its_size_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(document, "MAX_CHARS", 1000)
    f = tmp_path / "big.txt"
    f.write_bytes(NOTICE.encode("utf-8") * 40)  # > 4 bytes × 1000 characters
    from pipeline.readers import txt

    monkeypatch.setattr(txt, "read_txt", lambda p: pytest.fail("read before the size check"))
    with pytest.raises(ReadError) as e:
        read(f)
    assert str(e.value).startswith(str(f)) and "1,000 characters" in str(e.value) and "\n" not in str(e.value)


def test_a_text_over_the_limit_is_refused_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(document, "MAX_CHARS", 1000)
    f = tmp_path / "long.txt"
    f.write_text("测" * 1200, encoding="utf-8")  # 3,600 bytes: passes the byte bound, fails on characters
    with pytest.raises(ReadError, match=r"1,201 characters of text; the limit is 1,000"):
        read(f)


def test_a_199_mib_text_fails_fast_with_the_default_limit(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(199 * 1024 * 1024)  # sparse: costs no disk
    start = time.perf_counter()
    outcomes = list(read_entries(f))
    assert isinstance(outcomes[0], ReadError) and "too long for a notice" in outcomes[0].reason
    assert time.perf_counter() - start < 2


# --- never open what is not a regular file ------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "p.zip"
    os.mkfifo(fifo)
    result = []
    t = threading.Thread(target=lambda: result.extend(read_entries(fifo)), daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # release the blocked open before failing
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("reading a FIFO blocked")
    assert len(result) == 1 and isinstance(result[0], ReadError)
    assert "named pipe" in result[0].reason and str(result[0]).startswith(str(fifo))


def test_web_pages_go_through_the_same_decoder(tmp_path):
    """A page with a flipped bit is read with the bytes replaced and the same warning as a .txt."""
    body = "".join(f"<p>{line}</p>" for line in NOTICE.splitlines())
    data = bytearray(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode("utf-8"))
    data[data.index("测试局".encode()) + 1] ^= 0x40
    f = tmp_path / "n.html"
    f.write_bytes(bytes(data))
    doc = read(f)
    assert "测试局" in doc.text and "\ufffd" in doc.text
    assert len(doc.warnings) == 1 and doc.warnings[0].endswith("bytes not valid UTF-8, replaced")


def test_names_are_decoded_strictly():
    from pipeline.readers.document import decode_name

    assert decode_name("关于印发方案的通知.docx".encode("gbk")) == "关于印发方案的通知.docx"
    assert decode_name("通知.docx".encode("utf-8")) == "通知.docx"
    assert decode_name(b"a\x81\x30") is None  # neither: a GB18030 four-byte character cut short


def test_spacy_takes_every_text_the_readers_let_through(monkeypatch):
    """spaCy's own length limit (E088) follows the readers' DUBAN_MAX_CHARS."""
    import subprocess
    import sys

    code = ("from pipeline.extraction.nlp import get_nlp; from pipeline.readers import MAX_CHARS; "
            "assert get_nlp().max_length > MAX_CHARS, (get_nlp().max_length, MAX_CHARS); print(MAX_CHARS)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "DUBAN_MAX_CHARS": "3000000"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3000000"
