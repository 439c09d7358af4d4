"""Typed results <-> plain dicts, losslessly: what the store writes as JSON and reads back.

``encode(decode(d)) == d`` for every dict ``encode`` wrote, and ``decode(encode(r)) == r`` for every
result (a round-trip test holds both). The dict is the documented export shape (README, "Output")
plus what only the store needs: every criterion evidence item (an export keeps the strongest few,
``present.export``), each item's ``origins`` and, for a letter item's evidence, the criterion it
came from. Results stored before those keys existed still decode: ``origins`` are read once from
the ``source`` label here, and nowhere else.
"""

from __future__ import annotations

from dataclasses import asdict

from disclosure_check.types import (
    Assessment,
    Box,
    CriterionEvidence,
    CriterionResult,
    ElementResult,
    Evidence,
    Failure,
    Gap,
    GateResult,
    HiddenText,
    Identity,
    LetterItem,
    Maturity,
    Metadata,
    Origin,
    Profile,
    Quote,
    ThemeResult,
    TrainingAudiences,
)


# -- encode ----------------------------------------------------------------------------------------
def boxes_to_lists(boxes) -> list[list]:
    """[[page, x0, top, x1, bottom], ...] in PDF points from the page's top-left corner."""
    return [[b.page, round(b.x0, 1), round(b.top, 1), round(b.x1, 1), round(b.bottom, 1)] for b in boxes]


def origin_to_list(o: Origin) -> list[str]:
    return [o.kind, o.name, o.by, o.matched]


def criterion_evidence_to_dict(e: CriterionEvidence, *, owner: str | None = None) -> dict:
    """``owner``: the criterion or item whose list holds the item; ``criterion`` is written when it
    differs (a letter item's evidence taken from a criterion)."""
    out = {"text": e.text, "page": e.page, "status": e.status, "level": e.level, "source": e.source,
           "sentence_index": e.sentence_index, "boxes": boxes_to_lists(e.boxes), "ocr": e.ocr,
           "origins": [origin_to_list(o) for o in e.origins]}
    if owner is not None and e.criterion != owner:
        out["criterion"] = e.criterion
    return out


def evidence_to_dict(ev: Evidence) -> dict:
    out = {"text": ev.text, "page": ev.page, "classifier": ev.classifier, "score": round(ev.score, 4),
           "status": ev.status, "sentence_index": ev.sentence_index, "detail": ev.detail,
           "boxes": boxes_to_lists(ev.boxes), "ocr": ev.ocr}
    if ev.found_by:
        out["found_by"] = list(ev.found_by)
    return out


def identity_to_dict(identity: Identity) -> dict:
    """The ``identity`` object: exactly organisation, entities, company_number, financial_year_end, year."""
    return {"organisation": identity.organisation, "entities": list(identity.entities),
            "company_number": identity.company_number, "financial_year_end": identity.financial_year_end,
            "year": identity.year}


def quote_to_dict(q: Quote) -> dict:
    return {"page": q.page, "text": q.text, "boxes": boxes_to_lists(q.boxes), "ocr": q.ocr}


def judgements_to_dict(p: Profile) -> dict:
    """Per judgement (doc_type, sector, jurisdiction): where it came from, why, and the sentence."""
    out = {}
    for name in dict.fromkeys([n for n, _ in p.sources] + [n for n, _ in p.reasons] + [n for n, _ in p.evidence]):
        quote = p.quote(name)
        out[name] = {"source": p.source_of(name), "reason": p.reason(name),
                     "quote": quote_to_dict(quote) if quote is not None else None}
    return out


def _gate_state(check: dict) -> str:
    """A stored check's state. Results stored before "not_found" existed said "not_met" for nothing
    found: without a quote, that is what it was (a reviewer's "not met" is applied from the decision)."""
    state = check.get("state") or ("met" if check["met"] else "not_met")
    if state == "not_met" and not check.get("evidence") and check.get("reason", "") in _OLD_NOT_FOUND:
        return "not_found"
    return state


# The reasons gate.py gave for "nothing found" when it still called that "not_met".
_OLD_NOT_FOUND = frozenset(("", "no statement that the board (or equivalent) approved it",
                            "no signature block or signing statement found",
                            "no financial year or reporting period stated"))


