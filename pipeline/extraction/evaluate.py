"""Per-field scores of extracted records against gold annotations.

The metrics are those of the project's shared scorer (eval/score.py, which a user's clone does
not have): document fields as accuracy; list fields as micro precision/recall/F1 with greedy
one-to-one matching (optional gold items absorb predictions without counting); duty and roster
attributes as accuracy over the gold items; overall = the macro mean. Gold files look like
corpora/gold/*.json.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

WS = re.compile(r"[\s\u3000]+")
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕",
                          "(": "〔", ")": "〕", "（": "〔", "）": "〕", "〖": "〔", "〗": "〕"})
DOC_FIELDS = ("title", "doc_type", "doc_number", "issuer", "signed_date")
LIST_FIELDS = ("addressees", "cited_documents", "phases", "deadlines", "duties", "roster", "assignments", "benchmarks")
ATTRS = ("duty.quantity", "duty.unit", "duty.comparator", "duty.period", "duty.actor", "roster.title")


def norm(s):
    return None if s is None else WS.sub("", str(s)).strip("、，。；;,.:：《》")


def norm_number(s):
    return None if s is None else norm(s).translate(BRACKETS)


def _overlaps(anchor, text):
    a, t = norm(anchor), norm(text or "")
    return bool(a and t) and (a in t or (t in a and len(t) >= 0.6 * len(a)))


def _same(kind, g, p):
    if kind == "phases":
        if g.get("start") != p.get("start") or g.get("end") != p.get("end"):
            return False
        return g.get("name_free") or _overlaps(g["name"], p.get("name")) or _overlaps(p.get("name") or "", g["name"])
    if kind == "deadlines":
        return g["date"] == p.get("date")
    if kind == "duties":
        return _overlaps(g["anchor"], p.get("text"))
    if kind == "roster":
        return norm(g["role"]) == norm(p.get("role")) and norm(g["name"]) == norm(p.get("name"))
    if kind == "assignments":
        return norm(g["name"]) == norm(p.get("name")) and norm(g["anchor"]) in norm("".join(p.get("duties") or []))
    if g.get("doc_number") and p.get("doc_number"):   # cited_documents
        return norm_number(g["doc_number"]) == norm_number(p["doc_number"])
    return bool(g.get("title")) and norm(g["title"]) == norm(p.get("title"))


def _match(kind, gold, pred):
    used, pairs, absorbed = set(), [], 0
    for gi in sorted(range(len(gold)), key=lambda i: bool(gold[i].get("optional"))):
        g = gold[gi]
        cands = [i for i, p in enumerate(pred) if i not in used and _same(kind, g, p)]
        if not cands:
            continue
        pi = min(cands, key=lambda i: len(json.dumps(pred[i], ensure_ascii=False)))
        used.add(pi)
        if g.get("optional"):
            absorbed += 1
        else:
            pairs.append((g, pred[pi]))
    return pairs, len(pred) - absorbed, sum(1 for g in gold if not g.get("optional"))


def _f1(tp, npred, ngold):
    p = tp / npred if npred else (1.0 if ngold == 0 else 0.0)
    r = tp / ngold if ngold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold_dir, pred_dir, verbose=False, only_predicted=False):
    """(rows, overall, misses): rows are (field, metric, score, detail).

    ``only_predicted``: score only the gold documents that have a record in ``pred_dir`` (for a
    subset, such as the .docx twins of some notices); otherwise a missing record scores as empty.
    """
    acc = {k: [0, 0] for k in DOC_FIELDS}
    tally = {k: [0, 0, 0] for k in LIST_FIELDS}
    attrs = {k: [0, 0] for k in ATTRS}
    misses = []
    for gf in sorted(Path(gold_dir).glob("*.json")):
        g = json.loads(gf.read_text(encoding="utf-8"))
        pf = Path(pred_dir) / f"{g['doc']}.json"
        if only_predicted and not pf.exists():
            continue
        p = json.loads(pf.read_text(encoding="utf-8")) if pf.exists() else {}
        doc = g["doc"]
        dn = p.get("doc_number")
        got = {"title": norm(p.get("title")), "doc_type": norm(p.get("doc_type")),
               "doc_number": norm_number(dn.get("text") if isinstance(dn, dict) else dn),
               "issuer": norm(p.get("issuer")), "signed_date": p.get("signed_date")}
        ok = {"title": got["title"] in [norm(t) for t in g["title"]], "doc_type": got["doc_type"] == norm(g["doc_type"]),
              "doc_number": got["doc_number"] == norm_number(g["doc_number"]),
              "issuer": got["issuer"] in [norm(x) for x in g["issuer"]], "signed_date": got["signed_date"] == g["signed_date"]}
        for k in DOC_FIELDS:
            acc[k][0] += ok[k]
            acc[k][1] += 1
            if not ok[k]:
                misses.append(f"{doc} {k}: got {got[k]!r}, want {g[k] if k != 'title' else g[k][0]!r}")
        for key in ("addressees", "benchmarks"):
            ps, gs = {norm(x) for x in p.get(key) or []}, {norm(x) for x in g[key]}
            for i, v in enumerate((len(ps & gs), len(ps), len(gs))):
                tally[key][i] += v
        members = [m for r in p.get("rosters") or [] for m in r.get("members") or [] if m.get("name")]
        lists = {"cited_documents": p.get("cited_documents") or [], "phases": p.get("phases") or [],
                 "deadlines": p.get("deadlines") or [], "duties": p.get("duties") or [],
                 "roster": members, "assignments": p.get("assignments") or []}
        gold_lists = {k: g[k] for k in lists}
        gold_lists["roster"] = [m for m in g["roster"] if m.get("name")]
        for key, pitems in lists.items():
            gitems = gold_lists[key]
            pairs, npred, ngold = _match(key, gitems, pitems)
            for i, v in enumerate((len(pairs), npred, ngold)):
                tally[key][i] += v
            if verbose:
                matched = {id(x) for x, _ in pairs}
                misses += [f"{doc} {key}: missed {json.dumps(x, ensure_ascii=False)}" for x in gitems
                           if id(x) not in matched and not x.get("optional")]
            if key == "duties":
                _duty_attrs(attrs, gitems, pairs, ngold, doc, misses, verbose)
            if key == "roster":
                required = [m for m in gitems if m.get("title") and not m.get("optional")]
                attrs["roster.title"][1] += len(required) - sum(1 for m, _ in pairs if m.get("title"))
                for gm, pm in pairs:
                    if gm.get("title"):
                        good = norm(pm.get("title")) == norm(gm["title"])
                        attrs["roster.title"][0] += good
                        attrs["roster.title"][1] += 1
                        if not good and verbose:
                            misses.append(f"{doc} roster.title {gm['name']}: got {pm.get('title')!r}, want {gm['title']!r}")
    rows = [(k, "accuracy", a / n if n else 1.0, f"{a}/{n}") for k, (a, n) in acc.items()]
    for k, (tp, npred, ngold) in tally.items():
        p, r, f = _f1(tp, npred, ngold)
        rows.append((k, "F1", f, f"P={p:.3f} R={r:.3f} tp={tp} pred={npred} gold={ngold}"))
    rows += [(k, "accuracy", a / n if n else 1.0, f"{a}/{n} of gold") for k, (a, n) in attrs.items()]
    return rows, sum(r[2] for r in rows) / len(rows), misses


def _duty_attrs(attrs, gitems, pairs, ngold, doc, misses, verbose):
    unmatched = ngold - len(pairs)
    for a in ("quantity", "unit", "comparator", "period"):
        attrs[f"duty.{a}"][1] += unmatched
    attrs["duty.actor"][1] += sum(1 for d in gitems if d.get("actor") and not d.get("optional")) - sum(1 for d, _ in pairs if d.get("actor"))
    for gd, pd in pairs:
        for a in ("quantity", "unit", "comparator", "period"):
            if a == "quantity":
                good = (pd.get(a) is None and gd[a] is None) or (pd.get(a) is not None and gd[a] is not None and float(pd[a]) == float(gd[a]))
            else:
                good = pd.get(a) == gd[a]
            attrs[f"duty.{a}"][0] += good
            attrs[f"duty.{a}"][1] += 1
            if not good and verbose:
                misses.append(f"{doc} duty.{a} [{gd['anchor']}]: got {pd.get(a)!r}, want {gd[a]!r}")
        if gd.get("actor"):
            good = _overlaps(gd["actor"], pd.get("actor")) or _overlaps(pd.get("actor") or "", gd["actor"])
            attrs["duty.actor"][0] += good
            attrs["duty.actor"][1] += 1
            if not good and verbose:
                misses.append(f"{doc} duty.actor [{gd['anchor']}]: got {pd.get('actor')!r}, want {gd['actor']!r}")
