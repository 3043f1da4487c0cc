"""The meetings area's `tafel` subcommands: `tafel meetings plan`, `tafel export rota` and
`tafel export decisions` (DATA-EXCHANGE.md)."""

import datetime as dt
import sys

from models.clock import FIRST_DATE, LAST_DATE
from models.meetings.exchange import DECISION_COLUMNS, ROTA_COLUMNS, decision_rows, rota_rows
from models.meetings.planning import plan_meetings
from models.organisation import Project
from models.rules.csvfile import write_csv
from webapp.commands import CommandError, connected, kinds_of, open_for_command


def _project_id(name: str | None) -> int | None:
    if name is None:
        return None
    project = Project.get_or_none(Project.name == name)
    if project is None:
        raise CommandError(f"There is no project called {name!r}.")
    return project.id


def cmd_plan(args, settings):
    """Plan monthly meetings for a project and assign the rota."""
    if args.count < 1 or args.count > 60:
        raise CommandError("Choose a count between 1 and 60.")
    start = None
    if args.start:
        try:
            start = dt.date.fromisoformat(args.start)
        except ValueError as exc:
            raise CommandError("Give the start date as YYYY-MM-DD.") from exc
        if not FIRST_DATE <= start <= LAST_DATE:
            raise CommandError("Choose a start date between 1900-01-01 and 2999-12-31.")
    open_for_command(settings)
    with connected():
        made = plan_meetings(_project_id(args.project), args.count, start)
    print(
        f"planned {len(made)} meeting(s)"
        + (": " + ", ".join(m.date.isoformat() for m in made) if made else "")
    )


def cmd_export_rota(args, settings):
    open_for_command(settings)
    with connected():
        sys.stdout.write(write_csv(ROTA_COLUMNS, rota_rows(_project_id(args.project))))


def cmd_export_decisions(args, settings):
    open_for_command(settings)
    with connected():
        sys.stdout.write(write_csv(DECISION_COLUMNS, decision_rows(_project_id(args.project))))


def register(sub) -> None:
    """Add `meetings plan`, `export rota` and `export decisions`."""
    meetings = sub.add_parser("meetings", help="plan meetings")
    msub = meetings.add_subparsers(dest="meetings_command", required=True)
    plan = msub.add_parser("plan", help="plan monthly meetings and assign the rota")
    plan.add_argument("project")
    plan.add_argument("--count", type=int, required=True)
    plan.add_argument("--start")
    plan.set_defaults(func=cmd_plan)

    exports = kinds_of(sub, "export", "write a CSV file to stdout")
    rota = exports.add_parser("rota", help="planned meetings with chair and minute-taker")
    rota.add_argument("--project")
    rota.set_defaults(func=cmd_export_rota)
    decisions = exports.add_parser("decisions", help="the decision register")
    decisions.add_argument("--project")
    decisions.set_defaults(func=cmd_export_decisions)
