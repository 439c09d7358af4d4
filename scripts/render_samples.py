"""Rebuild corpus/samples/: real UK statement texts rendered into PDFs with varied layouts.

Run: .venv/bin/python scripts/render_samples.py  (needs the `samples` extra: reportlab, pyphen)
"""

from pathlib import Path

from disclosure_check.train.samples import LAYOUTS, SampleSpec, build_samples

ROOT = Path(__file__).resolve().parents[1]

# Rows of corpus/uk_texts/uk_statement_texts.csv (0-based; the `id` column is not unique).
CHOSEN = [
    (418, "lloyds_banking_group_2018", "Lloyds Banking Group", "bank"),
    (461, "barclays_2019", "Barclays", "bank"),
    (787, "cooperative_bank_2018", "The Co-operative Bank", "bank"),
    (793, "coventry_building_society_2018", "Coventry Building Society", "building_society"),
    (929, "munich_re_2018", "Munich Re", "insurer"),
    (617, "travelers_europe_2018", "Travelers Europe", "insurer"),
    (293, "lv_2018", "LV=", "insurer"),
    (191, "bluebay_asset_management_2019", "BlueBay Asset Management", "asset_manager"),
    (305, "lombard_odier_asset_management", "Lombard Odier Asset Management", "asset_manager"),
    (581, "standard_life_aberdeen", "Standard Life Aberdeen", "asset_manager"),
    (789, "visa_2016", "Visa", "payments"),
    (0, "ao_world_2018", "AO World", "retail"),
]


def main() -> None:
    specs = [
        SampleSpec(row=row, name=name, organisation=org, sector=sector,
                   layout=LAYOUTS[i % len(LAYOUTS)])
        for i, (row, name, org, sector) in enumerate(CHOSEN)
    ]
    for path in build_samples(specs, ROOT / "corpus/uk_texts/uk_statement_texts.csv",
                              ROOT / "corpus/samples"):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
