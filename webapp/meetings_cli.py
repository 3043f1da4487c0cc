"""`tafel meetings plan`, `tafel export rota` and `tafel export decisions` (DATA-EXCHANGE.md).

The CSV writers are shared with anything else that wants these files.
"""

import csv
import datetime as dt
import io
import sys

from peewee import JOIN

from models.db import database
from models.meetings import Meeting, Proposal
from models.organisation import Project
from models.person import Person

ROTA_COLUMNS = ["date", "project", "chair", "minute_taker"]
DECISION_COLUMNS = [
    "date",
    "project",
    "meeting",
    "proposal",
    "outcome",
    "agree",
    "concern",
    "stand_aside",
    "block",
    "statement",
]


def _name(person) -> str:
    if person is None:
        return ""
    return person.display_name or "former member"


def _project_id(name: str | None) -> int | None:
    from webapp.commands import CommandError

    if name is None:
        return None
    project = Project.get_or_none(Project.name == name)
    if project is None:
        raise CommandError(f"There is no project called {name!r}.")
    return project.id


def rota_rows(project_id: int | None = None, on: dt.date | None = None) -> list[list]:
    """Planned meetings that have not taken place yet, by date then project."""
    from models.clock import today

    chair, taker = Person.alias(), Person.alias()
    query = (
        Meeting.select(Meeting, Project, chair, taker)
        .join(Project, on=(Meeting.project == Project.id))
        .join_from(
            Meeting, chair, on=(Meeting.chair == chair.id), join_type=JOIN.LEFT_OUTER, attr="chair"
        )
        .join_from(
            Meeting,
            taker,
            on=(Meeting.minute_taker == taker.id),
            join_type=JOIN.LEFT_OUTER,
            attr="minute_taker",
        )
        .where((Meeting.state == "planned") & (Meeting.date >= (on or today())))
        .order_by(Meeting.date, Project.name, Meeting.id)
    )
    if project_id is not None:
        query = query.where(Meeting.project == project_id)
    return [
        [m.date.isoformat(), m.project.name, _name(m.chair), _name(m.minute_taker)] for m in query
    ]


def decision_rows(project_id: int | None = None) -> list[list]:
    """The decision register: closed proposals by date, then project, then meeting."""
    from webapp.routes.meetings import decisions_query

    query = decisions_query(project_id).order_by(
        Proposal.decided_on, Project.name, Meeting.date, Proposal.id
    )
    return [
        [
            p.decided_on.isoformat() if p.decided_on else "",
            p.agenda_item.meeting.project.name,
            p.agenda_item.meeting.date.isoformat(),
            p.text,
            p.outcome,
            p.agree,
            p.concern,
            p.stand_aside,
            p.block,
            p.statement,
        ]
        for p in query
    ]


def write_csv(columns: list[str], rows: list[list], excel: bool = False) -> str:
    """A header row, then the rows (DATA-EXCHANGE.md "Exports"): comma-separated UTF-8, or
    "for Excel" with a BOM and semicolons (these files hold no amounts to give a decimal
    comma)."""
    out = io.StringIO()
    if excel:
        out.write("\ufeff")
    writer = csv.writer(
        out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n"
    )
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def cmd_plan(args, settings):
    """Plan monthly meetings for a project and assign the rota."""
    from models import meeting_ops
    from webapp.commands import CommandError, open_for_command

    if args.count < 1 or args.count > 60:
        raise CommandError("Choose a count between 1 and 60.")
    start = None
    if args.start:
        try:
            start = dt.date.fromisoformat(args.start)
        except ValueError as exc:
            raise CommandError("Give the start date as YYYY-MM-DD.") from exc
    open_for_command(settings)
    with database.connection_context():
        project_id = _project_id(args.project)
        with database.atomic():
            made = meeting_ops.plan_meetings(project_id, args.count, start)
    print(
        f"planned {len(made)} meeting(s)"
        + (": " + ", ".join(m.date.isoformat() for m in made) if made else "")
    )


def cmd_export_rota(args, settings):
    from webapp.commands import open_for_command

    open_for_command(settings)
    with database.connection_context():
        sys.stdout.write(write_csv(ROTA_COLUMNS, rota_rows(_project_id(args.project))))


def cmd_export_decisions(args, settings):
    from webapp.commands import open_for_command

    open_for_command(settings)
    with database.connection_context():
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

    from webapp.commands import kinds_of

    exports = kinds_of(sub, "export", "write a CSV file to stdout")
    rota = exports.add_parser("rota", help="planned meetings with chair and minute-taker")
    rota.add_argument("--project")
    rota.set_defaults(func=cmd_export_rota)
    decisions = exports.add_parser("decisions", help="the decision register")
    decisions.add_argument("--project")
    decisions.set_defaults(func=cmd_export_decisions)
