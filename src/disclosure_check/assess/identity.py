"""Who makes a statement and for which year, read from the statement's own words.

Organisation: the name the statement gives itself ("X plc ('the Company')", "This statement is made
by X", "for and on behalf of X", a title line, a company number's owner), weighed by how often its
core name recurs. Year: the financial year's end (a cue's date or a year-long range of dates), else
the statement's own "2019/20" or "2019 statement", always with its sentence. PDF metadata and the file name are only a fallback, and marked as such in ``sources``:
an Author field is often a user name ("jsmith"), never trusted unless it looks like an organisation.
Pure regex and structure: nothing heavy is imported.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from disclosure_check.errors import DataError
from disclosure_check.phrases import standalone_at
from disclosure_check.read.dates import (
    MONTH,
    SHORT_SPLIT_YEAR,
    SPLIT_YEAR,
    YEAR,
    date_ranges,
    full_year,
    month_end,
    month_number,
)
from disclosure_check.types import Assessment, Document, Failure, Given, Identity, Metadata, Quote
from disclosure_check.yamlio import load_yaml

IDENTITY_CHARS = 120_000  # who and when are said early or in the closing lines; read the head and the tail
TAIL_CHARS = 20_000



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


WORD_LISTS = ("not_names", "leading_noise", "others", "title_modifiers", "topics")


@lru_cache(maxsize=1)
def identity_words() -> dict[str, frozenset[str]]:
    """The word lists of lexicons/identity.yaml, checked: every list present, single lower-case words."""
    where = "disclosure_check/lexicons/identity.yaml"
    data = load_yaml(resources.files("disclosure_check").joinpath("lexicons/identity.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise DataError("is not a mapping of word lists", where=where, fix="restore the file from git")
    out = {}
    for name in WORD_LISTS:
        words = data.get(name)
        if not isinstance(words, list) or not words:
            raise DataError(f"list '{name}' is missing or empty", where=where, fix=f"add a '{name}:' list")
        bad = [w for w in words if not isinstance(w, str) or not re.fullmatch(r"[a-z0-9.&'-]+", w)]
        if bad:
            raise DataError(f"list '{name}' has entries that are not single lower-case words: {bad[:5]}",
                            where=where, fix="write one lower-case word per item")
        out[name] = frozenset(words)
    return out


# Legal forms, and the form a name is shown with (so "ACME PLC" and "Acme plc" compare equal).
LEGAL_FORMS: dict[str, str] = {
    "plc": "plc", "p.l.c.": "plc", "public limited company": "plc", "limited": "Limited", "ltd": "Limited",
    "ltd.": "Limited", "llp": "LLP", "l.l.p.": "LLP", "inc": "Inc.", "inc.": "Inc.", "incorporated": "Inc.",
    "corporation": "Corporation", "corp": "Corporation", "corp.": "Corporation", "llc": "LLC", "l.l.c.": "LLC",
    "gmbh": "GmbH", "ag": "AG", "s.a.": "S.A.", "sa": "SA", "n.v.": "N.V.", "nv": "N.V.", "b.v.": "B.V.",
    "se": "SE", "s.p.a.": "S.p.A.", "spa": "S.p.A.", "pty ltd": "Pty Ltd", "co.": "Co.", "company": "Company",
    "group": "Group", "holdings": "Holdings", "lp": "LP",
}
# Words that name a kind of entity, not which one; dropped to compare names.
GENERIC_WORDS = _words(
    "plc limited ltd llp inc incorporated corporation corp llc gmbh ag sa nv bv se spa pty co company group "
    "holdings holding lp the uk international intl int'l and & of")
# identity_words()["not_names"]: a candidate made only of these words is a heading, a law or page furniture;
# ["others"]: words naming an institution or topic that is never the maker on its own ("Home Office", "Sedex
# Exchange"); ["leading_noise"]: heading words a title line puts before the name ("Introduction Acme Limited").
# All read on first use (lexicons/identity.yaml), so a broken lexicon fails the call that needs it, not
# every import of the package.
CONNECTORS = _words("and of the for de du la von van & y et group plc limited holdings")
DOTTED_FORMS = _words("p.l.c. p.l.c l.l.p. l.l.c.")  # legal forms in lower case with points, as a name ends with them
CAPS_CONNECTOR = re.compile(r"\b(?:IN|TO|ON|OF|FOR|AND|THE|WITH|AT|BY|FROM|OUR|WE)\b")
# A term defined in brackets that names the law or the document, not the organisation.
NOT_ALIASES = _words("act msa statement policy code")
LEGAL_SUFFIX = (r"(?:plc|PLC|Plc|p\.l\.c\.|P\.L\.C\.|Limited|LIMITED|Ltd\.?|LTD\.?|LLP|L\.L\.P\.|Inc\.?|INC\.?|"
                r"Incorporated|Corporation|Corp\.?|LLC|L\.L\.C\.|GmbH|AG|S\.A\.|N\.V\.|B\.V\.|SE|S\.p\.A\.|Pty\.? Ltd|LP|"
                # bodies without a company form: councils, universities, trusts, charities
                r"Council|University|College|NHS Foundation Trust|NHS Trust|Academies Trust|Housing Association|"
                r"Building Society)")
_WORD = r"(?:[A-Z0-9][\w'’&\-\.]*|\((?:UK|U\.K\.|Europe|International|Holdings|Group|Services)\)|&|and|of|the|for|de|du|la|von|van|group|plc|limited|holdings)"
# a name wraps at a line end in PDF text ("Church &\nDwight Co., Inc."), in a text of one paragraph a line
# across a blank line ("... the steps that Hand Picked\n\nHotels Limited")
_GAP = r"(?:[ \t]+|[ \t]*\n(?:[ \t]*\n)?[ \t]*)"
_NAME = rf"(?:[A-Z0-9][\w'’&\-\.]*(?:{_GAP}{_WORD}){{0,6}})"
ENTITY_RE = re.compile(rf"(?<![\w&])({_NAME}(?:[ \t,]+|,?[ \t]*\n(?:[ \t]*\n)?[ \t]*){LEGAL_SUFFIX})(?![\w])")
# The statement naming itself; group 1 is the organisation.
_TAIL = r"(?=[\s,;:.()“”\"'‘’]|$)"
SELF_PATTERNS: tuple[tuple[str, re.Pattern, float], ...] = (
    ("defined", re.compile(rf"({_NAME}?(?:[ \t,]+{LEGAL_SUFFIX})?)"
                           # "X Pty Ltd (ACN 638 259 819) (X)": a registration number between name and definition
                           r"(?:\s*\((?:A\.?C\.?N|A\.?B\.?N|ARBN|(?i:company|registered|registration)\s+(?i:number|no)\.?)"
                           r"[^)]{0,40}\))?"
                           r"(?:,?\s+(?:and|together\s+with)\s+(?:all\s+)?(?:of\s+)?(?:its|their)\s+(?:\w+\s+)?"
                           r"(?:subsidiar\w+|companies|affiliates|entities)(?:\s+companies)?)?"
                           r"\s*\((?:together with [^)]{0,80}?)?(?:,?\s*)?"
                           r"(?:hereinafter\s+)?(?:(?:referred\s+to|known)\s+as\s+)?(?:(?i:the)\s+)?"
                           r"(?:[“\"'‘]+\s*(?:(?i:the)\s+)?((?:[A-Z][\w&\-]*\s*){1,3})[”\"'’]+|([A-Z][A-Z&\-]{1,8})\)|"
                           r"((?i:company|group|firm|bank|society|trust|council|university|charity|partnership))\)|"
                           r"(?i:trading\s+as|t/a)\s|"
                           # an unquoted short name after the registration number: "X Pty Ltd (ACN 638 259 819) (X Newco)"
                           r"(?<=\d\)\s\()((?:[A-Z][\w&\-]*[ \t]?){1,4})\))",
                           re.MULTILINE), 3.0),
    ("made by", re.compile(rf"(?i:statement(?:\s+(?:for|in\s+respect\s+of)\s[^.]{{0,60}}?)?\s+(?:is\s+|has\s+been\s+)?(?:made|published|issued|approved)\s+(?:by|on\s+behalf\s+of|for))"
                           rf"\s+(?:the\s+board\s+of\s+(?:directors\s+of\s+)?)?({_NAME}){_TAIL}"), 3.0),
    # "(LeafFilter, we or us)": an unquoted short name defined together with "we"
    ("defined we", re.compile(rf"({_NAME}?(?:[ \t,]+{LEGAL_SUFFIX})?)\s*\((?:together\s+)?"
                              r"([A-Z][\w&\-]*(?:[ \t]+[A-Z][\w&\-]*){0,3}),\s*[“\"'‘]?(?i:we|us|our)\b"), 3.0),
    # "It constitutes Jelf Insurance Brokers Ltd t/a Marsh Commercial, its subsidiaries ... statement"
    ("constitutes", re.compile(rf"(?i:\b(?:this\s+(?:statement|document)|it)\s+constitutes\s+(?:the\s+)?)({_NAME})"
                               r"(?=['’]s?\s|,|\s+(?i:t/a|trading|and|slavery|modern|anti))"), 3.0),
    ("relates to", re.compile(rf"(?i:statement\s+(?:relates|applies)\s+to)\s+({_NAME}){_TAIL}"), 2.5),
    ("statement of", re.compile(rf"(?i:(?:slavery|trafficking)\s+statement\s+(?:of|for|by))\s+({_NAME}){_TAIL}"), 2.0),
    # "sets out the steps that the British Museum has taken", "highlights the steps AB Agri Ltd is taking", "the
    # steps taken by A.G. BARR p.l.c."
    ("steps taken", re.compile(rf"(?i:(?:sets\s+out|highlights|describes|outlines|details)\s+the\s+(?:steps|actions|approach)\s+"
                               r"(?:(?:that|which)\s+)?(?:taken\s+by\s+)?(?:the\s+)?)"
                               rf"({_NAME}(?:[ \t,]+{LEGAL_SUFFIX})?)"
                               r"(?i:\s+(?:has|have|is|are|takes|take)|(?<=[\w.])(?=\s+(?:to|during|in|and|for)\s|[,(]))"), 2.0),
    # "The Chiba Bank London Branch has taken the following steps": the maker reporting its own steps
    ("has taken steps", re.compile(rf"(?:^|(?<=[.!?:]\s)|(?<=\n))(?:The\s+)?({_NAME}(?:,?[ \t]+{LEGAL_SUFFIX})?)\s+"
                                   r"(?i:has|have)\s+(?i:taken|undertaken)\s+(?i:the\s+following\s+|a\s+number\s+of\s+|several\s+)?"
                                   r"(?i:steps|actions|measures)", re.MULTILINE), 2.0),
    ("possessive statement", re.compile(rf"({_NAME})['’]s?\s+(?i:(?:uk\s+)?(?:modern\s+slavery|slavery\s+and\s+human|anti-slavery)"
                                        r"[\w\s]{0,40}?statement)"), 2.0),
    ("sets out", re.compile(rf"(?i:sets\s+out\s+)({_NAME})['’]s?\s+(?:\w+\s+)?(?i:approach|steps|actions|commitment)"), 2.0),
    ("subject", re.compile(rf"(?:^|(?<=[.!?]\s))({_NAME}(?:,?[ \t]+{LEGAL_SUFFIX})?),?\s+(?:is|are)\s+(?:a|an|one\s+of\s+the|the\s+(?:\w+\s+){{1,2}}of)\s",
                           re.MULTILINE), 1.0),
    # the maker as the subject of its own commitment: "Adobe commits publicly to ...", "EMC is committed to ..."
    ("committed", re.compile(rf"(?:^|(?<=[.!?]\s))({_NAME}(?:,?[ \t]+{LEGAL_SUFFIX})?)[ \t]+"
                             r"(?:(?:is|are)\s+(?:fully\s+|firmly\s+|strongly\s+|deeply\s+|wholly\s+)?"
                             r"(?:committed|opposed|dedicated|determined)\s+to|proud\s+(?:of|to)|commits\s|states\s+that|"
                             r"(?:operates|has|takes|maintains|adopts)\s+a\s+zero[\s-]+tolerance|does\s+not\s+tolerate)",
                             re.MULTILINE), 1.5),
    ("at we", re.compile(rf"(?<![\w,])At\s+({_NAME}),?\s+we\b"), 1.0),  # a capital "At": a sentence's start, or after a heading
    ("on behalf of", re.compile(rf"(?i:(?:for\s+and\s+)?on\s+behalf\s+of\s+(?:the\s+board\s+(?:of\s+directors\s+)?of\s+)?)"
                                rf"({_NAME}){_TAIL}"), 1.5),
    ("registered", re.compile(rf"({_NAME}[ \t,]+{LEGAL_SUFFIX})[ \t,]*\(?(?i:(?:is\s+)?(?:a\s+company\s+)?(?:registered|company|"
                              r"incorporated)\s+(?:in|number|no\.?|with))"), 2.5),
    ("copyright", re.compile(rf"(?:©|\(c\)|(?i:copyright))\s*(?:(?:©|(?i:copyright))\s*)?(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)?\d\d)?\s*)?({_NAME}){_TAIL}"),
     1.0),
)
# A trading name: "This statement is made on behalf of HPI UK Holding Ltd trading as Rosewood London"
TRADING_AS = re.compile(rf"({_NAME}[ \t,]+{LEGAL_SUFFIX})[ \t,]*\(?(?i:trading\s+as|t/a)\s+({_NAME}){_TAIL}")
COPYRIGHT_WEIGHT = 1.0  # the "copyright" pattern's weight (``SELF_PATTERNS``)
MIN_WEIGHT = 0.9  # at or below this (three bare mentions) a name was mentioned in passing, not stated as the maker ...
MIN_RECURRENCE = 2.0  # ... unless it recurs (square root of mentions: 4 or more)
TITLE_CUES = re.compile(r"(?i)modern(?:[\s-]+day)?\s+slavery|slavery\s+and\s+human|human\s+trafficking|transparency\s+statement")
# The first words of a title after the name it may open with: "Acme Ltd's Modern Slavery Statement".
TITLE_NAME_CUE = re.compile(r"(?:['’]s)?(?:^|\s+)(?i:(?:u\.?k\.?\s+)?(?:modern(?:[\s-]+day)?\s+slavery|slavery\s+(?:and|&)|"
                            r"anti-slavery|(?:anti[-\s]+)?human\s+trafficking|statement|policy|transparency))")
ROLE_WORDS = re.compile(r"(?i)\b(?:chief|ceo|cfo|director|chair(?:man|woman|person)?|secretary|president|founder|"
                        r"officer|head of|manager|partner|obe|cbe|mbe)\b")
# What may stand between two role words of one title run: "&"/"and" and capitalised title modifiers
# (lexicons/identity.yaml), as "Chairman & Managing Director".
@lru_cache(maxsize=1)
def title_run_gap() -> re.Pattern[str]:
    modifiers = "|".join(re.escape("-".join(part.capitalize() for part in word.split("-")))
                         for word in sorted(identity_words()["title_modifiers"]))
    return re.compile(rf"[\s,]*(?:&|and)?[\s,]*(?:(?:{modifiers})\s+)*")
# A name after these is the maker's parent or group, not the maker ("part of the Leaf Home group", "our ultimate
# parent company is American International Group, Inc.", "As a member of the Saga Group").
PARENT_CUE = re.compile(r"(?i)\b(?:part\s+of|member\s+of|subsidiar(?:y|ies)\s+of|division\s+of|owned\s+by|acquired\s+by|"
                        r"(?:ultimate\s+)?parent(?:\s+(?:company|undertaking|entity))?(?:\s+is)?)\s")
# Words that open a sentence or phrase before a name, never the name's first word ("At Acme Limited, we")
LEADING_WORDS = _words("the this our at in as by of for and from with within across all both each")
# The parent cue right before a name ("... is the agricultural division of ", "part of the ")
PARENT_BEFORE = re.compile(PARENT_CUE.pattern + r"(?:the\s+)?$")
USER_NAME = re.compile(r"^[a-z0-9._\-]+$|^[A-Za-z]+\d+$|^[a-z]+\.[a-z]+$|@")

_MONTH = MONTH  # as identity's patterns name it
_YEAR = f"({YEAR})"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# "financial year ended", "the year to", "the financial year 2016, ended on" (a year's name before its
# end), "the period of 12 months ending on", "the 12 months up until", "by end of business year September 2016"
_YEAR_END_CUE = (r"(?:(?:(?:financial|fiscal|accounting|reporting|business)\s+(?:year|period)|year|period|fy|"
                 r"(?:\d{1,2}|twelve)[\s-]+months?)\s*(?:(?:19|20)\d\d(?:\s*/\s*\d{2,4})?,?\s+)?"
                 r"(?:end(?:ed|ing|s)?|to|up\s+(?:un)?til|from\s+\S+\s+\S+\s+\S+\s+to)\s*(?:on\s+)?(?:the\s+)?"
                 r"|\bend\s+of\s+(?:the\s+)?(?:(?:financial|fiscal|business|accounting)\s+)?year\s+)")
YEAR_END_PATTERNS: tuple[re.Pattern, ...] = (
    re.compile(rf"(?i){_YEAR_END_CUE}{_DAY}\s+(?:of\s+)?({_MONTH})\.?,?\s+{_YEAR}"),  # 31 December 2019
    re.compile(rf"(?i){_YEAR_END_CUE}({_MONTH})\.?\s+{_DAY},?\s+{_YEAR}"),  # December 31, 2019
    re.compile(rf"(?i){_YEAR_END_CUE}(\d{{1,2}})[./](\d{{1,2}})[./]{_YEAR}"),  # 31.03.2021 / 31/03/2021
    re.compile(rf"(?i){_YEAR_END_CUE}({_MONTH})\.?\s+{_YEAR}"),  # March 2021
)
# Split years first: "financial year 2017/18" is 2018, not 2017. "year ending 2016" (no day) is 2016.
FY_YEAR = re.compile(r"(?i)(?:\bFY\s?'?(\d{2}|\d{4})\b|(?:financial|fiscal)\s+year\s+((?:19|20)\d\d)\s*[/–-]\s*(\d{2,4})\b"
                     r"|(?:financial|fiscal|full|calendar|reporting|business)\s+year\s+(?:of\s+|end(?:ed|ing)\s+(?:in\s+)?)?"
                     r"(?:20)?(\d\d)?/?((?:19|20)\d\d)\b)")
# The year named before its kind: "the 2018 financial year", "AEGIS London's 2018 year of account", "Fiscal
# 2016"; a split year of two digits after it: "Fiscal Year 16/17".
YEAR_NAMED = re.compile(r"(?i)\b((?:19|20)\d\d)\s+(?:(?:financial|fiscal|reporting|calendar)\s+year|year\s+of\s+account)\b"
                        r"|\bfiscal\s+((?:19|20)\d\d)\b|\b(?:financial|fiscal)\s+year\s+\d\d\s*/\s*(\d\d)\b")
STATEMENT_YEAR = re.compile(
    r"(?i)(?:(?:slavery|trafficking|transparency)\s+(?:act\s+)?statement\s*(?:for\s+|of\s+)?(?:the\s+year\s+)?[-–:]?\s*"
    r"((?:19|20)\d\d)(?![\d/])|(?<!act\s)(?<!act\s\[)(?<!act\s\()((?:19|20)\d\d)(?![\d/])\]?\)?\s*"
    r"(?:modern\s+slavery|slavery|anti-slavery|annual)?\s*statement)")  # "Modern Slavery Act 2015 Statement" is the Act
# A range of dates gives the year end when it is about a year long (a longer first period too) and
# stated as the period: a period word before it in its sentence ("Fiscal Year 2015 (01.04.2015 -
# 31.03.2016)", "the year commencing 1 January 2017 and ending 31 December 2017"), or alone on its
# line under a title ("Modern Slavery Statement" / "September 2016 – August 2017").
RANGE_DAYS = (300, 550)
RANGE_CUE = re.compile(r"(?i)\b(?:year|period|months|covers|covering|relates?|referring|statement|fy)\b")
RANGE_CUE_CHARS = 150  # how far before a range its period word may stand
TITLE_WORD = re.compile(r"(?i)\b(?:statement|report|disclosure)\b")
TITLE_WORDS = 12  # a title line above a line that is only a range of dates
# Another statement's year or period, never this one's: "our inaugural Modern Slavery and Human
# Trafficking Statement 2016", "Our previous statement covered the year ended 31 March 2017" (unless
# the text says this statement is that one: "This is our first statement, for the year ...").
OTHER_STATEMENT = re.compile(r"(?i)\b(?:previous|prior|last|earlier|former|preceding|next|inaugural|first|"
                             r"last\s+year['’]?s)\s+(?:[\w&'’-]+\s+){0,6}?(?:statement|report)s?\b"
                             # what this statement does since or with another: "Since our Modern Slavery
                             # Statement 2017 was published", "This statement builds on our ... Statement 2017"
                             r"|\b(?:since|following|builds?\s+on|built\s+on|updates?)\s+(?:(?!this\b)[\w&'’-]+\s+){0,6}?"
                             r"(?:statement|report)s?\b")
THIS_STATEMENT = re.compile(r"(?i)\bthis\s+(?:(?:[\w-]+\s+){0,5}?(?:statement|report)\s+)?(?:is|constitutes|represents)"
                            r"\s+(?:our|the|[\w&.'’-]+['’]s)\s*$")
# A period cue whose date extraction moved away (the line ends with it): "... statement for the
# financial year ending" / "Signed on the Board's behalf ...", "... year ending 31 December" / "ORGANISATION'S ...".
CUT_PERIOD = re.compile(rf"(?im)\b(?:financial|fiscal|reporting)\s+(?:year|period)(?:\s+(?:ending|ended|to))?"
                        rf"(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH})?[ \t]*$")
# A sentence about the period a year is in: the last resort's year is quoted from the first such sentence
# (a French, Spanish, Italian, German or Dutch report's financial year too: "l'exercice clos le 31 décembre 2020").
PERIOD_WORD = re.compile(r"(?i)\b(?:year|years|period|during|months|financial|fiscal|statement|report|covers|"
                         r"covering|throughout|exercice|ejercicio|esercizio|gesch[äa]ftsjahr|boekjaar)\b")
SIGNING_WORD = re.compile(r"(?i)\b(?:approved|signed|dated|date:)")  # a signing date's sentence: not the period's
MENTION_CHARS = 160  # how far a sentence around a year is read for a period word
OTHER_CHARS = 90  # how far before a year or date a mention of another statement reaches
THIS_CHARS = 200  # how far before another statement's mention 'this statement is our' is read
# Plans, not the period covered: "the actions we will take in the period 1 April 2024 to 31 March 2025".
PLAN_BEFORE = re.compile(r"(?i)\b(?:will|shall|plans?|planned|intends?|next|coming|forthcoming|priorities|objectives|targets|goals)\b")
# ... or after it in its sentence: "in the period 1 April 2019 to 31 March 2020 we will extend audits".
PLAN_AFTER = re.compile(r"(?i)[ \t]*,?\s*(?:we|the\s+(?:group|company))\s+(?:will|shall|plan|aim|intend)\b")
# A range of dates that is something else's term, not the statement's period: "Our SA8000 certificate
# covers the period 1 June 2018 to 31 May 2019", "the agreement ... runs for the period ...", "valid for".
OTHER_TERM = re.compile(r"(?i)\b(?:certificat(?:e|es|ion)|accreditation|licen[cs]es?|contracts?|agreements?|leases?|"
                        r"membership|valid|validity|tenancy|warranty)\b")
THIS_SUBJECT = re.compile(r"(?i)\bthis\s+(?:[\w-]+\s+){0,4}?(?:statement|report)\b")  # "This statement, which applies
# to all our contracts, covers the period ...": the statement's own period after all
# A year end's cue in plans: "Over the next 12 months to 31 March 2021", "In the year ending ... we will".
PLAN_CUE_BEFORE = re.compile(r"(?i)\b(?:will|shall|next|coming|forthcoming)\b")
PLAN_CUE_CHARS = 25  # how far before a year end's cue its plan word may stand
SHORT_TITLE_YEAR = re.compile(r"(?i)\bstatement\s*[-–:]?\s*" + SHORT_SPLIT_YEAR.pattern)
COMPANY_NUMBER = re.compile(
    r"(?i)(?:company|registered|registration|companies\s+house)\s*(?:number|no\.?|num\.?)\s*[:.]?\s*(?:is\s+)?"
    r"((?:SC|NI|OC|SO|NC|R0|FC|GE|LP|SL|NL|SE|IP|SP|RS)\s?\d{6}|\d{8}|\d{6,7})(?![\d])")
# Australian business and company numbers: "ABN 12 345 678 901", "ACN 123 456 789".
AUSTRALIAN_NUMBER = re.compile(r"\b(A\.?B\.?N|A\.?C\.?N)\.?\s*:?\s*((?:\d\s?){11}|(?:\d\s?){9})(?!\d)")


def text_to_identity(text: str) -> Identity:
    """Identity read from the text alone, each field with the sentence it was read from; a field the
    text does not state is left empty (the best name below the ranker's threshold is a suggestion)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # "Stafﬁng" (a ligature) is "Staffing"
    head = text[:IDENTITY_CHARS]
    if len(text) > IDENTITY_CHARS:
        head += "\n" + text[-TAIL_CHARS:]
    named, suggestion = read_organisation(head)
    organisation = named.name if named else None
    number, number_at = find_company_number(head, with_position=True)
    year_end, year_end_at = find_year_end(head, with_position=True)
    if year_end:
        year, year_at = int(year_end[:4]), year_end_at
    else:
        year, year_at = find_statement_year(head, with_position=True)
    entities = find_entities(head, organisation)
    sources = tuple((name, "text") for name, value in (
        ("organisation", organisation), ("entities", entities), ("company_number", number),
        ("financial_year_end", year_end), ("year", year), ("suggestion", None if organisation else suggestion))
        if value)
    evidence = tuple((name, Quote(0, sentence_at(head, at))) for name, at in (
        ("organisation", named.quote_at if named else None), ("company_number", number_at),
        ("year", year_at)) if at is not None)
    return Identity(organisation=organisation, entities=entities, company_number=number,
                    financial_year_end=year_end, year=year, sources=sources, evidence=evidence,
                    suggestion=None if organisation else suggestion)


def sentence_at(text: str, at: int, limit: int = 300) -> str:
    """The sentence (or line) of ``text`` around character ``at``, as a quote: whole when it fits."""
    start = max(text.rfind("\n", 0, at), max(text.rfind(". ", 0, at), text.rfind("! ", 0, at), text.rfind("? ", 0, at)) + 1)
    start = max(start + 1 if text[start:start + 1] in "\n" else start, 0)
    ends = [i for i in (text.find("\n", at), text.find(". ", at)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    if end - start > limit and at - start > limit - QUOTE_AFTER:
        # a long sentence quoted from a word shortly before ``at``, so the quote shows what was read there
        # ("... constitutes Dell's statement for the financial year ending 2nd of February, 2018 (and ...")
        start = text.find(" ", at - QUOTE_BEFORE, at) + 1 or at
    quote = " ".join(text[start:end].split())
    return quote if len(quote) <= limit else quote[:limit - 1].rstrip() + "…"


QUOTE_BEFORE, QUOTE_AFTER = 80, 120  # a long sentence's quote: characters kept before ``at``; room after it


def document_to_identity(doc: Document) -> Identity:
    """The text's identity with each quote on its page; the PDF's metadata and then its file name
    suggest an organisation the text does not state (never as its name)."""
    found = text_to_identity(doc.text)
    evidence = tuple((name, Quote(_page_of(doc, quote.text), quote.text)) for name, quote in found.evidence)
    return with_fallback(replace(found, evidence=evidence), doc.path, doc.metadata)


def _page_of(doc: Document, sentence: str) -> int:
    """The page of the first block that holds the sentence's opening words (1 when none does)."""
    probe = " ".join(sentence.split()[:6])
    folded = unicodedata.normalize("NFKC", probe)
    for block in doc.blocks:
        text = " ".join(block.text.split())
        if probe in text or folded in unicodedata.normalize("NFKC", text):
            return block.page
    return doc.pages[0].number if doc.pages else 1


def with_fallback(found: Identity, path: str, metadata: Metadata | None) -> Identity:
    """What the text does not state, suggested: an organisation from the PDF's metadata, else its file
    name, as ``suggestion`` (marked with its source) and never as the organisation. A year the text
    does not state stays unknown."""
    if found.organisation is not None or found.suggestion is not None:
        return found
    meta_org, _, name_org, _ = fallback_parts(path, metadata)
    suggestion, source = (meta_org, "metadata") if meta_org else (name_org, "file name")
    if not suggestion:
        return found
    sources = tuple((k, v) for k, v in found.sources if k != "suggestion") + (("suggestion", source),)
    return replace(found, suggestion=suggestion, sources=sources)


def given_identity(found: Identity, given: Given) -> Identity:
    """``found`` with the organisation, company number and year ``given`` sets, each marked with the
    given's source (a register's or a reviewer's record outranks the text); the text's quote for a
    replaced field is dropped."""
    changes = {name: getattr(given, name) for name in ("organisation", "company_number", "year")
               if getattr(given, name) is not None}
    if not changes:
        return found
    sources = dict(found.sources)
    sources.update({name: given.source for name in changes})
    evidence = tuple((name, quote) for name, quote in found.evidence if name not in changes)
    if "year" in changes and changes["year"] != found.year:  # the text's year end belongs to another year
        changes["financial_year_end"] = None
        sources.pop("financial_year_end", None)
        evidence = tuple((n, q) for n, q in evidence if n != "financial_year_end")
    return replace(found, **changes, sources=tuple(sources.items()), evidence=evidence)


def fallback_parts(path: str, metadata: Metadata | None) -> tuple[str | None, int | None, str | None, int | None]:
    """(organisation, year) from the metadata and from the file name. An Author that looks like a
    user name or a person is ignored; a title gives the name before "Modern Slavery Statement"."""
    meta_org = meta_year = None
    if metadata is not None:
        title = metadata.title or ""
        meta_org = _title_name(title) or _author_name(metadata.author)
        years = re.findall(r"(?<!\d)(20[0-3]\d)(?!\d)", title)
        meta_year = int(years[-1]) if years else None
    stem = Path(path).stem
    years = re.findall(r"(?<!\d)(20[0-3]\d)(?!\d)", stem)
    name = re.sub(r"(?i)[_\-\s]*(?:modern[_\-\s]*slavery|msa|statement|anti[_\-\s]*slavery|(?:19|20)\d\d)[_\-\s]*", " ", stem)
    name = re.sub(r"[_\-]+", " ", name).strip()
    name_org = (name.title() if name == name.lower() else name) or None
    return meta_org, meta_year, name_org, int(years[-1]) if years else None


def _title_name(title: str) -> str | None:
    match = re.match(r"\s*(.{2,80}?)\s*[-–:|,]?\s*(?:19|20)?\d{0,2}\s*(?i:modern\s+slavery|slavery\s+and|anti-slavery)", title)
    if not match:
        return None
    name = _clean(match.group(1))
    return name if name and _is_name(name) else None


def _author_name(author: str | None) -> str | None:
    if not author or USER_NAME.search(author.strip()):
        return None
    author = _clean(author)
    # A person ("Jane Smith") writes the file; only a legal form makes the Author an organisation.
    return author if author and ENTITY_RE.fullmatch(author) and _is_name(author) else None


@dataclass(frozen=True)
class Candidate:
    """A name the text might give the organisation making it, with what the text says of it."""

    key: str  # ``organisation_key`` of the name
    name: str  # the fullest common form, for display
    features: Mapping[str, float]
    quote_at: int  # where the strongest evidence for it starts in the text (its sentence is the quote)


@dataclass(frozen=True)
class Named:
    """The organisation a statement names as its maker, the sentence it says so in, and how sure."""

    name: str
    quote_at: int
    probability: float


def find_organisation(text: str) -> str | None:
    """The organisation making the statement, or None when the text does not name one clearly."""
    named, _ = read_organisation(text)
    return named.name if named else None


def read_organisation(text: str, ranker: Ranker | None = None) -> tuple[Named | None, str | None]:
    """(the organisation named as the maker, or None; the best candidate when it is not sure enough,
    as a suggestion). The shipped ranker (``organisation_ranker``) weighs every candidate; below its
    threshold no name is given: a wrong name is worse than none."""
    ranker = ranker or organisation_ranker()
    found = organisation_candidates(text)
    if not found:
        return None, None
    probability, best = best_candidate(found, ranker)
    if probability < ranker.threshold or mentioned_in_passing(best.features):
        return None, best.name
    return Named(best.name, best.quote_at, probability), None


def best_candidate(found: list[Candidate], ranker: Ranker) -> tuple[float, Candidate]:
    """The likeliest maker and how sure the ranker is of it: its probability, lowered by the likeliest
    rival that is another organisation (``Ranker.rival_weight``): two names that each look like the
    maker (a fund and its management company, a subsidiary and the parent whose statement it appends)
    leave the choice in doubt, however high the first one scores on its own."""
    scored = [(ranker.probability(c.features), c) for c in found]
    probability, best = max(scored, key=lambda pc: (pc[0], len(pc[1].key)))
    rival = max((p for p, c in scored if c is not best and not same_organisation(c.name, best.name)), default=0.0)
    return probability * (1.0 - ranker.rival_weight * rival), best


def mentioned_in_passing(features: Mapping[str, float]) -> bool:
    """A candidate with little evidence (at most ``MIN_WEIGHT`` of votes besides a copyright line) that does
    not recur either (``MIN_RECURRENCE``) is mentioned, not stated as the maker, however the ranker scores it:
    a lone term in a report ("Regolamento (UE)") has no rival to lose to, and "Copyright © 2019 PEI
    Licensing, Inc." under a shop's navigation names the site's owner."""
    # a copyright line is the web page's or the file's owner, not a statement that it made this one
    votes = features.get("votes", 0.0) - features.get("kind_copyright", 0.0) * COPYRIGHT_WEIGHT
    return votes <= MIN_WEIGHT and features.get("recurrence", 0.0) < MIN_RECURRENCE


# The features a candidate is described by (each a number; the ranker's weights name them).
KIND_FEATURES = tuple(f"kind_{kind.replace(' ', '_')}" for kind, _, _ in SELF_PATTERNS) + (
    "kind_title_line", "kind_entity_line", "kind_short_line", "kind_entity_mention", "kind_acronym", "kind_parent_defined",
    "kind_steps_reported")


# The kinds of evidence in which a statement names its own maker (the rest may name anyone).
STRONG_KINDS = ("defined", "defined_we", "constitutes", "made_by", "committed", "relates_to", "statement_of", "registered", "on_behalf_of",
                "possessive_statement", "steps_taken", "sets_out", "has_taken_steps")
# Steps a name is said to take: the maker's own only where nothing marks the name as its parent or another cue
# names it as the maker
REPORTED_KINDS = ("steps_taken", "has_taken_steps")
OUR_SENTENCE = re.compile(r"(?i)\b(?:our|us|on\s+our\s+behalf)\b")


def organisation_candidates(text: str) -> list[Candidate]:
    """Every name the text might give its maker, each with the features the ranker reads."""
    votes: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = {}
    forms: dict[str, Counter[str]] = {}
    first_at: dict[str, int] = {}
    evidence: dict[str, tuple[float, int]] = {}  # key -> (the strongest evidence's weight, where it starts)
    aliases: dict[str, str] = {}  # a defined short name's key -> the full name's key
    alias_words: dict[str, set[str]] = {}  # a defined short name's key -> its words as defined ("bluebay llp")
    terms: set[str] = set()  # names seen with a short form that are terms, not the maker

    def vote(raw: str, weight: float, kind: str, at: int) -> str | None:
        raw = _across_blank(text, raw)
        name = _clean(raw)
        if (not name or not _is_name(name)) and "\n" in raw.strip():
            name = _clean(raw.strip().rsplit("\n", 1)[1])  # a heading line run into the name on the next
        if not name or not _is_name(name):
            return None
        key = organisation_key(name)
        if not key:
            return None
        votes[key] += weight
        kinds.setdefault(key, Counter())[kind] += 1
        forms.setdefault(key, Counter())[name] += 1
        first_at[key] = min(first_at.get(key, at), at)
        if weight > evidence.get(key, (-1.0, 0))[0]:
            evidence[key] = (weight, at)
        return key

    reported: list[tuple[str, int]] = []  # "X has taken the following steps": (raw name, where), weighed below
    for kind, pattern, weight in SELF_PATTERNS:
        feature = f"kind_{kind.replace(' ', '_')}"
        for match in pattern.finditer(text):
            if kind == "has taken steps":
                sentence = re.split(r"[.!?](?:\s|$)|\n\s*\n", text[match.end(): match.end() + 200], maxsplit=1)[0]
                if not OUR_SENTENCE.search(text[match.start(): match.end()] + sentence):
                    # "KPMG has undertaken a number of steps to review our controls": an auditor, a client or a
                    # body acting on the maker, not the maker reporting its own steps
                    reported.append((_unwrapped(text, match.start(1), match.group(1)), match.start()))
                continue
            if kind == "defined":
                alias = organisation_key(match.group(2) or match.group(3) or match.group(5) or "")
                if not alias or alias in NOT_ALIASES or all(w in identity_words()["not_names"] for w in alias.split()):
                    # "(the Company)", "(the “Group”)", "(trading as ...)": a definition without a usable alias
                    generic = match.group(4) or not any(match.group(i) for i in (2, 3, 4, 5)) or \
                        (match.group(2) and organisation_key(match.group(2)) in ("", "company", "group"))
                    if generic:
                        vote(match.group(1), weight, feature, match.start())
                    continue
                short = match.group(3) or (match.group(2) if re.fullmatch(r"[A-Z][A-Z&\-]{1,8}", match.group(2) or "")
                                            else None)
                defined = _clean(match.group(1)) or ""
                if (short or alias == organisation_key(defined)) and (
                        not ENTITY_RE.fullmatch(defined) or (short and defined.split()[-1].lower() in identity_words()["others"])):
                    # "Supplier Ethical Data Exchange (Sedex)", "Announced Pledges Scenario (“APS”)", "Regolamento
                    # (il “Regolamento”)", "British Poultry Council (BPC)": a term's or a body's short form, not the
                    # maker defining itself
                    term = organisation_key(_clean(match.group(1)) or "")
                    if term not in terms:  # "Regolamento (UE)" 34 times is still one term, not 34 votes
                        terms.add(term)
                        vote(match.group(1), 0.5, "kind_acronym", match.start())
                    continue
                # "AB Agri is the agricultural division of Associated British Foods Plc (ABF)": the parent defining
                # its short form, not the maker defining itself
                parent = PARENT_BEFORE.search(text, max(0, match.start(1) - 60), match.start(1)) is not None
                named = match.group(1)
                head = _list_head(text, match.start(1), match.group(2) or match.group(3) or match.group(5) or "", defined)
                if head is not None:
                    named = head  # the list's head, which the definition's short name abbreviates
                key = vote(named, 0.5 if parent else weight, "kind_parent_defined" if parent else feature,
                           match.start())
                if key and alias != key:
                    aliases.setdefault(alias, key)
                    alias_words.setdefault(alias, set()).add(_strict_key(match.group(2) or match.group(3) or match.group(5)))
                continue
            if kind == "defined we":
                # "... Act for LeafFilter North of Canada, Inc (LeafFilter, we": the name follows the last "for"
                full = re.split(r"\s+(?:for|by|to|from|with|at|on)\s+", match.group(1) or "")[-1]
                if not _short_form(match.group(2), full):
                    # "(In Bangladesh, we audited ...)", "(However, we do not ...)": an aside, not a definition;
                    # only a name's own short form defined with "we" counts
                    continue
                key = vote(full, weight, feature, match.start())
                alias = organisation_key(match.group(2))
                if key and alias and alias != key and alias not in NOT_ALIASES:
                    aliases.setdefault(alias, key)
                    alias_words.setdefault(alias, set()).add(_strict_key(match.group(2)))
                continue
            following = text[match.end(): match.end() + 60]
            # the name after a cue ends with the cue's sentence: "Signed on behalf of the board of Directors." /
            # "Privacy Policy Careers ..." (a website's menu line under it) is no name of the board's
            found = match.group(1)
            if kind == "copyright":
                found = re.sub(r"[ \t]+(?:19|20)\d\d[ \t]*$", "", found)  # "© Copyright Brend Hotels 2019"
            stop = re.search(r"(?<=[a-z]{3})\.[ \t]*\n", found)
            raw = _unwrapped(text, match.start(1), found[:stop.start()] if stop else found)
            if ROLE_WORDS.search(following.split("\n", 2)[1] if following.count("\n") >= 2 else "") and \
                    not ENTITY_RE.fullmatch(_clean(match.group(1)) or ""):
                continue  # a signatory's name above their job title
            vote(raw, weight, feature, match.start())
    for raw, at in reported:  # ... the maker's own steps only where another cue names the same name as the maker
        name = _clean(_across_blank(text, raw))
        key = organisation_key(name) if name else None
        if key and any(kinds.get(key, Counter()).get(f"kind_{kind}", 0) for kind in STRONG_KINDS if kind not in REPORTED_KINDS):
            vote(raw, 2.0, "kind_has_taken_steps", at)
        else:
            vote(raw, 0.5, "kind_steps_reported", at)  # a name said to act, as any name may be
    offset = 0
    for line in text[:3000].splitlines()[:40]:
        at = text.find(line, offset)
        offset = max(offset, at)
        line = line.strip()
        if not line:
            continue
        if TITLE_CUES.search(line):
            for part in re.split(r"\s+[-–|:]\s+|\s*[|]\s*", line):
                if not TITLE_CUES.search(part):
                    vote(part, 1.0, "kind_title_line", at)
            # the words before the title's first cue: "Acme Ltd Modern Slavery Statement"; a line that opens
            # with its cue names no one ("Modern Day Slavery and Human Trafficking Policy" is not "Modern Day")
            cue = TITLE_NAME_CUE.search(line)
            if cue and cue.start() > 0:
                vote(line[:cue.start()], 1.0, "kind_title_line", at)
        elif ENTITY_RE.fullmatch(line):
            vote(line, 1.5, "kind_entity_line", at)
        elif len(line.split()) <= 5:
            vote(line, 0.5, "kind_short_line", at)  # a line that is only a name, as a letterhead or cover shows it
    for match in TRADING_AS.finditer(text):  # a trading name is the maker's other name, not a rival
        owner, trade = organisation_key(_clean(match.group(1)) or ""), organisation_key(_clean(match.group(2)) or "")
        if owner and trade and owner != trade and _is_name(_clean(match.group(2)) or ""):
            aliases.setdefault(trade, owner)
            alias_words.setdefault(trade, set()).add(_strict_key(match.group(2)))
    opening, closing = min(1000, len(text) // 3), max(len(text) - 800, 2 * len(text) // 3)
    first = last = None
    for match in ENTITY_RE.finditer(text):
        key = vote(_unwrapped(text, match.start(1), match.group(1)), 0.3, "kind_entity_mention", match.start(1))
        if key and first is None and match.start() < opening:
            first = key
        line = text.rfind("\n", 0, match.start())
        if key and match.start() > closing and (last is None or line > last[1]):
            last = (key, line)  # the first name on the last line that names one: "CEO, Acme Limited and Acme UK Limited"
    if not votes:
        return []
    lower = text.lower()
    for alias, key in aliases.items():  # "Redefine BDL Hotels ('RBH')": a vote for "RBH" is one for the name ...
        acronym = any(re.fullmatch(r"[a-z]{2,8}", w) for w in alias_words.get(alias, ()))
        if key in votes and alias in votes and not (acronym and any(ENTITY_RE.fullmatch(f) for f in forms[alias])):
            # ... unless the short form is initials that another legal entity's name shares: "Marla Tube Fittings
            # Ltd (MTF)" is a subsidiary listed by "MTF Holding Limited", whose key is "mtf" too
            votes[key] += votes.pop(alias)
            kinds[key].update(kinds.pop(alias))
    size = max(len(text), 1)
    parents = _named_after(PARENT_CUE.finditer(text), text, {*votes, *aliases})
    for key in [k for k in votes if parents[k] or any(parents.get(a, 0) for a, o in aliases.items() if o == k)]:
        # "As a subsidiary of Orion Holdings plc, we have adopted the group statement, which sets out the steps
        # taken by Orion Holdings plc": a parent's steps named in its subsidiary's statement; the name's ordinary
        # mentions still count
        for kind in REPORTED_KINDS:
            n = kinds[key].pop(f"kind_{kind}", 0)
            votes[key] -= 2.0 * n
        if votes[key] <= 0:
            votes[key] = 0.3
    closing_text = max(len(text) - 3000, 2 * len(text) // 3)
    signers = _named_after((m for m in ROLE_WORDS.finditer(text, closing_text)), text, votes, span=100)
    spans = _own_mentions(lower, text, {*votes, *aliases}, aliases)
    recurrences = {key: max(_recurrence(spans[key]), max((_recurrence(spans[a]) for a, k in aliases.items() if k == key), default=0))
                   for key in votes}
    acting = {key: max(_acts(lower, spans[key]), max((_acts(lower, spans[a]) for a, k in aliases.items() if k == key), default=0))
              for key in votes}
    for alias, key in aliases.items():  # "part of ABF" where the parent defined itself as "Associated British Foods Plc (ABF)"
        if key in votes and alias != key:
            parents[key] += parents.get(alias, 0)
    strong = {key: float(sum(kinds[key].get(f"kind_{kind}", 0) for kind in STRONG_KINDS)) for key in votes}
    families = Counter({key.split()[0]: 0.0 for key in votes})
    for key, weight in votes.items():
        families[key.split()[0]] += weight
    top_recurrence, top_strong, top_votes = max(recurrences.values()), max(strong.values()), max(votes.values())
    top_acts = max(acting.values())
    out = []
    for key, weight in votes.items():
        name = _display(forms[key])
        recurrence = recurrences[key]
        rival = max((v for k, v in votes.items() if k != key), default=0.0)
        words = key.split()
        features = {feature: float(kinds[key].get(feature, 0)) for feature in KIND_FEATURES}
        features.update({
            "votes": weight, "log_votes": math.log1p(weight), "recurrence": recurrence,
            "legal_form": float(ENTITY_RE.fullmatch(name) is not None), "words": float(len(words)),
            "single_word": float(len(words) == 1), "all_caps": float(name.isupper()),
            "first_position": first_at[key] / size, "opening": float(first_at[key] < 600),
            "first_legal_in_opening": float(key == first), "last_legal_in_closing": float(last is not None and key == last[0]),
            "has_alias": float(any(k == key for k in aliases.values())),
            "prefix_of_another": float(any(other != key and other.startswith(key + " ") for other in votes)),
            "extends_another": float(any(other != key and key.startswith(other + " ") for other in votes)),
            "other_word": float(words[-1] in identity_words()["others"]),
            "not_name_share": sum(w in identity_words()["not_names"] for w in words) / len(words),
            "candidates": float(len(votes)),
            "vote_share": weight / max(sum(votes.values()), 1e-9),
            "votes_relative": weight / max(max(votes.values()), 1e-9),
            "best_vote": float(weight == top_votes),
            # the candidate against its rivals in the same text: a maker stands out from the names it mentions
            "recurrence_relative": recurrence / max(top_recurrence, 1e-9),
            "strong": strong[key], "strong_relative": strong[key] / top_strong if top_strong else 0.0,
            "strong_candidates": float(sum(1 for v in strong.values() if v)),
            "votes_margin": (weight - rival) / max(top_votes, 1e-9),
            "family_share": families[key.split()[0]] / max(sum(votes.values()), 1e-9),
            "parent_cue": float(min(parents[key], 5)), "signer": float(min(signers[key], 5)),
            "acts": float(min(acting[key], 10)), "acts_relative": acting[key] / top_acts if top_acts else 0.0,
        })
        out.append(Candidate(key, name, features, evidence[key][1]))
    return out


def _named_after(cues, text: str, keys, span: int = 90) -> Counter[str]:
    """How often each key is named in the words after a cue (within ``span`` characters and the sentence)."""
    found: Counter[str] = Counter()
    for cue in cues:
        window = text[cue.end(): cue.end() + span]
        window = re.split(r"\.\s|\n\s*\n", window, maxsplit=1)[0]
        folded = f" {organisation_key(window)} "
        for key in keys:
            if f" {key} " in folded:
                found[key] += 1
    return found


@dataclass(frozen=True)
class Tree:
    """One regression tree of the ranker, as arrays (a leaf has feature -1)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def predict(self, x: tuple[float, ...]) -> float:
        node = 0
        while self.feature[node] >= 0:
            node = self.left[node] if x[self.feature[node]] <= self.threshold[node] else self.right[node]
        return self.value[node]


@dataclass(frozen=True)
class Ranker:
    """Gradient-boosted trees over candidate features (trained by ``train/identity.py`` on labelled
    statements): the probability a candidate is the maker; below ``threshold`` no name is given."""

    features: tuple[str, ...]
    trees: tuple[Tree, ...]
    init: float
    learning_rate: float
    threshold: float
    version: str = ""
    rival_weight: float = 0.0  # how much the likeliest other organisation lowers the best one's score

    def probability(self, features: Mapping[str, float]) -> float:
        x = tuple(float(features.get(name, 0.0)) for name in self.features)
        z = self.init + self.learning_rate * sum(tree.predict(x) for tree in self.trees)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


RANKER_FILE = "lexicons/organisation_ranker.json"


@lru_cache(maxsize=1)
def organisation_ranker() -> Ranker:
    """The shipped ranker (package data, written by ``disclosure-check train-identity``)."""
    import json

    where = f"disclosure_check/{RANKER_FILE}"
    try:
        data = json.loads(resources.files("disclosure_check").joinpath(RANKER_FILE).read_text(encoding="utf-8"))
        return ranker_from_data(data)
    except (FileNotFoundError, KeyError, TypeError, ValueError) as exc:
        raise DataError(f"the organisation ranker cannot be read ({exc})", where=where,
                        fix="restore the file from git, or retrain it: disclosure-check train-identity") from None


def ranker_from_data(data: Mapping) -> Ranker:
    trees = tuple(Tree(tuple(int(v) for v in t["feature"]), tuple(float(v) for v in t["threshold"]),
                       tuple(int(v) for v in t["left"]), tuple(int(v) for v in t["right"]),
                       tuple(float(v) for v in t["value"])) for t in data["trees"])
    return Ranker(features=tuple(str(f) for f in data["features"]), trees=trees, init=float(data["init"]),
                  learning_rate=float(data["learning_rate"]), threshold=float(data["threshold"]),
                  version=str(data.get("version", "")), rival_weight=float(data.get("rival_weight", 0.0)))


def organisation_key(name: str) -> str:
    """A name compared without case, punctuation, legal forms or "Group": "Barclays PLC" -> "barclays"."""
    folded = re.sub(r"(?:‚äô|['’‚`´])s\b", "", name.lower())  # a possessive: "Sainsbury’s" is "Sainsbury"
    folded = re.sub(r"‚äô|['’‚`´]", "", folded)  # "McDonald‚Äôs": a curly quote read as Mac Roman
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(c for c in folded if not unicodedata.combining(c))  # "Nestlé" -> "nestle"
    folded = re.sub(r"\b(\w)\.(?=\w)", r"\1 ", folded)  # "R.M.Curtis" -> "r m curtis"
    words = re.sub(r"\b([a-z])\s+(?=[a-z]\b)", r"\1", " ".join(re.findall(r"[^\W_]+|&", folded))).split()  # r m -> rm
    kept = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(kept)


def same_organisation(a: str | None, b: str | None) -> bool:
    """True when two names are one organisation: equal keys, or one key the other's first words
    ("Lush" and "Lush Retail Ltd")."""
    if not a or not b:
        return False
    ka, kb = organisation_key(a).split(), organisation_key(b).split()
    if not ka or not kb:
        return False
    short, long = sorted((ka, kb), key=len)
    return long[: len(short)] == short or "".join(ka) == "".join(kb)  # "BayernLB" and "Bayern LB"


def find_entities(text: str, organisation: str | None) -> tuple[str, ...]:
    """Other legal entities the statement says it covers (subsidiaries named in the scope)."""
    own = _strict_key(organisation) if organisation else ""
    found: dict[str, str] = {}
    for sentence in re.split(r"(?<=[.;])\s+|\n\s*\n", text):
        if not re.search(r"(?i)\b(?:subsidiar|cover|appl(?:y|ies)\s+to|on\s+behalf\s+of|made\s+by|relates\s+to|"
                         r"following\s+(?:companies|entities)|group\s+companies|reporting\s+entit)", sentence):
            continue
        for match in ENTITY_RE.finditer(sentence):
            # "Acme Mortgages Limited and Acme Cards Limited" is two entities
            for part in re.sub(r"\b(Limited|LIMITED|Ltd\.?|plc|PLC|LLP|Inc\.)[,]?\s+(?:and|&)\s+", r"\1|",
                               match.group(1)).split("|"):
                name = _clean(part)
                if not name or not _is_name(name):
                    continue
                display = _display(Counter([name]))
                key = _strict_key(display)  # "Acme UK Limited" is another entity than "Acme Group S.p.A."
                if key and key != own and key not in found:
                    found[key] = display
        if len(found) >= 40:
            break
    return tuple(found.values())


def _strict_key(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.lower()))


def find_company_number(text: str, *, with_position: bool = False):
    """The first Companies House number stated, padded to 8 characters (2366995 -> 02366995), or an
    Australian ABN/ACN ("ABN 12345678901"); with its position when asked."""
    match = COMPANY_NUMBER.search(text)
    australian = AUSTRALIAN_NUMBER.search(text)
    if australian and (match is None or australian.start() < match.start()):
        kind = "ABN" if australian.group(1).replace(".", "").upper() == "ABN" else "ACN"
        digits = "".join(australian.group(2).split())
        number, at = f"{kind} {digits}", australian.start()
    elif match:
        raw = match.group(1).upper().replace(" ", "")
        prefix = raw[:2] if raw[:2].isalpha() else ""
        number, at = prefix + raw[len(prefix):].zfill(8 - len(prefix)), match.start()
    else:
        number, at = None, None
    return (number, at) if with_position else number


def find_year_end(text: str, *, with_position: bool = False):
    """The financial year end as an ISO date, the one stated most often (the first stated on a tie):
    after a year-end cue ("year ended 31 March 2019") or closing a year-long range of dates stated as
    the period. A year end in brackets after another in its sentence is a subsidiary's ("... year
    ending 2 February 2018 (and for the financial year ending 31 December 2017 in respect of Dell Bank
    ...)") and counts half; another statement's never counts. With where it is first stated when asked."""
    dates: Counter[str] = Counter()
    first: dict[str, int] = {}
    taken: list[tuple[int, int]] = []

    def count(parsed: str, start: int, end: int) -> None:
        if _other_statement(text, start):
            return
        taken.append((start, end))
        dates[parsed] += 0.5 if _subsidiary_clause(text, start) else 1
        first[parsed] = min(first.get(parsed, start), start)

    for index, pattern in enumerate(YEAR_END_PATTERNS):
        for match in pattern.finditer(text):
            parsed = _date(index, match.groups())
            if parsed and (PLAN_CUE_BEFORE.search(text, max(0, match.start() - PLAN_CUE_CHARS), match.start())
                           or PLAN_AFTER.match(text, match.end())):
                taken.append((match.start(), match.end()))  # plans: neither counted nor read again as a range
            elif parsed:
                count(parsed, match.start(), match.end())
    for start, end, opening, closing in date_ranges(text):
        days = date.fromisoformat(closing).toordinal() - date.fromisoformat(opening).toordinal()
        if RANGE_DAYS[0] <= days <= RANGE_DAYS[1] and not any(a < end and start < b for a, b in taken) \
                and _stated_as_period(text, start, end):
            count(closing, start, end)
    if not dates:
        return (None, None) if with_position else None
    best = max(dates, key=lambda d: (dates[d], -first[d]))
    return (best, first[best]) if with_position else best


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind("\n", 0, at), text.rfind(". ", 0, at)) + 1


def _stated_as_period(text: str, start: int, end: int) -> bool:
    """The range at text[start:end] is given as the period: a period word before it in its sentence,
    not after a plan word; or it is its line's only words under a title line (not a web archive's
    "7 captures" / "20 Mar 2016 - 23 Aug 2017")."""
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    if not text[line_start:start].strip() and not text[end:len(text) if line_end < 0 else line_end].strip(" \t.,;:)"):
        above = text[:line_start].rstrip().rsplit("\n", 1)[-1]
        return bool(TITLE_WORD.search(above)) and len(above.split()) <= TITLE_WORDS  # not "7 captures" / "20 Mar 2016 - ..."
    before = text[max(_sentence_start(text, start), start - RANGE_CUE_CHARS):start]
    return bool(RANGE_CUE.search(before)) and not PLAN_BEFORE.search(before[-40:]) \
        and not PLAN_AFTER.match(text, end) \
        and (not OTHER_TERM.search(before) or bool(THIS_SUBJECT.search(before)))


def _other_statement(text: str, at: int) -> bool:
    """A year or date at ``at`` that belongs to another statement named just before it in its sentence."""
    sentence = _sentence_start(text, at)
    before = text[max(sentence, at - OTHER_CHARS):at]
    for match in OTHER_STATEMENT.finditer(before):
        said_end = max(sentence, at - OTHER_CHARS) + match.start()
        # THIS_STATEMENT ends where ``said`` does: its last words are enough, and a text without sentence
        # breaks made reading all of them quadratic
        said = text[max(sentence, said_end - THIS_CHARS):said_end]
        if not THIS_STATEMENT.search(said) and "this statement" not in before[match.end():].lower():
            return True
    return False


def _subsidiary_clause(text: str, at: int) -> bool:
    """``at`` stands in brackets opened after a year-end cue earlier in its sentence."""
    sentence = _sentence_start(text, at)
    opened = text.rfind("(", sentence, at)
    return opened > sentence and text.find(")", opened, at) < 0 and \
        any(p.search(text, sentence, opened) for p in YEAR_END_PATTERNS)


def find_statement_year(text: str, *, with_position: bool = False):
    """The statement year when no year end is given: "FY2020", "financial year 2019/20" (the end
    year), "Modern Slavery Statement 2018", "2019 statement"; the year mentioned most as a last
    resort, only when a sentence about a period names it. With where it is first stated when asked."""
    years: Counter[int] = Counter()
    first: dict[int, int] = {}

    def count(year: int, weight: int, at: int) -> None:
        years[year] += weight
        first[year] = min(first.get(year, at), at)

    for match in FY_YEAR.finditer(text):
        short, start, end, _, full = match.groups()
        if short:
            count(full_year(short), 2, match.start())
        elif full:
            count(int(full), 2, match.start())
        elif start and end:
            count(full_year(end[-2:]), 2, match.start())
    for match in YEAR_NAMED.finditer(text):
        count(int(match.group(1) or match.group(2) or full_year(match.group(3))), 2, match.start())
    for match in STATEMENT_YEAR.finditer(text[:5000]):
        if not _other_statement(text, match.start(1) if match.group(1) else match.start()):
            count(int(match.group(1) or match.group(2)), 1, match.start())
    for match in SHORT_TITLE_YEAR.finditer(text[:5000]):  # "MODERN SLAVERY STATEMENT 18/19"
        if int(match.group(2)) == int(match.group(1)) + 1 and not _other_statement(text, match.start()):
            count(full_year(match.group(2)), 1, match.start())
    for match in SPLIT_YEAR.finditer(text[:3000]):
        start, end = int(match.group(1)), full_year(match.group(2)[-2:])
        if end == start + 1:
            count(end, 1, match.start())
    years = Counter({y: n for y, n in years.items() if 2015 <= y <= date.today().year + 1})
    if years:
        best = max(years, key=lambda y: (years[y], y))
        return (best, first[best]) if with_position else best
    found = most_mentioned_year(text)
    at = _period_mention(text, found) if found else None
    if at is None and found:  # the period's sentence lost its date in extraction: quote that sentence
        cut = CUT_PERIOD.search(text)
        at = cut.start() if cut else None
    if at is None:  # a year must come with the sentence it was read from: none says it is the period's
        found = None
    return (found, at) if with_position else found


def _period_mention(text: str, year: int) -> int | None:
    """Where ``year`` is first written in a sentence about a period ("steps taken during 2018", "in
    the 2015 - 2016 year"), not another statement's; None when no sentence is."""
    for match in re.finditer(rf"(?<![\d/£$€.,]){year}(?![\d/%])", text):
        # lines of a PDF's text break a sentence anywhere: its ". " bounds it, within a line or two
        start = max(text.rfind(". ", 0, match.start()) + 1, match.start() - MENTION_CHARS)
        end = min(i for i in (text.find(". ", match.end()), len(text)) if i >= 0)
        end = min(end, match.end() + MENTION_CHARS)
        if PERIOD_WORD.search(text, start, end) and not SIGNING_WORD.search(text, start, end) and not re.search(r"(?i)act\s*(?:of\s*)?$", text[start:match.start()]) \
                and not _other_statement(text, match.start()):
            return match.start()
    return None


def most_mentioned_year(text: str) -> int | None:
    """The year the text mentions most, leaving out the Act's "2015", copyright lines and page
    headers of a printed web page; the earliest on a tie (plans name the years after)."""
    cleaned = re.sub(r"(?i)act\s*(?:of\s*)?2015|(?:©|copyright|\(c\))[^\n]{0,20}|\d{1,2}/\d{1,2}/(?:19|20)\d\d", " ", text)
    years = Counter(int(y) for y in re.findall(r"(?<![\d/£$€.,])((?:19|20)\d\d)(?![\d/%])", cleaned))
    years = Counter({y: n for y, n in years.items() if 2015 <= y <= date.today().year + 1})
    if not years:
        return None
    return max(years, key=lambda y: (years[y], -y))


def _date(pattern: int, groups: tuple) -> str | None:
    try:
        if pattern == 0:
            day, month, year = int(groups[0]), month_number(groups[1]), int(groups[2])
        elif pattern == 1:
            month, day, year = month_number(groups[0]), int(groups[1]), int(groups[2])
        elif pattern == 2:
            day, month, year = int(groups[0]), int(groups[1]), int(groups[2])
        else:
            month, year = month_number(groups[0]), int(groups[1])
            day = month_end(year, month)
        return date(year, month, day).isoformat()
    except (KeyError, ValueError):
        return None


def _mentions(lower: str, key: str, text: str) -> list[tuple[int, int]]:
    """Where a name's core is written in the text as a name: (start, end) of each mention. Only mentions
    written as a name count: "insurance" in running text is not "Insurance Company Limited". The core's
    words may stand apart as the key left them out ("Marks and Spencer" for "marks spencer", "J O Sims" or
    "J.O. Sims" for "jo sims")."""
    words = key.split()
    if len(words) == 1 and len(key) > 3:
        return [(at, at + len(key)) for at in standalone_at(lower, key) if not text[at].islower()]
    found = []
    for match in _flexible(key).finditer(lower):
        at = match.start()
        if (at == 0 or not "a" <= lower[at - 1] <= "z") and not text[at].islower():
            found.append((at, match.end()))
    return found


@lru_cache(maxsize=4096)
def _flexible(key: str) -> re.Pattern:
    """A key's words as the text may write them: initials with points or spaces ("j.o." for "jo"), and
    between two words what ``organisation_key`` leaves out ("and", "&", "group", punctuation)."""
    def word(w: str) -> str:
        if 1 < len(w) <= 3 and w.isalpha():
            return r"[.\s]{0,2}".join(re.escape(c) for c in w)
        return re.escape(w)
    return re.compile(_BETWEEN.join(word(w) for w in key.split()) + r"(?![a-z])")


_BETWEEN = (r"(?:[\s.,'’&()\-]+(?:(?:" + "|".join(re.escape(w) for w in sorted(GENERIC_WORDS, key=len, reverse=True) if w.isalpha())
            + r")(?![a-z])[\s.,'’&()\-]*)*)")
# A verb after a name: the name as the subject of what the statement reports ("Kustom Kit believes", "J O Sims
# undergoes ... audits", "The BM has policies"), past a legal form ("Acme Limited is")
_ACTS = re.compile(r"(?:['’]s?)?(?:[\s,]+(?:plc|p\.l\.c\.|limited|ltd\.?|llp|inc\.?|group|uk))*,?\s+"
                   r"(?:is|are|has|have|was|were|will|would|does|do|did|can|continues?|believes?|recogni[sz]es?|"
                   r"confirms?|expects?|requires?|takes?|works?|operates?|complies|comply|undergoes|undertakes?|aims?|"
                   r"seeks?|supports?|uses?|employs?|sources?|commits?|understands?|acknowledges?|remains?|provides?|"
                   r"ensures?|conducts?|maintains?|recogni[sz]es|strives?|prohibits?|opposes?|monitors?)\b")


def _own_mentions(lower: str, text: str, keys: set[str], aliases: Mapping[str, str]) -> dict[str, list[tuple[int, int]]]:
    """Each key's mentions, less those inside a longer candidate's mention: "Siemens" in "Siemens Bank GmbH" is
    a mention of the bank, not of Siemens (a key's own defined short forms do not count as longer names)."""
    found = {key: _mentions(lower, key, text) for key in keys}
    out = {}
    for key, mine in found.items():
        own = {key, aliases.get(key, key), *(a for a, k in aliases.items() if k == key)}
        # (not a run of two names read as one, "Siemens Bank GmbH. Siemens Bank GmbH is", which holds the key twice)
        longer = [(start, end) for other, theirs in found.items()
                  if other not in own and len(other) > len(key) and other.count(key) <= 1 for start, end in theirs]
        out[key] = [(start, end) for start, end in mine
                    if not any(s <= start and end <= e and e - s > end - start for s, e in longer)]
    return out


def _recurrence(mentions: list[tuple[int, int]]) -> float:
    """How often a name's core recurs in the text, on a log-like scale (capped)."""
    return min(len(mentions), 30) ** 0.5


def _acts(lower: str, mentions: list[tuple[int, int]]) -> int:
    """How many of a name's mentions are followed by a verb: the name as the subject of a sentence."""
    return sum(1 for _, end in mentions if _ACTS.match(lower, end))


def _list_head(text: str, at: int, alias: str, defined: str) -> str | None:
    """The entity a definition names when it closes a list: "Urban Outfitters, Inc. and its affiliated
    companies including ..., URBN UK Limited and UO Merchandise, Inc. (“Urban Outfitters” or the “Company”)"
    defines the first, whose short form it is, not the last; None when the short name is the last's own."""
    if not alias or _short_form(alias, defined):
        return None
    start = text.rfind("\n", 0, at) + 1
    ends = list(re.finditer(r"[a-z]{3}[.!?]\s+", text[start:at]))
    start += ends[-1].end() if ends else 0
    for entity in ENTITY_RE.finditer(text, start, at):
        name = _clean(entity.group(1))
        if name and _is_name(name) and _short_form(alias, name) and organisation_key(name) != organisation_key(defined):
            return name
    return None


def _short_form(alias: str, full: str) -> bool:
    """Whether a bracketed word or two is the preceding name's short form: "LeafFilter North of Canada, Inc
    (LeafFilter", "Marla Tube Fittings Ltd (MTF"; not "... seriously. (In Bangladesh"."""
    words = re.findall(r"[\w&'’\-]+", full)
    short = alias.split()
    if not words or not short:
        return False
    if short[0].lower() in (w.lower() for w in words):
        return True
    initials = "".join(w[0] for w in words if w[0].isupper())
    return bool(re.fullmatch(r"[A-Z&]{2,8}", alias)) and initials.startswith(alias.replace("&", ""))


def _across_blank(text: str, raw: str) -> str:
    """A name run across a blank line, kept whole only when the words before the break are part of it: "Hand
    Picked\n\nHotels Limited" (where "Picked Hotels" recurs in the text) or "Church &\n\nDwight Co." are one
    name; "... our partner Unseen UK\n\nAcme Foods Limited" is a heading or a sentence's end above the name."""
    gaps = list(re.finditer(r"[ \t]*\n[ \t]*\n\s*", raw))
    if not gaps:
        return raw
    before, after = raw[:gaps[-1].start()], raw[gaps[-1].end():]
    first = after.split()[0] if after.split() else ""
    if not first or not first[:1].isupper() or re.fullmatch(LEGAL_SUFFIX, first) or \
            re.search(r"(?:&|\band|\bof|\bthe|\bfor)\s*$", before) or not before.split():
        return raw  # "Acme Foods\n\nLimited", "Church &\n\nDwight": the name goes on
    last = before.split()[-1]
    if re.search(rf"(?<![\w&]){re.escape(last)}(?:[ \t]+|[ \t]*\n[ \t]*){re.escape(first)}(?![\w])", text, re.IGNORECASE):
        return raw  # the two words stand together elsewhere: one name wrapped at the break
    if first.lower() != first and re.search(rf"(?<![\w&]){re.escape(first.lower())}(?![\w])", text):
        # "on behalf of Direct Line\n\nInsurance Group plc": the line after begins with a common word
        # ("insurance" in running text), so it does not begin a name of its own
        return raw
    defined = re.search(re.escape(raw) + r"\s*\((?i:the\s+)?[“\"'‘]*([A-Z&]{2,8})[”\"'’]*\)", text)
    if defined and _short_form(defined.group(1), before.split("\n")[-1] + " " + after) and \
            not _short_form(defined.group(1), after):
        return raw  # "Hand Picked\n\nHotels Limited ("HPH")": the initials span the break
    return after


def _unwrapped(text: str, start: int, raw: str) -> str:
    """A name found across a line break, kept whole only when the break is inside running text:
    "made by American Express Services\nEurope Limited" is one name, "Verification\nIDEAL INDUSTRIES,
    Inc." (a heading line above it) is not."""
    if "\n" not in raw:
        return raw
    before = raw[:raw.index("\n")]
    after = raw[len(before):].lstrip(" \t\n")  # the next line, past a blank one
    if re.search(rf"\b{LEGAL_SUFFIX}[,.]?\s*$", before):
        return before  # a legal form ends the name: the next line is someone else ("... Limited\nEdward Eagle")
    line_start = text.rfind("\n", 0, start) + 1
    starts_line = not text[line_start:start].strip()
    if starts_line and not re.search(r"(?:&|\band|\bof|\bthe|\bfor)\s*$", before):
        return _unwrapped(text, start + len(raw) - len(after), after)
    return raw


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _clean(raw: str) -> str | None:
    name = re.sub(r"\s+", " ", raw).strip(" \t,;:.-–|“”\"'‘’()")
    name = re.sub(r"(?i)[.,]?\s+(?:all\s+rights\s+reserved|fy\s?'?\d{2,4})\b.*$", "", name)  # a copyright or title line's tail
    name = re.split(r"(?<=[a-z]{3})\.\s+(?=[A-Z])", name)[0]  # two sentences run together
    name = re.sub(r"(?i)['’]s$", "", name)
    owner = re.match(r"(.+?)['’]s?\s+[A-Z]", name)
    if owner and "'" not in owner.group(1) and "’" not in owner.group(1) and not ENTITY_RE.fullmatch(name):
        name = owner.group(1)  # "Aston Lark’s Structure", "Richemont’s Maisons": the owner is the name
    # "Acme Limited and Acme Services Limited": two entities, the first is the name
    two = re.match(r"(.+?\b(?:Limited|LIMITED|Ltd\.?|plc|PLC|LLP|Inc\.))[,]?\s+(?:and|&)\s+", name)
    if two:
        name = two.group(1)
    name = re.sub(r"^(?:\d{1,2}[.)]\s*|(?i:we|i),\s*)", "", name)  # "1. Acme plc", "We, Acme Limited and ..."
    name = re.sub(rf"^(?i:{'|'.join(sorted(LEADING_WORDS))})\s+", "", name)
    name = re.sub(r"^(?:(?:19|20)\d\d\s+(?i:for|of|by)?\s*|(?i:(?:the\s+)?(?:board|directors)\s+of\s+(?:directors\s+of\s+)?(?:the\s+)?))", "", name)
    entity = re.match(rf"(.+?[ \t,]{LEGAL_SUFFIX})\s+([^()]+)$", name)
    if entity and len(entity.group(2).split()) <= 4 and not re.search(rf"\b{LEGAL_SUFFIX}\b", entity.group(2)):
        name = entity.group(1)  # words after a legal form are not the name: "Intel Corporation A Anti"
    if name.count("(") > name.count(")"):
        name = name[:name.rfind("(")].rstrip()  # "Marla Tube Fittings Ltd (MTF": an unclosed short form
    roles = list(ROLE_WORDS.finditer(name))
    run_end = roles[0].end() if roles else 0
    for role in roles[1:]:
        if not title_run_gap().fullmatch(name[run_end:role.start()]):
            break  # a role word inside the firm's name ("Hotel Manager Holdings Limited") ends no title
        run_end = role.end()
    if roles and ENTITY_RE.search(name[run_end:]):
        # "Jane Smith Director Acme Limited", "Chairman & Managing Director Reliance Industries Limited": the
        # signatory's firm, after the first run of title words
        name = name[run_end:]
    # A heading run into the name ("KAZ MINERALS PLC Introduction KAZ Minerals PLC"): the entity that
    # ends the run is the name.
    inner = list(re.finditer(rf"\b{LEGAL_SUFFIX}\b", name))
    if len(inner) > 1 and ENTITY_RE.fullmatch(name[inner[0].end():].strip(" ,")):
        name = name[inner[0].end():].strip(" ,")
    # ... or a heading that repeats the name's first word: "AEGIS Managing Agency AEGIS London Holdings Limited"
    parts = name.split()
    if len(parts) > 2 and parts[0] in parts[1:]:
        head = " ".join(parts[:parts.index(parts[0], 1)])
        again = " ".join(parts[parts.index(parts[0], 1):])
        # ... but not a name that repeats a word itself: "Johnson & Johnson Medical Limited", "Walker and Walker
        # Limited" (a connector or a legal form in the part before the repeat)
        if ENTITY_RE.fullmatch(again) and not re.search(rf"(?i:&|\band\b|\bof\b)|\b{LEGAL_SUFFIX}\b", head):
            name = again
    words = name.split()
    while True:
        before = len(words)
        while len(words) > 1 and words[0].lower() in identity_words()["leading_noise"]:
            words = words[1:]
            if len(words) > 1 and words[0].lower() in LEADING_WORDS:
                words = words[1:]  # "Introduction At Argent Foods Limited": the heading, then the sentence's "At"
        mixed = any(w[:1].isupper() and not w.isupper() for w in words)
        while len(words) > 1 and words[0].isupper() and len(words[0]) > 1 and words[1][:1].isupper() and \
                (words[0].lower() in identity_words()["leading_noise"] or (words[0].lower() in identity_words()["not_names"] and mixed)):
            words = words[1:]  # a heading in capitals ("GROUP STRUCTURE") run into the name
        run = list(itertools.takewhile(lambda w: w.isupper() or w in CONNECTORS, words))
        initials = all(len(w) <= 3 for w in run)  # "EJ & WA Booth Pty Ltd": initials, not a heading
        if len(run) >= 3 and not initials and any(w[:1].isupper() and not w.isupper() for w in words):
            while words and (words[0].isupper() or words[0] in CONNECTORS) and len(words) > 1:
                words = words[1:]  # a heading in capitals run into the name on the same line
        if len(words) > 1 and re.fullmatch(r"(?i)fy'?\d{2,4}|\d{1,3}[.)]?", words[0]):
            words = words[1:]  # "FY20 News Australia Holdings", "14 Acme Limited"
        if len(words) == before:
            break
    while len(words) > 1 and words[-1].lower() in ("and", "of", "the", "for", "&", "de", "du", "la", "von", "van",
                                                   "we", "our", "it", "they"):  # "Conclusion\nWe are committed"
        words = words[:-1]
    name = " ".join(words)
    name = re.sub(r"(?i)\s+(?:and\s+its\s+subsidiar\w*|and\s+(?:all\s+)?(?:of\s+)?its\s+\w+|group\s+of\s+companies)$", "", name)
    if re.search(r"(?:\b(?:Ltd|Inc|Corp|Co)|\.[A-Za-z])$", name) and raw.rstrip().endswith(name + "."):
        name += "."
    return name or None


def _is_name(name: str) -> bool:
    if name.count(")") > name.count("("):
        return False  # the tail of a name cut inside its brackets: "Farm Equipment) Limited"
    if len(name) < 2 or len(name) > 90 or not re.match(r"[A-Z0-9]", name) or USER_NAME.fullmatch(name) \
            or not re.search(r"[A-Za-z]", name) \
            or re.match(r"(?:Inc|Ltd|Limited|plc)\b|\d+\(", name):
        return False
    if not all(re.match(r"[A-Z0-9&(]", w) or w in CONNECTORS or w in DOTTED_FORMS for w in name.split()):
        return False  # words of a sentence, not a name
    words = [w for w in re.findall(r"[a-z0-9&'’]+", name.lower()) if w not in GENERIC_WORDS]
    if not words or all(w in identity_words()["not_names"] or w in CONNECTORS for w in words) or len(words) > 7:  # "Conduct and Ethics for Suppliers"
        return False
    if any(w in identity_words()["topics"] for w in re.findall(r"[a-z-]+", name.lower())):
        return False  # "Modern Day Slavery": the statement's own topic, a title or a heading, never its maker
    if words[-1] in identity_words()["others"] and not ENTITY_RE.fullmatch(name):
        return False  # "International Labour Organization", "Home Office": named, never the maker
    if re.search(rf"(?i)\b{_MONTH}\b\.?\s+\d|\d\s+{_MONTH}\b", name) or \
            re.search(rf"\b(?:19|20)\d\d\b(?![ \t,]+{LEGAL_SUFFIX}$)", name):  # "Newco 2020 Pty Ltd" is a name
        return False  # a date line
    if re.match(r"(?i)(?:article|section|sections|schedule|regulation|part|chapter|clause|paragraph|s\.)\s*\d", name):
        return False  # a reference to a law's provision ("under Article 54 of the Modern Slavery Act")
    if re.search(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b", name):
        return False  # an address's postcode ("33 Holborn, London EC1N 2HT (Octopus, We or Us)")
    if CAPS_CONNECTOR.search(name) and not ENTITY_RE.fullmatch(name):
        return False  # a heading in capitals ("POLICIES IN RELATION TO ..."), not a name
    return not re.search(r"(?i)\b(?:statement|modern slavery|slavery act|we |our |page \d)", name)


def _display(forms: Counter[str]) -> str:
    """The fullest common form, with its legal form written one way ("ACME PLC" -> "Acme plc")."""
    name = max(forms, key=lambda f: (ENTITY_RE.fullmatch(f) is not None, forms[f], len(f)))
    words = name.split()
    if name.isupper() and len(name) > 4:
        words = [w if len(w) <= 3 and w.isalpha() and w not in ("THE", "AND") else w.title() for w in words]
    if words:
        for size in (2, 1):
            tail = " ".join(words[-size:]).lower()
            if len(words) > size and tail in LEGAL_FORMS and LEGAL_FORMS[tail] not in ("Group", "Holdings", "Company"):
                words = words[:-size] + [LEGAL_FORMS[tail]]
                break
    return re.sub(r"\s+,", ",", " ".join(words)).rstrip(",")


def document_identity(result: Assessment | Failure) -> tuple[str | None, int | None, str | None, str | None]:
    """(organisation, year, where the organisation came from, a suggestion) as the store records a
    document: the organisation and year only as the statement (or a register, or a reviewer) states
    them; otherwise the organisation is unknown and the PDF's metadata or file name is kept as a
    suggestion, never as the name (results scored before identity was read, failures: a suggestion only)."""
    meta = result.metadata if isinstance(result, Assessment) else None
    fallback, _ = identity_from(result.path, meta.author if meta else None, meta.title if meta else None)
    if isinstance(result, Assessment) and result.identity is not None:
        found = result.identity
        return (found.organisation, found.year, found.source("organisation") if found.organisation else None,
                None if found.organisation else found.suggestion or fallback)
    return None, None, None, fallback


def identity_from(path: str, author: str | None, title: str | None) -> tuple[str, int | None]:
    """(a suggested organisation, a suggested year) from a path and the PDF's author and title only:
    a title naming the organisation, an Author that looks like one (never a user name such as
    "jsmith"), else the file name."""
    meta_org, meta_year, name_org, name_year = fallback_parts(path, Metadata(author=author, title=title))
    return meta_org or name_org or Path(path).stem, meta_year or name_year
