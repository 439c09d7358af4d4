"""Theme levels and top gaps for five real financial-sector statements (rendered from corpus/uk_texts).

Run: .venv/bin/python benchmarks/maturity_examples.py   (writes benchmarks/results/maturity_examples.md)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["lloyds_banking_group_2018", "barclays_2019", "coventry_building_society_2018", "lv_2018",
           "bluebay_asset_management_2019"]


def main() -> int:
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.present.export import result_to_dict
    from disclosure_check.rubric import load_rubric

    rubric = load_rubric()
    scorer = Scorer(rubric, load_model_set(ROOT / "models/default"))
    themes = {t.id: t.name for t in rubric.themes}
    names = {c.id: c.name for c in rubric.criteria}
    lines = ["# Maturity of five financial-sector statements", "",
             "Rendered real statements from corpus/uk_texts (see corpus/README.md). Levels "
             + ", ".join(f"{lvl.level} {lvl.name.lower()}" for lvl in rubric.scale) + "; `-` not applicable.", "",
             "| statement | detected | statutory | " + " | ".join(themes) + " | overall | top gaps |",
             "|---|---|---|" + "---|" * len(themes) + "---|---|"]
    for name in SAMPLES:
        item = result_to_dict(scorer.score_file(ROOT / "corpus/samples" / f"{name}.pdf"))
        levels = {t["id"]: t["level"] for t in item["themes"]}
        gaps = "; ".join(f"{g['criterion']} {names[g['criterion']]} ({g['level']}→{g['next_level']})"
                         for g in item["gaps"][:3])
        statutory = "met" if item["statutory"]["met"] else "NOT met: " + ", ".join(
            c["id"] for c in item["statutory"]["checks"] if not c["met"])
        lines.append(f"| {name} | {item['sector']['subsector']} | {statutory} | "
                     + " | ".join("-" if levels[t] is None else str(levels[t]) for t in themes)
                     + f" | {item['overall']} | {gaps} |")
    lines += ["", "Themes: " + "; ".join(f"{k} {v}" for k, v in themes.items()) + "."]
    out = ROOT / "benchmarks/results/maturity_examples.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