def maturity_to_dict(m: Maturity) -> dict:
    p = m.profile
    return {
        "doc_type": p.doc_type,
        "sector": {"financial": p.financial, "subsector": p.subsector, "industry": p.industry,
                   "jurisdiction": p.jurisdiction, "source": p.source},
        "jurisdictions": list(p.jurisdictions),
        "section": {"first_page": p.section[0], "last_page": p.section[1]} if p.section else None,
        "judgements": judgements_to_dict(p),
        "statutory": None if not m.gate else {
            "met": m.statutory_met,
            "state": m.statutory_state,
            "checks": [{"id": g.id, "name": g.name, "met": g.met, "state": g.state, "reason": g.reason,
                        "requirement": g.requirement,
                        **({"requirements": [{"jurisdiction": j, "wording": w} for j, w in g.requirements]}
                           if g.requirements else {}),
                        **({"period": {"start": g.period[0], "end": g.period[1]}} if g.period else {}),
                        **({"element": g.element} if g.element else {}),
                        **({"candidates": [quote_to_dict(q) for q in g.candidates]} if g.candidates else {}),
                        "evidence": [quote_to_dict(q) for q in g.evidence]} for g in m.gate],
        },
        "criteria": [
            {"id": c.id, "theme": c.theme, "level": c.level, "applies": c.applies, "flags": list(c.flags),
             "evidence": [criterion_evidence_to_dict(e, owner=c.id) for e in c.evidence]}
            for c in m.criteria
        ],
        "themes": [{"id": t.id, "level": t.level} for t in m.themes],
        "overall": m.overall,
        "gaps": [{"criterion": g.criterion, "theme": g.theme, "level": g.level, "next_level": g.next_level,
                  "next_level_description": g.next_level_description, "recommendation": g.recommendation,
                  "sources": list(g.sources)} for g in m.gaps],
        "letter": [{"id": i.id, "kind": i.kind, "name": i.name, "level": i.level, "criteria": list(i.criteria),
                    "evidence": [criterion_evidence_to_dict(e, owner=i.id) for e in i.evidence]}
                   for i in m.letter],
        "flags": list(m.flags),
        "scale": [{"level": level, "id": level_id, "name": name} for level, level_id, name in m.scale],
    }


def encode(result: Assessment | Failure) -> dict:
    """The whole result as a plain dict (JSON-ready)."""
    if isinstance(result, Failure):
        return {
            "document": result.path, "doc_id": result.doc_id, "status": "failed",
            "error": result.reason, "error_code": result.code, "pages": None, "elements": {},
            "rubric_version": result.rubric_version, "model_version": result.model_version,
            "language": result.language,
            **({"fetched_from": result.fetched_from} if result.fetched_from else {}),
        }
    return {
        "document": result.path,
        "doc_id": result.doc_id,
        "status": "scored",
        "error": None,
        "error_code": None,
        "pages": result.pages,
        "pages_without_text": list(result.pages_without_text),
        "pages_ocr": [{"page": page, "confidence": confidence} for page, confidence in result.pages_ocr],
        "language": result.language,
        "pages_other_language": [{"page": page, "language": code} for page, code in result.pages_other_language],
        "pages_hidden_text": [{"page": h.page, "words": h.words, "how": list(h.how)} for h in result.hidden_text],
        "sentences": result.sentences,
        "rubric_version": result.rubric_version,
        "model_version": result.model_version,
        "metadata": asdict(result.metadata),
        **({"fetched_from": result.fetched_from} if result.fetched_from else {}),
        "elements": {
            e.element: {
                "present": e.present,
                "confidence": e.confidence,
                "evidence": [evidence_to_dict(ev) for ev in e.evidence],
                "negative": [evidence_to_dict(ev) for ev in e.negative],
                **({"rejected": [evidence_to_dict(ev) for ev in e.rejected]} if e.rejected else {}),
            }
            for e in result.elements
        },
        **({"identity": identity_to_dict(result.identity), "identity_sources": dict(result.identity.sources),
            "identity_suggestion": result.identity.suggestion,
            "identity_evidence": {name: quote_to_dict(q) for name, q in result.identity.evidence}}
           if result.identity is not None else {}),
        **(maturity_to_dict(result.maturity) if result.maturity is not None else {}),
        **({"training_audiences": {
            "labels": list(result.training_audiences.labels),
            "evidence": [{"audience": a, "page": p, "text": t} for a, p, t in result.training_audiences.evidence],
            "model_version": result.training_audiences.model_version,
        }} if result.training_audiences is not None else {}),
    }


