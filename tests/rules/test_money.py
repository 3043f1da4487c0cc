"""Unit and property tests for money parsing and formatting (models.rules.money)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules import money
from models.rules.money import (
    MAX_CENTS,
    AmountError,
    format_amount,
    format_excel,
    format_plain,
    parse_amount,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1234.56", 123456),
        ("1234,56", 123456),
        ("1.234.567,89", 123456789),
        ("1,234,567.89", 123456789),
        ("1.234.567", 123456700),
        ("1,234,567", 123456700),
        ("5", 500),
        ("1500", 150000),
        ("0,5", 50),
        ("12.3", 1230),
        ("-0,01", -1),
        ("€ 5", 500),
        ("€5", 500),
        ("€ -5,00", -500),
        ("-€ 5,00", -500),
        ("- 5", -500),
        ("5 €", 500),
        ("  12,50  ", 1250),
        ("\u2212" + "3,00", -300),
        ("€\u00a0-1.234,56", -123456),  # what babel writes for Dutch
        ("-€1,234.56", -123456),  # what babel writes for English
        ("0", 0),
        ("-0,00", 0),
        ("10000000,00", MAX_CENTS),
        ("-10.000.000,00", -MAX_CENTS),
    ],
)
def test_parse_amount_accepts(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", money.EMPTY),
        ("   ", money.EMPTY),
        ("1.500", money.AMBIGUOUS),
        ("1,500", money.AMBIGUOUS),
        ("-1,500", money.AMBIGUOUS),
        ("1234.567", money.AMBIGUOUS),
        ("1,2,3", money.BAD_GROUPING),
        ("12.34.567", money.BAD_GROUPING),
        ("1.234.5", money.BAD_GROUPING),
        ("1,234.567,89", money.BAD_GROUPING),
        ("1234.567,89", money.BAD_GROUPING),
        ("1,2345", money.TOO_MANY_DECIMALS),
        ("1.234,567", money.TOO_MANY_DECIMALS),
        ("abc", money.NOT_A_NUMBER),
        ("12 34", money.NOT_A_NUMBER),
        ("5,", money.NOT_A_NUMBER),
        ("5,-", money.NOT_A_NUMBER),
        (",50", money.NOT_A_NUMBER),
        ("--5", money.NOT_A_NUMBER),
        ("€€5", money.NOT_A_NUMBER),
        ("1e5", money.NOT_A_NUMBER),
        ("10000000,01", money.TOO_LARGE),
        ("99.999.999,99", money.TOO_LARGE),
        ("9" * 5000, money.TOO_LARGE),
    ],
)
def test_parse_amount_refuses_with_a_plain_sentence(text, message):
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_refusal_messages_are_distinct_sentences():
    messages = [
        money.EMPTY,
        money.NOT_A_NUMBER,
        money.BAD_GROUPING,
        money.AMBIGUOUS,
        money.TOO_MANY_DECIMALS,
        money.TOO_LARGE,
    ]
    assert len(set(messages)) == len(messages)
    assert all(m[0].isupper() and m.endswith(".") for m in messages)


def test_formats():
    assert format_amount(123456) == "€\u00a01.234,56"
    assert format_amount(123456, "en") == "€1,234.56"
    assert format_amount(-5, "nl") == "€\u00a0-0,05"
    assert format_plain(-123456) == "-1234.56"
    assert format_plain(5) == "0.05"
    assert format_plain(-1) == "-0.01"
    assert format_plain(0) == "0.00"
    assert format_excel(-123456) == "-1234,56"
    with pytest.raises(TypeError):
        format_plain(1.5)


cents = st.integers(-MAX_CENTS, MAX_CENTS)


@given(cents)
def test_round_trip(value):
    assert parse_amount(format_plain(value)) == value
    assert parse_amount(format_excel(value)) == value
    assert parse_amount(format_amount(value, "nl")) == value
    assert parse_amount(format_amount(value, "en")) == value


@given(st.text(alphabet="0123456789.,-€ ", max_size=16))
def test_parse_amount_never_fails_unexpectedly(text):
    try:
        value = parse_amount(text)
    except AmountError:
        return
    assert isinstance(value, int) and abs(value) <= MAX_CENTS


# --- the fast formatter writes exactly Babel's text (issue 13) ---------------------------

EDGES = [
    0, 1, -1, 9, -9, 10, 99, 100, -100, 999, 1_000, 99_999, 100_000, -100_000, 123_456,
    999_999, 1_000_000, MAX_CENTS, -MAX_CENTS, 10**15, -(10**15), 2**63 - 1, -(2**63),
]  # fmt: skip


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_fast_amount_is_babels_text_at_the_edges(locale):
    assert money._money_parts(locale) is not None  # the fast way is used, not Babel's
    for cents in EDGES + [10**k for k in range(19)] + [-(10**k) + 1 for k in range(19)]:
        assert format_amount(cents, locale) == money.babel_amount(cents, locale), cents


@given(st.integers(-(10**16), 10**16), st.sampled_from(["nl", "en"]))
def test_the_fast_amount_is_babels_text_for_any_amount(cents, locale):
    assert format_amount(cents, locale) == money.babel_amount(cents, locale)


@pytest.mark.parametrize("locale", ["de", "fr", "pl", "hi", "en_IN", "de_CH", "ar"])
def test_other_languages_get_babels_text_too(locale):
    # Where the locale's shape is not plain thousands (hi, en_IN, de_CH), Babel writes it.
    for cents in EDGES:
        assert format_amount(cents, locale) == money.babel_amount(cents, locale), cents
