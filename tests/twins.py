"""Twin scoring: corpora notices written in another format, extracted and scored against gold the
same way as their .txt originals. A reader that loses or garbles text scores lower than .txt."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from pipeline.extraction.evaluate import score
from pipeline.extraction.api import extract_file
from pipeline.readers.txt import decode

ROOT = Path(__file__).resolve().parent.parent
NOTICES, GOLD = ROOT / "corpora" / "notices", ROOT / "corpora" / "gold"
# twelve notices of every kind: township, county bureau, school, university, web copy, enterprise, GB18030/UTF-16
STEMS = ("001_lanxi_anquan", "004_erzhong_shide", "006_linyue_fazhi", "009_chenghe_renju", "010_web_shipin",
         "011_chengtou_anquanyue", "013_heyu_qingsiluan", "016_lanxi_sanlian", "018_linyue_daxue",
         "020_linyue_dianti", "023_chenghe_jiwei", "026_liuyin_shequ")


def twin_score(tmp: Path, suffix: str, write=None) -> float:
    """Overall score of the STEMS written with ``write(text, path)`` as ``suffix`` files (the .txt
    files themselves when ``write`` is None)."""
    gold, pred, files = tmp / "gold", tmp / "pred", tmp / "files"
    for folder in (gold, pred, files):
        folder.mkdir(parents=True)
    for stem in STEMS:
        shutil.copy(GOLD / f"{stem}.json", gold)
        source = NOTICES / f"{stem}.txt"
        if write is None:
            path = source
        else:
            path = files / f"{stem}{suffix}"
            write(decode(source.read_bytes()), path)
        record = extract_file(path)
        (pred / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    _, overall, _ = score(gold, pred)
    return overall
