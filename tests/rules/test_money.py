"""Unit and property tests for money parsing and formatting (models.rules.money)."""

import pytest
from babel.numbers import format_decimal
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


# --- the language says how "1.700" reads (issue 22, section 2) ---------------------------


@pytest.mark.parametrize(
    ("text", "convention", "cents"),
    [
        # Dutch: a dot groups thousands, in every money field and file.
        ("1.700", "nl", 170_000),
        ("1.700,00", "nl", 170_000),
        ("€ 1.700", "nl", 170_000),
        ("-1.700", "nl", -170_000),
        ("€\u00a0-1.700", "nl", -170_000),
        ("12.500", "nl", 1_250_000),
        ("999.999", "nl", 99_999_900),
        ("1.234.567", "nl", 123_456_700),
        ("12,50", "nl", 1250),
        ("12.50", "nl", 1250),  # two decimals after a dot: still a decimal point
        ("1,234.56", "nl", 123_456),  # both signs say which one is the decimal
        ("1500", "nl", 150_000),
        # English: a comma groups thousands.
        ("1,700", "en", 170_000),
        ("1,700.00", "en", 170_000),
        ("€1,700", "en", 170_000),
        ("-€1,700", "en", -170_000),
        ("1.5", "en", 150),
        ("1.234,56", "en", 123_456),
        # Other languages by their own signs; the code may be written as a browser sends it.
        ("1.700", "de", 170_000),
        ("1.700", "nl_BE", 170_000),
        ("1.700", "nl-NL", 170_000),
        ("1,700", "en_GB", 170_000),
        # Without a language, whatever says itself still reads.
        ("1.700,00", None, 170_000),
        ("1,700.00", None, 170_000),
    ],
)
def test_the_convention_reads_the_thousands(text, convention, cents):
    assert parse_amount(text, convention=convention) == cents


@pytest.mark.parametrize(
    ("text", "convention", "message"),
    [
        ("1.700", None, money.AMBIGUOUS),  # no language says how to read it
        ("1,700", None, money.AMBIGUOUS),
        ("1,700", "nl", money.AMBIGUOUS),  # in Dutch that is 1,7 with three decimals
        ("1.700", "en", money.AMBIGUOUS),  # what English did before: refused
        ("1.700", "fr", money.AMBIGUOUS),  # French groups with a space
        ("1,700", "fr", money.AMBIGUOUS),
        ("1.700", "de_CH", money.AMBIGUOUS),  # Swiss German groups with ’
        ("0.500", "nl", money.AMBIGUOUS),  # groups nothing: a mistyped 0,50?
        ("00,500", "en", money.AMBIGUOUS),
        ("1.7000", "nl", money.TOO_MANY_DECIMALS),
        ("1.70.0", "nl", money.BAD_GROUPING),
        ("10.000.001", "nl", money.TOO_LARGE),
        ("10,000,001", "en", money.TOO_LARGE),
        ("", "nl", money.EMPTY),
    ],
)
def test_the_convention_refuses_what_it_cannot_read(text, convention, message):
    with pytest.raises(AmountError) as info:
        parse_amount(text, convention=convention)
    assert str(info.value) == message


def test_the_convention_is_a_named_parameter_and_an_unknown_one_is_a_program_error():
    with pytest.raises(TypeError):
        parse_amount("1.700", "nl")  # keyword only: a call says which language it means
    with pytest.raises(ValueError) as info:
        parse_amount("1.700", convention="xx_no_language")
    assert not isinstance(info.value, AmountError)  # a mistake in the program, not the input
    assert money.grouping_sign("nl") == "." and money.grouping_sign("en") == ","
    assert money.grouping_sign(None) is None


conventions = st.sampled_from(["nl", "en"])


@given(cents, conventions)
def test_every_amount_tafel_writes_reads_back_in_its_own_language(value, language):
    # Tafel's money formatter in Dutch reads back in Dutch, in English in English.
    assert parse_amount(format_amount(value, language), convention=language) == value
    # Also read by someone in the other language, or without one: the cents tell.
    for convention in ("nl", "en", None):
        assert parse_amount(format_amount(value, language), convention=convention) == value
        assert parse_amount(format_plain(value), convention=convention) == value
        assert parse_amount(format_excel(value), convention=convention) == value


@given(st.integers(-(MAX_CENTS // 100), MAX_CENTS // 100), conventions)
def test_whole_euros_written_as_the_language_writes_numbers_read_back(euros, language):
    # "1.700" as a Dutch person types it, "1,700" as an English one does (Babel's grouping).
    text = format_decimal(euros, locale=language)
    assert parse_amount(text, convention=language) == euros * 100
    assert parse_amount(f"€ {text}", convention=language) == euros * 100


@pytest.mark.parametrize(
    ("cents", "nl", "en"),
    [
        (0, "€\u00a00,00", "€0.00"),
        (170_000, "€\u00a01.700,00", "€1,700.00"),
        (-170_000, "€\u00a0-1.700,00", "-€1,700.00"),
        (100_000, "€\u00a01.000,00", "€1,000.00"),
        (MAX_CENTS, "€\u00a010.000.000,00", "€10,000,000.00"),
        (-1, "€\u00a0-0,01", "-€0.01"),
    ],
)
def test_round_trip_table(cents, nl, en):
    assert (format_amount(cents, "nl"), format_amount(cents, "en")) == (nl, en)
    assert parse_amount(nl, convention="nl") == parse_amount(en, convention="en") == cents


@given(st.text(alphabet="0123456789.,-€ ", max_size=16), st.sampled_from(["nl", "en", None]))
def test_parse_amount_in_a_language_never_fails_unexpectedly(text, convention):
    try:
        value = parse_amount(text, convention=convention)
    except AmountError:
        return
    assert isinstance(value, int) and abs(value) <= MAX_CENTS