# -- decode ----------------------------------------------------------------------------------------
def _boxes(values) -> tuple[Box, ...]:
    return tuple(Box.from_list(b) for b in values or ())


def _quote(q: dict) -> Quote:
    return Quote(page=int(q["page"]), text=q["text"], boxes=_boxes(q.get("boxes")), ocr=bool(q.get("ocr")))


def origins_from_label(source: str) -> tuple[Origin, ...]:
    """Origins from an exported ``source`` label, for results stored before origins were: each part
    of "element approval (tfidf-logreg.v1) + rules.v1 c02.owner matched 'board'" as written by
    ``Origin.label``. The only place a label is read back."""
    out = []
    for part in (source or "").split(" + "):
        if part.startswith("element ") and part.endswith(")") and " (" in part:
            name, _, by = part[len("element "):-1].partition(" (")
            out.append(Origin("element", name, by))
        elif part.startswith("training audience ") and part.endswith(")") and " (" in part:
            name, _, by = part[len("training audience "):-1].partition(" (")
            out.append(Origin("audience", name, by))
        elif " matched '" in part and part.endswith("'") and part.count(" ") >= 2:
            head, _, matched = part.partition(" matched '")
            by, _, name = head.partition(" ")
            out.append(Origin("rule", name, by, matched[:-1]))
        elif part:
            out.append(Origin("other", part))
    return tuple(out)


def _criterion_evidence(owner: str, e: dict) -> CriterionEvidence:
    origins = tuple(Origin(*o) for o in e["origins"]) if "origins" in e else origins_from_label(e.get("source", ""))
    return CriterionEvidence(criterion=e.get("criterion", owner), level=int(e["level"]), status=e["status"],
                             text=e["text"], page=int(e["page"]), sentence_index=int(e.get("sentence_index", -1)),
                             origins=origins, boxes=_boxes(e.get("boxes")), ocr=bool(e.get("ocr")))


def _evidence(element: str, e: dict) -> Evidence:
    return Evidence(element=element, sentence_index=int(e["sentence_index"]), text=e["text"], page=int(e["page"]),
                    classifier=e["classifier"], score=float(e["score"]), detail=e.get("detail", ""),
                    status=e.get("status", "implemented"), boxes=_boxes(e.get("boxes")), ocr=bool(e.get("ocr")),
                    found_by=tuple(e.get("found_by") or ()))


