"""The one reading of a database id, wherever it comes from: a URL, a form, a query string or
a CSV file (issue 20). Ids are 32-bit integers on PostgreSQL (and 64-bit on SQLite): a number
outside 1 … 2**31 - 1 names nothing, so it is read as no id rather than reaching the
database."""

MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """The id written in `value` (digits only, spaces around allowed); None when it is not
    one (empty, text, zero, negative, a sign, too big)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
