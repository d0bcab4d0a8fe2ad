from datetime import date, datetime
from decimal import Decimal

from figures.formats import (
    fmt_date,
    fmt_datetime,
    fmt_decimal,
    fmt_eur,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_pct_compact,
)


def test_french_number_formats():
    assert fmt_int(1234567) == "1\u202f234\u202f567"
    assert fmt_int(-1234) == "-1\u202f234"
    assert fmt_int(999) == "999"
    assert fmt_decimal(1234.5) == "1\u202f234,5"
    assert fmt_pct(0.123) == "12,3\u00a0%"
    assert fmt_eur(45600) == "45\u202f600\u00a0€"
    assert fmt_eur(Decimal("45600.5"), cents=True) == "45\u202f600,50\u00a0€"
    assert fmt_int(None) == fmt_pct(None) == "—"


def test_compact_rates_keep_a_decimal_only_when_it_counts():
    assert fmt_pct_compact(0.65) == "65\u00a0%"
    assert fmt_pct_compact(0.655) == "65,5\u00a0%"
    assert fmt_pct_compact(0.29) == "29\u00a0%"  # 28,999999… in binary
    assert fmt_pct_compact(None) == "—"


def test_euros_are_rounded_half_up_to_the_euro():
    assert fmt_eur(Decimal("45600.50")) == "45\u202f601\u00a0€"
    assert fmt_eur(45600.49) == "45\u202f600\u00a0€"
    assert fmt_eur(Decimal("-2000.50")) == "-2\u202f001\u00a0€"
    assert fmt_eur(0.4) == "0\u00a0€"


def test_french_date_formats():
    assert fmt_date(date(2026, 11, 22)) == "22/11/2026"
    assert fmt_datetime(datetime(2026, 11, 22, 14, 5)) == "22/11/2026 à 14:05"
    assert fmt_month(date(2026, 8, 1)) == "août 2026"
