"""Dates and years as statements and PDFs write them: one place for month names, written dates,
year ranges, financial-year markers and PDF metadata dates. Pure: the standard library only.

Used by the statutory gate (the period a statement covers) and by identity (the statement year and
the financial year end); every pattern here is written once.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

# Month names and their common abbreviations ("Sept", "Dec."), matched case-insensitively.
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
YEAR = r"(?:19|20)\d\d"  # a four-digit year of this or the last century
DAY = r"\d{1,2}(?:st|nd|rd|th)?"  # a day of the month, perhaps ordinal

# A full date: "31 March 2021", "31st of March, 2021", "March 31, 2021", "31/03/2021", "2021-03-31".
DATE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>{MONTH}\.?),?\s+(?P<y1>{YEAR})"
    rf"|(?P<m2>{MONTH}\.?)\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>{YEAR})"
    rf"|(?P<d3>\d{{1,2}})[./](?P<m3>\d{{1,2}})[./](?P<y3>{YEAR})"
    rf"|(?P<y4>{YEAR})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}})", re.I)
# A year or a span of years written as one ("2019", "2019/20", "2019-2020"), or an "FY20".
YEAR_OR_SPAN = re.compile(rf"(?<![\d£$€.,]){YEAR}(?:\s*[/\-–]\s*(?:19|20)?\d\d)?(?![\d%])|\bfy\s?'?\d{{2,4}}\b", re.I)
# A financial-year marker: "FY2015/2016", "FY17-18", "FY 2023".
FISCAL_YEAR = re.compile(r"\bFY\s?'?(?:19|20)?\d\d(?:\s*[/\-–]\s*(?:19|20)?\d\d)?\b")
# "18/19" in a title: a split year written in two digits (its parts one apart), ending in its second part.
SHORT_SPLIT_YEAR = re.compile(r"(?<![\d/.,£$€])([12]\d)\s*/\s*([12]\d)(?![\d/.%])")
# "2017/18", "2019-2020": a split (financial) year, ending in its second part.
SPLIT_YEAR = re.compile(rf"(?<![\d/])({YEAR})\s*[/–-]\s*(\d\d|{YEAR})(?![\d/])")

# One end of a range of dates, its year perhaps left to the other end ("1st January - 31st December
# 2018") and its day perhaps left out ("September 2016 – August 2017").
_RANGE_END = re.compile(
    rf"(?<![\d.,/])(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>{MONTH})\b\.?(?:,?\s+(?P<y1>{YEAR}))?"
    rf"|(?P<m2>{MONTH})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<y2>{YEAR}))?"
    rf"|(?P<d3>\d{{1,2}})[./](?P<m3>\d{{1,2}})[./](?P<y3>{YEAR})"
    rf"|(?P<y4>{YEAR})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}})"
    rf"|(?P<m5>{MONTH})\b\.?,?\s+(?P<y5>{YEAR}))(?![\d/])", re.I)
# What joins the two ends: "to", "until", a dash, "and ending on" ("commencing 1 January 2017 and ending ...").
_RANGE_JOIN = re.compile(r"\s*(?:to|until|till|through|[-–—]|and\s+end(?:ing|ed)(?:\s+on)?)\s*(?:the\s+)?", re.I)

_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?")


def month_number(name: str) -> int:
    """1-12 for a month name or abbreviation ("Sept.", "december"); KeyError for anything else."""
    return _MONTHS[name.lower().rstrip(".")[:3]]


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}


def month_end(year: int, month: int) -> int:
    """The last day of a month."""
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following.toordinal() - date(year, month, 1).toordinal()


def full_year(text: str) -> int:
    """"2021" -> 2021; "21" -> 2021."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def parse_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of each full date written in ``text`` (``DATE``); impossible dates
    (31 February) are left out."""
    out = []
    for m in DATE.finditer(text):
        g = m.groupdict()
        try:
            if g["d1"]:
                day, month, year = int(g["d1"]), month_number(g["m1"]), int(g["y1"])
            elif g["d2"]:
                day, month, year = int(g["d2"]), month_number(g["m2"]), int(g["y2"])
            elif g["d3"]:
                day, month, year = int(g["d3"]), int(g["m3"]), int(g["y3"])
            else:
                day, month, year = int(g["d4"]), int(g["m4"]), int(g["y4"])
            out.append((m.start(), m.end(), date(year, month, day).isoformat()))
        except (ValueError, KeyError):
            continue
    return out


def date_ranges(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, first ISO date, last ISO date) of each range of dates written in ``text``: "1 April
    2016 to 31 March 2017", "01.04.2015 - 31.03.2016", "1st January - 31st December 2018" (the first
    end takes the last one's year), "September 2016 – August 2017" (a month runs from its first day to
    its last; "1 October - 30 September 2016" the year before). A day past its month's end ("31st
    September 2016") is read as the month's last day; a range whose first date is not before its last
    is left out."""
    ends = list(_RANGE_END.finditer(text))
    out = []
    for first, last in zip(ends, ends[1:], strict=False):
        if not _RANGE_JOIN.fullmatch(text, first.end(), last.start()):
            continue
        upper = _range_end(last, None, closing=True)
        if upper is None:
            continue
        lower = _range_end(first, int(upper[:4]), closing=False)
        if lower is not None and lower >= upper and not (first["y1"] or first["y2"]) and (first["d1"] or first["d2"]):
            lower = _range_end(first, int(upper[:4]) - 1, closing=False)  # "1st October - 30th September 2016"
        if lower is not None and lower < upper:
            out.append((first.start(), last.end(), lower, upper))
    return out


def _range_end(match: re.Match, year: int | None, *, closing: bool) -> str | None:
    """One end of a range as an ISO date: a missing year is ``year``, a missing day the month's first
    (opening) or last (closing) day, a day past the month's end its last day; None when it has no year."""
    g = match.groupdict()
    try:
        if g["d3"] or g["d4"]:
            day, month, found = (int(g["d3"]), int(g["m3"]), int(g["y3"])) if g["d3"] else \
                (int(g["d4"]), int(g["m4"]), int(g["y4"]))
        elif g["m5"]:
            day, month, found = None, month_number(g["m5"]), int(g["y5"])
        else:
            day, month = (int(g["d1"]), month_number(g["m1"])) if g["d1"] else (int(g["d2"]), month_number(g["m2"]))
            found = int(g["y1"] or g["y2"] or 0) or year
        if found is None or not 1 <= month <= 12:
            return None
        last = month_end(found, month)
        if day is None:
            day = last if closing else 1
        elif not 1 <= day <= 31:
            return None
        return date(found, month, min(day, last)).isoformat()
    except (KeyError, ValueError):
        return None


def parse_pdf_date(value: str | None) -> str | None:
    """Turn a PDF date (``D:20190412101500+01'00'``) into ISO 8601, or None if it does not parse."""
    if not value:
        return None
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    try:
        moment = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                          int(second or 0))
    except ValueError:
        return None
    if sign in ("+", "-") and tz_h:
        offset = timedelta(hours=int(tz_h), minutes=int(tz_m or 0))
        moment = moment.replace(tzinfo=timezone(offset if sign == "+" else -offset))
    elif sign in ("Z", "z"):
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()