def maturity_from_dict(item: dict) -> Maturity:
    sector = item.get("sector") or {}
    judgements = item.get("judgements") or {}
    section = item.get("section")
    profile = Profile(doc_type=item.get("doc_type", "statement"), financial=bool(sector.get("financial")),
                      subsector=sector.get("subsector"), jurisdiction=sector.get("jurisdiction", "uk"),
                      source=sector.get("source", "detected"), industry=sector.get("industry"),
                      jurisdictions=tuple(item.get("jurisdictions") or ()),
                      section=(int(section["first_page"]), int(section["last_page"])) if section else None,
                      sources=tuple((k, v["source"]) for k, v in judgements.items() if v.get("source") is not None),
                      evidence=tuple((k, _quote(v["quote"])) for k, v in judgements.items() if v.get("quote")),
                      reasons=tuple((k, v["reason"]) for k, v in judgements.items() if v.get("reason")))
    statutory = item.get("statutory") or {}
    gate = tuple(GateResult(
        id=c["id"], name=c["name"], state=_gate_state(c),
        candidates=tuple(_quote(q) for q in c.get("candidates", ())),
        requirement=c.get("requirement", ""), reason=c.get("reason", ""),
        evidence=tuple(_quote(q) for q in c.get("evidence", ())),
        period=(c["period"]["start"], c["period"]["end"]) if c.get("period") else None, element=c.get("element"),
        requirements=tuple((r["jurisdiction"], r["wording"]) for r in c.get("requirements", ())))
        for c in statutory.get("checks", ()))
    criteria = tuple(CriterionResult(id=c["id"], theme=c["theme"], level=int(c["level"]), applies=bool(c["applies"]),
                                     evidence=tuple(_criterion_evidence(c["id"], e) for e in c.get("evidence", ())),
                                     flags=tuple(c.get("flags", ()))) for c in item.get("criteria", ()))
    return Maturity(
        profile=profile, gate=gate, criteria=criteria,
        themes=tuple(ThemeResult(id=t["id"], level=t["level"]) for t in item.get("themes", ())),
        overall=int(item.get("overall") or 0),
        gaps=tuple(Gap(criterion=g["criterion"], theme=g["theme"], level=int(g["level"]), next_level=int(g["next_level"]),
                       next_level_description=g.get("next_level_description", ""),
                       recommendation=g.get("recommendation", ""), sources=tuple(g.get("sources", ())))
                   for g in item.get("gaps", ())),
        letter=tuple(LetterItem(id=i["id"], kind=i["kind"], name=i["name"], level=int(i["level"]),
                                criteria=tuple(i.get("criteria", ())),
                                evidence=tuple(_criterion_evidence(i["id"], e) for e in i.get("evidence", ())))
                     for i in item.get("letter", ())),
        flags=tuple(item.get("flags", ())),
        scale=tuple((int(s["level"]), s["id"], s["name"]) for s in item.get("scale", ())),
    )


def decode(item: dict) -> Assessment | Failure:
    """The typed result back from its dict (an ``encode``d one, or an export of any version)."""
    if item.get("status") == "failed":
        return Failure(doc_id=item["doc_id"], path=item["document"], code=item.get("error_code") or "",
                       reason=item.get("error") or "", rubric_version=item.get("rubric_version", ""),
                       model_version=item.get("model_version", ""), language=item.get("language"),
                       fetched_from=item.get("fetched_from"))
    identity = None
    if "identity" in item:
        i = item["identity"]
        identity = Identity(organisation=i.get("organisation"), entities=tuple(i.get("entities") or ()),
                            company_number=i.get("company_number"), financial_year_end=i.get("financial_year_end"),
                            year=i.get("year"), sources=tuple((item.get("identity_sources") or {}).items()),
                            evidence=tuple((k, _quote(q)) for k, q in (item.get("identity_evidence") or {}).items()),
                            suggestion=item.get("identity_suggestion"))
    audiences = None
    if "training_audiences" in item:
        a = item["training_audiences"]
        audiences = TrainingAudiences(labels=tuple(a["labels"]),
                                      evidence=tuple((e["audience"], int(e["page"]), e["text"]) for e in a["evidence"]),
                                      model_version=a.get("model_version", ""))
    return Assessment(
        doc_id=item["doc_id"], path=item["document"], pages=int(item["pages"] or 0),
        rubric_version=item["rubric_version"], model_version=item["model_version"],
        elements=tuple(ElementResult(element=e, present=bool(v["present"]), confidence=float(v["confidence"]),
                                     evidence=tuple(_evidence(e, ev) for ev in v.get("evidence", ())),
                                     negative=tuple(_evidence(e, ev) for ev in v.get("negative", ())),
                                     rejected=tuple(_evidence(e, ev) for ev in v.get("rejected", ())))
                       for e, v in (item.get("elements") or {}).items()),
        metadata=Metadata(**(item.get("metadata") or {})),
        pages_without_text=tuple(item.get("pages_without_text") or ()),
        sentences=int(item.get("sentences") or 0),
        maturity=maturity_from_dict(item) if "criteria" in item else None,
        training_audiences=audiences,
        language=item.get("language"),
        pages_ocr=tuple((int(p["page"]), float(p["confidence"])) for p in item.get("pages_ocr") or ()),
        pages_other_language=tuple((int(p["page"]), p["language"]) for p in item.get("pages_other_language") or ()),
        hidden_text=tuple(HiddenText(int(h["page"]), int(h["words"]), tuple(h.get("how") or ()))
                          for h in item.get("pages_hidden_text") or ()),
        identity=identity,
        fetched_from=item.get("fetched_from"),
    )
