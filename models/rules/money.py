"""Money as integer cents: reading amounts people type and writing them back."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency

from models.rules.errors import RuleError
from models.words import Text

MAX_CENTS = 1_000_000_000  # ten million euro: anything larger is a typing mistake

EMPTY = Text("Write an amount, for example 12,50.")
NOT_A_NUMBER = Text("Write the amount as a number, for example 12,50 or 1.234,56.")
BAD_GROUPING = Text(
    "Group the thousands in threes, for example 1.234.567,89, or leave out the separators."
)
AMBIGUOUS = Text(
    "It is not clear whether this amount has three decimals or a thousands separator: "
    "write it with two decimals, for example 1500,00 or 1,50."
)
TOO_MANY_DECIMALS = Text("Write the amount with at most two decimals, for example 12,50.")
TOO_LARGE = Text("This amount is larger than ten million euro; check the number.")


class AmountError(RuleError):
    """An amount that cannot be read; ``str()`` is one plain sentence for the user."""


# Spaces (also no-break ones, as babel writes) may surround the € and the sign, not digits.
_SHAPE = re.compile(
    r"(?P<sign1>-?)\s*(?P<euro1>€?)\s*(?P<sign2>-?)\s*(?P<number>[0-9.,]+)\s*(?P<euro2>€?)"
)
_MAX_DIGITS = 12  # more whole-euro digits than this is far above MAX_CENTS anyway
_GROUPED = re.compile(r"[0-9]{1,3}(?:X[0-9]{3})*")


def _whole(digits: str, grouping: str) -> str:
    """The integer part without grouping; refuses badly placed separators."""
    if not _GROUPED.fullmatch(digits.replace(grouping, "X")):
        raise AmountError(BAD_GROUPING)
    return digits.replace(grouping, "")


def parse_amount(text: str, *, convention: str | None = None) -> int:
    """Read an amount such as "1.234,56", "1,234.56", "€ -5" or "1500" as integer cents.

    DATA-EXCHANGE.md "Reading CSV": a decimal comma with dots grouping thousands, or a
    decimal point with commas or nothing grouping thousands; an optional € and minus sign.
    An amount whose only separator is followed by exactly three digits ("1.500") says
    nothing about which it is: ``convention`` decides. It is the language the amount was
    written in ("nl", "en" or another code Babel knows, see `grouping_sign`): in Dutch
    "1.500" is fifteen hundred euro, in English "1,500" is; the other one, and either one
    without a convention (None), is refused as ambiguous. Raises ``AmountError``.
    """
    grouping = grouping_sign(convention)
    compact = (text or "").strip().replace("\u2212", "-")  # U+2212 is a minus sign too
    if not compact:
        raise AmountError(EMPTY)
    shape = _SHAPE.fullmatch(compact)
    if (
        not shape
        or (shape["sign1"] and shape["sign2"])
        or (shape["euro1"] and shape["euro2"])
        or not shape["number"][0].isdigit()
    ):
        raise AmountError(NOT_A_NUMBER)
    number = shape["number"]
    negative = bool(shape["sign1"] or shape["sign2"])

    separators = [ch for ch in number if ch in ".,"]
    fraction = None  # the digits after the decimal separator, when there is one
    if not separators:
        whole = number
    elif len(set(separators)) == 2:
        # Both kinds: the last one is the decimal separator and may appear only once.
        decimal_sep = separators[-1]
        if separators.count(decimal_sep) != 1:
            raise AmountError(BAD_GROUPING)
        head, fraction = number.split(decimal_sep)
        whole = _whole(head, "," if decimal_sep == "." else ".")
    elif len(separators) > 1:
        # One kind, several times: it can only group thousands ("1.234.567").
        whole = _whole(number, separators[0])
    else:
        whole, fraction = number.split(separators[0])
        if len(fraction) == 3:
            if separators[0] != grouping or whole.startswith("0"):
                raise AmountError(AMBIGUOUS)  # "0.500" groups nothing: a mistyped 0,50?
            whole, fraction = whole + fraction, None  # "1.700" in Dutch, "1,700" in English
    if fraction == "":
        raise AmountError(NOT_A_NUMBER)  # "5," or "1.234,"
    if fraction is not None and len(fraction) > 2:
        raise AmountError(TOO_MANY_DECIMALS)

    if len(whole.lstrip("0")) > _MAX_DIGITS:
        raise AmountError(TOO_LARGE)
    cents = int(whole) * 100 + int((fraction or "").ljust(2, "0"))
    if cents > MAX_CENTS:
        raise AmountError(TOO_LARGE)
    return -cents if negative else cents


@lru_cache(maxsize=32)
def grouping_sign(convention: str | None) -> str | None:
    """The sign that groups thousands in the language ``convention`` ("." in Dutch, "," in
    English), when it is a dot or a comma; None for no convention or another sign (French
    groups with a space, so "1.500" and "1,500" stay ambiguous there). ValueError for a
    code Babel does not know: that is a mistake in the program, not in the amount."""
    if convention is None:
        return None
    try:
        symbols = Locale.parse(convention.replace("-", "_")).number_symbols["latn"]
    except (UnknownLocaleError, ValueError, TypeError, AttributeError):
        raise ValueError(f"Unknown language for amounts: {convention!r}") from None
    group, decimal = symbols.get("group"), symbols.get("decimal")
    return group if {group, decimal} == {".", ","} else None


def _check_cents(cents: int) -> None:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError("Money is integer cents.")


def format_amount(cents: int, locale: str = "nl") -> str:
    """The amount for a page, e.g. "€ 1.234,56" in Dutch (with a no-break space).

    Exactly Babel's text, without a Babel call per amount (a third of the budget page's time
    was Babel's): the locale's signs, separators and grouping are read from Babel once, and
    used only when they give Babel's text for every check amount (else Babel is asked).
    """
    _check_cents(cents)
    parts = _money_parts(locale)
    return babel_amount(cents, locale) if parts is None else _with_parts(cents, parts)


def _with_parts(cents: int, parts: tuple[str, str, str, str, str, str]) -> str:
    plus, plus_end, minus, minus_end, group, decimal = parts
    whole, fraction = divmod(-cents if cents < 0 else cents, 100)
    number = f"{whole:,}".replace(",", group) + f"{decimal}{fraction:02d}"
    return f"{minus}{number}{minus_end}" if cents < 0 else f"{plus}{number}{plus_end}"


def babel_amount(cents: int, locale: str = "nl") -> str:
    """Babel's text for the amount: what `format_amount` must equal."""
    return format_currency(Decimal(cents).scaleb(-2), "EUR", locale=locale)


