"""`tafel import budget|ledger FILE`, `tafel export budget|ledger|budget-summary [--year Y]`
and `tafel recount`.

The same code as the app's uploads and downloads (models/budget/exchange.py). The `import`
and `export` groups are shared with other areas (webapp.commands.kinds_of).
"""

import sys
from pathlib import Path

from models.budget import exchange, ledger_file, receipt_move, totals
from models.budget.lookalikes import Lookalikes
from models.db import request_connection
from models.people import representation
from models.rules.csvfile import CsvError
from webapp.budget.words import problem_text
from webapp.commands import CommandError, kinds_of, open_for_command
from webapp.i18n import current_language


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{file} does not exist.")
    return file.read_bytes()


LOOKALIKE_HINT = (
    "If these rows are really new, import the file again with --book-lookalikes to book them "
    "all; to choose row by row, upload it on the budget files page."
)


def _fail(error: CsvError, hint: str | None = None):
    token = current_language.set("en")  # the command speaks English, like its other messages
    try:
        text = "\n".join(problem_text(p) for p in error.problems)
    finally:
        current_language.reset(token)
    raise CommandError(text + (f"\n{hint}" if hint else ""))


def cmd_import(args, settings):
    """Import budget.csv or ledger.csv: all or nothing."""
    raw = _read(args.file)
    open_for_command(settings)
    with request_connection():
        try:
            if args.what == "budget":
                counts = exchange.import_budget(raw, None, None)
                if not any(counts.values()):
                    print("nothing changed: the plan is already as the file says")
                else:
                    print(
                        f"imported: {counts['posts']} post(s) and {counts['sub_budgets']} "
                        "sub-budget(s) made or changed"
                    )
            else:
                result = ledger_file.import_ledger(
                    raw, None, None, file_name=Path(args.file).name,
                    book_lookalikes=args.book_lookalikes,
                )  # fmt: skip
                print(f"imported {result.booked} ledger entries")
                if result.known:
                    print(f"left out {result.known} rows that are already in the ledger")
        except Lookalikes as found:
            _fail(found, LOOKALIKE_HINT)
        except CsvError as error:
            _fail(error)


def cmd_export(args, settings):
    """Write budget.csv (the plan), ledger.csv or budget-summary.csv to stdout."""
    open_for_command(settings)
    with request_connection():
        if args.what == "ledger":
            text = exchange.export_ledger(args.year)
        elif args.what == "budget":
            text = exchange.export_plan(args.year)
        else:
            year = exchange.year_or_latest(args.year)
            if year is None:
                raise CommandError("There is no budget for that year.")
            text = exchange.export_summary(year)
    sys.stdout.write(text)


def cmd_recount(args, settings):
    """Count the kept ledger totals again from the ledger and the 51% report's kept counts
    from the memberships (both are kept with each change; this repairs a database changed by
    hand)."""
    open_for_command(settings)
    with request_connection():
        wrong = totals.rebuild_totals()
        groups = representation.recount_report()
    print(f"ledger totals counted again: {wrong} line(s) were kept wrong")
    print(f"51% report counted again: {groups} count(s) were kept wrong")


def cmd_receipts_move(args, settings):
    """Move the receipts kept before into the chosen store; print each one's name and SHA-256
    and the counts. Running it again moves nothing twice."""
    open_for_command(settings)
    with request_connection():
        try:
            done = receipt_move.move_receipts(args.to, settings.data_dir)
        except receipt_move.MoveError as exc:
            raise CommandError(str(exc)) from None
    for outcome, rows in (
        ("moved", done.moved),
        ("already there", done.already_there),
        ("NOT moved, other bytes there", done.differs),
    ):
        for name, digest in rows:
            print(f"{outcome}: {name} sha256={digest}")
    print(
        f"{len(done.moved)} receipt(s) moved into {done.target}, "
        f"{len(done.already_there)} already there, {len(done.differs)} left (other bytes there)"
    )
    if done.differs:
        raise CommandError(
            "Some receipts were not moved: the store holds other bytes under their name."
        )


def register(subparsers) -> None:
    """Add `import budget|ledger` and `export budget|ledger|budget-summary` to the shared groups,
    and `recount`."""
    subparsers.add_parser(
        "recount", help="count the kept ledger totals and the 51% report's counts again"
    ).set_defaults(func=cmd_recount)
    imports = kinds_of(subparsers, "import", "read a CSV file into Tafel")
    for what, text in (("budget", "the budget plan (budget.csv)"), ("ledger", "ledger.csv")):
        command = imports.add_parser(what, help=text)
        command.add_argument("file")
        if what == "ledger":
            command.add_argument(
                "--book-lookalikes",
                action="store_true",
                help="also book rows that look like entries already in the ledger (the same "
                "date, post or sub-budget, amount and description)",
            )
        command.set_defaults(func=cmd_import, what=what, book_lookalikes=False)

    exports = kinds_of(subparsers, "export", "write a CSV file to stdout")
    for what in ("budget", "ledger", "budget-summary"):
        command = exports.add_parser(what, help=f"{what}.csv")
        command.add_argument("--year", type=int, default=None)
        command.set_defaults(func=cmd_export, what=what)

    receipts = subparsers.add_parser("receipts", help="where the uploaded receipts are kept")
    receipts_sub = receipts.add_subparsers(dest="receipts_action", required=True)
    move = receipts_sub.add_parser(
        "move",
        help="move receipts kept before (the data folder's receipts/ folder; the database, when "
        "TAFEL_RECEIPTS is an object store now) into the store TAFEL_RECEIPTS chose, "
        "each checked by its SHA-256 before the original is removed",
    )
    move.add_argument("--to", choices=("database", "s3"), required=True)
    move.set_defaults(func=cmd_receipts_move)
