"""Arithmetic on punishment terms: cutting a term, adding a term to a date, writing a term out."""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction

# A fraction of a month is counted as days of a 30-day month, as courts write "7 месяцев 15 дней".
DAYS_PER_MONTH = 30


def add_months(start: dt.date, months: Fraction | int) -> dt.date:
    """The day a term of ``months`` starting on ``start`` runs to (calendar months, then the days left).

    >>> add_months(dt.date(2022, 1, 6), 18)
    datetime.date(2023, 7, 6)
    >>> add_months(dt.date(2022, 1, 31), 1)
    datetime.date(2022, 2, 28)
    >>> add_months(dt.date(2022, 1, 6), Fraction(15, 2))
    datetime.date(2022, 8, 21)
    """
    whole = int(months)
    days = round((Fraction(months) - whole) * DAYS_PER_MONTH)
    year, month = divmod(start.month - 1 + whole, 12)
    year, month = start.year + year, month + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=days)


def months_text(months: Fraction | float) -> str:
    """A term in months as years, months and days.

    >>> months_text(Fraction(15, 2))
    '7 months 15 days'
    >>> months_text(30)
    '2 years 6 months'
    >>> months_text(12)
    '1 year'
    """
    months = Fraction(months).limit_denominator(DAYS_PER_MONTH)
    whole = int(months)
    days = round((months - whole) * DAYS_PER_MONTH)
    years, rest = divmod(whole, 12)
    pieces = [(years, "year"), (rest, "month"), (days, "day")]
    return " ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in pieces if n) or "0 months"


def as_number(value: Fraction) -> float:
    """A fraction as a float for JSON, rounded to the day (1/30 month is 0.0333...)."""
    return round(float(value), 4)