_SAMPLE = 123_456_789  # € 1.234.567,89
# Amounts whose text shows each rule: zero, cents only, no grouping yet, the first group
# (locales that group only from five digits on differ here), many groups, both signs.
_CHECKS = (0, 1, 9, 10, 99, 100, 999, 1_000, 99_999, 100_000, 123_456, 999_999, 1_234_567,
           _SAMPLE, 10**14 + 1)  # fmt: skip


@lru_cache(maxsize=32)
def _money_parts(locale: str) -> tuple[str, str, str, str, str, str] | None:
    """(prefix, suffix, negative prefix, negative suffix, group sign, decimal sign) of the
    locale's amounts, or None when they do not reproduce Babel's text."""
    try:
        plus, minus = babel_amount(_SAMPLE, locale), babel_amount(-_SAMPLE, locale)
    except ValueError:
        return None
    shape = r"(.*?)1(?P<g>\D)234(?P=g)567(\D)89(.*)"
    p, m = re.fullmatch(shape, plus), re.fullmatch(shape, minus)
    if p is None or m is None or p.group(2, 3) != m.group(2, 3):
        return None
    parts = (p.group(1), p.group(4), m.group(1), m.group(4), p.group(2), p.group(3))
    for cents in _CHECKS + tuple(-c for c in _CHECKS):
        if _with_parts(cents, parts) != babel_amount(cents, locale):
            return None
    return parts


def format_plain(cents: int) -> str:
    """The amount for a CSV export: "-1234.56" (decimal point, two decimals, no grouping)."""
    _check_cents(cents)
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d}"


def format_excel(cents: int) -> str:
    """The amount for the "for Excel" download: "-1234,56" (decimal comma)."""
    return format_plain(cents).replace(".", ",")
