"""What the ids in a ledger file point at: a row with a stored entry's own id and content is
that entry (a row of a ledger export); a correction's `reverses` names a row of the file or
a stored entry, which it must undo exactly and only once (models/budget/ledger_file.py)."""

from __future__ import annotations

from models.budget.tables import LedgerEntry
from models.rules.csvfile import Problem
from models.rules.ids import parse_id
from models.words import Text

NO_ORIGINAL = Text("The entry {id} that this correction undoes does not exist.")


NOT_NEGATED = Text("A correction must be the original amount with the opposite sign.")


OTHER_LINE = Text("A correction must be booked on the same post and sub-budget as the original.")


ALREADY_CORRECTED = Text("This entry has already been corrected.")


REVERSAL_OF_REVERSAL = Text(
    "This entry is itself a correction and cannot be corrected again; book a new entry instead."
)


def _same_entry(entry: LedgerEntry, item: dict, reverses: int | None) -> bool:
    """A row of a ledger export is this stored entry: the same date, post, sub-budget, amount,
    kind and original. The description is not compared: an export leaves a reimbursement's
    out, and a spreadsheet may change a text (a long number, a date-like word)."""
    return (
        entry.date == item["date"]
        and entry.post_id == item["post"].id
        and entry.sub_budget_id == line_id(item["sub"])
        and entry.amount_cents == item["amount"]
        and entry.kind == item["kind"]
        and entry.reverses_id == reverses
    )


def _target(ref: str | None, file_ids: dict, known: dict[int, int]):
    """What a `reverses` cell points at: ("file", index) for a line of the file that is not
    stored yet, ("db", id) for a stored entry (also a line of the file that is one), None
    when it names nothing. An id of the file wins over a stored entry's id."""
    if not ref:
        return None
    if ref in file_ids:
        index = file_ids[ref]
        return ("db", known[index]) if index in known else ("file", index)
    number = parse_id(ref)
    return ("db", number) if number is not None else None


def stored_entries(parsed: list[dict], file_ids: dict) -> dict[int, int]:
    """The lines of the file that are stored entries (line index: entry id): a line whose id
    is a stored entry's own id, with that entry's content, as a ledger export writes them.
    Entries first, then the corrections, whose original must be the same too."""
    numbers = {parse_id(item["id"]): i for i, item in enumerate(parsed) if item and item["id"]}
    numbers.pop(None, None)
    if not numbers:
        return {}
    stored = {e.id: e for e in LedgerEntry.select().where(LedgerEntry.id.in_(list(numbers)))}
    known: dict[int, int] = {}
    for corrections in (False, True):
        for number, index in numbers.items():
            item, entry = parsed[index], stored.get(number)
            if entry is None or (item["kind"] == "reversal") != corrections:
                continue
            target = _target(item["reverses"], file_ids, known)
            reverses = target[1] if target and target[0] == "db" else None
            if _same_entry(entry, item, reverses):
                known[index] = entry.id
    return known


def corrections_checked(parsed: list, file_ids: dict, known: dict[int, int], problems) -> None:
    """Every new correction points at an entry of this file or a stored one, undoes it
    exactly, and is the only correction of it; sets each one's "target". (An id beyond what
    the database holds names nothing: no entry, not an overflow.)"""
    for item in parsed:
        if item is not None:
            item["target"] = _target(item["reverses"], file_ids, known)
    new = [
        item
        for index, item in enumerate(parsed)
        if item and item["kind"] == "reversal" and index not in known
    ]
    db_ids = {item["target"][1] for item in new if item["target"] and item["target"][0] == "db"}
    existing = {e.id: e for e in LedgerEntry.select().where(LedgerEntry.id.in_(list(db_ids)))}
    already = {
        r[0]
        for r in LedgerEntry.select(LedgerEntry.reverses)
        .where(LedgerEntry.reverses.in_(list(existing)))
        .tuples()
    }
    undone = set()
    for item in new:
        target = item["target"]
        if target is not None and target[0] == "file":
            original_item = parsed[target[1]]
            if original_item is None:
                continue  # that line has its own problem already
            key = target
            original = (original_item["kind"], original_item["amount"],
                        original_item["post"].id, line_id(original_item["sub"]))  # fmt: skip
        elif target is not None and target[1] in existing:
            entry = existing[target[1]]
            key = None if entry.id in already else target
            original = (entry.kind, entry.amount_cents, entry.post_id, entry.sub_budget_id)
        else:
            problems.append(Problem.of(item["line"], NO_ORIGINAL, "reverses", id=item["reverses"]))
            continue
        kind, amount, post_id, sub_id = original
        if key is None or key in undone:
            problems.append(
                Problem(item["line"], ALREADY_CORRECTED, "reverses", ALREADY_CORRECTED, {})
            )  # fmt: skip
            continue
        undone.add(key)
        if kind == "reversal":
            problems.append(
                Problem(item["line"], REVERSAL_OF_REVERSAL, "reverses", REVERSAL_OF_REVERSAL, {})
            )
        elif amount != -item["amount"]:
            problems.append(Problem.of(item["line"], NOT_NEGATED, "amount"))
        elif post_id != item["post"].id or sub_id != line_id(item["sub"]):
            problems.append(Problem.of(item["line"], OTHER_LINE, "sub_budget"))


def line_id(obj):
    return obj.id if obj is not None else None
