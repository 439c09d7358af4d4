"""sector.v6 (issue 20, test5 read): makers read as makers. On the blind test5 sector.v5 called 10 of 18 makers
something else: a dairy "technology" for one "the platform also provides a methodology" in its supplier
section, a wine supplier "public sector" for its suppliers' "trustees", a meat processor "other" for its
"farms"; and it never read "Yazaki's core business is built around the manufacturing ...", "Bechtel is
engaged in engineering ..." or "we have 15 manufacturing sites". What a firm says it does is now read in its
own words (its opening and self-description), and a close call names the runner-up in the reason."""

from __future__ import annotations

from disclosure_check.classify.sector import INDUSTRY_ONLY, description, keyword_features, sector_terms
from disclosure_check.train.documents import label_text, read_labels

LABELS = {label.name: label for label in read_labels()}


def _does(text: str, organisation: str) -> tuple[dict, dict]:
    """(business cues, what the firm says it is) per general sector, as keyword_features reads them."""
    cues, kinds = list(sector_terms()["business_cues"]), list(sector_terms()["sector_identity"])
    row = keyword_features(text, organisation)
    start = len(row) - INDUSTRY_ONLY + 5
    return (dict(zip(cues, row[start:start + len(cues)], strict=True)),
            dict(zip(kinds, row[start + len(cues):], strict=True)))


def test_a_makers_self_description_is_read():
    sentences = {name: description(label_text(LABELS[key]), name)[1]
                 for key, name in (("uk_35", "Yazaki Corporation"), ("uk_9", "Bechtel Limited"))}
    assert any("core business is built around the manufacturing and sale of automobile parts" in s
               for s in sentences["Yazaki Corporation"])
    assert any("is engaged in engineering, construction" in s for s in sentences["Bechtel Limited"])
    _, chosen = description("Storck Modern Slavery Statement.\n" + "Our people matter to us. " * 40
                            + "\nStorck is among the 10 largest confectionery manufacturers worldwide.\n"
                            "Our sweets are produced at our production sites in Germany.", "Storck UK Limited")
    assert "Storck is among the 10 largest confectionery manufacturers worldwide." in chosen
    assert "Our sweets are produced at our production sites in Germany." in chosen


def test_a_word_in_a_supplier_section_is_not_what_the_firm_does():
    dairy, _ = _does(label_text(LABELS["uk_857"]), "Dairy Crest Group plc")  # "The platform also provides a methodology"
    assert dairy["technology"] == 0 and dairy["manufacturing"] > 0
    wine, _ = _does(label_text(LABELS["uk_818"]), "Kingsland Drinks")  # its suppliers' trustees and charities
    assert wine["public_sector"] == 0
    tulip, _ = _does(label_text(LABELS["uk_195"]), "Tulip Limited")
    assert tulip["manufacturing"] > tulip["other"]  # "farms, abattoirs and processing factories", "manufacturing sites"


def test_a_makers_sites_and_kind_count_without_we():
    text = ("Acme Foods Ltd Modern Slavery Statement. Acme Foods is a meat manufacturing company. "
            "We have 15 manufacturing sites within the UK. Our business is the manufacturing and sale of "
            "sausages and bacon.")
    does, is_ = _does(text, "Acme Foods Ltd")
    assert does["manufacturing"] >= 1.0 and is_["manufacturing"] > 0
    assert does["technology"] == 0 and does["other"] == 0
    platform = "Acme Foods Ltd. We make pies. The platform also provides a methodology for following up on suppliers."
    assert _does(platform, "Acme Foods Ltd")[0]["technology"] == 0
    assert _does("Acme Ltd. We run an online platform for booking taxis.", "Acme Ltd")[0]["technology"] > 0


def test_a_close_call_names_the_runner_up_and_the_sentence(models):
    """A reviewer sees why: the sentence the call rests on and, when the model is unsure between two
    industries, the other one too."""
    import numpy as np

    from disclosure_check.classify import sector
    from disclosure_check.train.documents import text_to_document

    name = "Acme Drinks Limited"
    text = (f"{name} Modern Slavery Statement 2019\nWe are a leading UK supplier of wine and spirits, bottling our "
            "own brands at our site in Bristol and selling them to supermarkets.\nWe are committed to preventing "
            "modern slavery in our supply chains.")
    reading = sector.read_sector(models.sector, text_to_document(text, "acme"), name)
    ip, _ = models.sector.probabilities([sector.description(text, name)[0]], keyword_features(text, name)[None, :])
    rest = np.sort(np.delete(ip[0], models.sector.industries.index("financial")))[::-1]
    assert reading.quote is not None and "supplier of wine and spirits" in reading.quote.text
    assert ("(or " in reading.reason) == (rest[1] >= sector.UNSURE_RATIO * rest[0]), reading.reason
