"""French number and date formats: `1 234,5`, `12,3 %`, `45 600 €`, `22/11/2026`, `novembre 2026`.

French typography separates thousands with a narrow no-break space (U+202F) and puts a no-break space
(U+00A0) before `%` and `€`, so a figure never breaks across two lines on a slide.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

THOUSANDS = "\u202f"
NBSP = "\u00a0"
EMPTY = "—"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def _group(text: str) -> str:
    """`1234567.5` -> `1 234 567,5`."""
    sign = "-" if text.startswith("-") else ""
    whole, _, decimals = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + THOUSANDS.join(groups) + ("," + decimals if decimals else "")


def fmt_int(value: float | None) -> str:
    """`1 234`."""
    return EMPTY if value is None else _group(f"{round(value):d}")


def fmt_decimal(value: float | None, digits: int = 1) -> str:
    """`1 234,5`."""
    return EMPTY if value is None else _group(f"{value:.{digits}f}")


def fmt_pct(rate: float | None, digits: int = 1) -> str:
    """A 0-1 rate as `12,3 %`."""
    return EMPTY if rate is None else f"{fmt_decimal(rate * 100, digits)}{NBSP}%"


def fmt_pct_compact(rate: float | None) -> str:
    """A 0-1 rate without a useless decimal: `65 %`, `65,5 %`."""
    if rate is None:
        return EMPTY
    return fmt_pct(rate, 0 if abs(rate * 100 - round(rate * 100)) < 1e-9 else 1)


def fmt_days(value: float | None) -> str:
    """`12 jours`, `12,5 jours`, `1 jour`."""
    if value is None:
        return EMPTY
    text = fmt_int(value) if float(value).is_integer() else fmt_decimal(value, 1)
    return f"{text}{NBSP}jour{'s' if abs(value) >= 2 else ''}"


def fmt_eur(amount: float | None, cents: bool = False) -> str:
    """`45 600 €` (or `45 600,50 €`)."""
    if amount is None:
        return EMPTY
    if cents:
        text = fmt_decimal(float(amount), 2)
    else:
        # To the nearest euro, 0,50 counting for one (the French administrative rule), not to the even euro.
        text = _group(str(Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return f"{text}{NBSP}€"


def fmt_date(value: date | datetime | None) -> str:
    """`22/11/2026`."""
    return EMPTY if value is None else value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None) -> str:
    """`22/11/2026 à 14:05`."""
    return EMPTY if value is None else value.strftime("%d/%m/%Y à %H:%M")


def fmt_month(value: date | None) -> str:
    """`novembre 2026`."""
    return EMPTY if value is None else f"{MONTHS[value.month - 1]} {value.year}"


def fmt_masked(value: float | None, masked: bool, fmt=fmt_int, seuil: int | None = None) -> str:
    """A value that may be masked by the confidentiality rule: « < 5 » instead of the value."""
    if masked:
        from queries.confidentiality import masked_label

        return masked_label(seuil)
    return fmt(value)


def fmt_change(current: float | None, previous: float | None) -> str | None:
    """`+12,3 %` / `−4,0 %` change between two values; None when it cannot be computed."""
    if current is None or previous in (None, 0):
        return None
    change = (current - previous) / previous * 100
    sign = "+" if change >= 0 else "−"
    return f"{sign}{fmt_decimal(abs(change))}{NBSP}%"


def fmt_points(current: float | None, previous: float | None) -> str | None:
    """`+3,2 pts` change between two rates (0-1); None when either is unknown."""
    if current is None or previous is None:
        return None
    change = (current - previous) * 100
    sign = "+" if change >= 0 else "−"
    return f"{sign}{fmt_decimal(abs(change))}{NBSP}pts"
