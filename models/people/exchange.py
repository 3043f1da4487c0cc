"""The people area's CSV rows, one implementation for the web app and the `tafel` command:
representation.csv (export) and members.csv (import), as in DATA-EXCHANGE.md. No
translations here: problems are English templates the screens translate."""

import datetime as dt
from dataclasses import dataclass, replace

from models.accounts import audit
from models.actor import Actor
from models.clock import today
from models.db import database
from models.organisation import Project
from models.people.background import unsettle_background
from models.people.edge_watch import watching
from models.people.growth import change_membership, start_membership
from models.people.members_file import (
    ALIASES,
    COLUMNS,
    REQUIRED,
    allowed_names,
    column_key,
    read_background,
    read_layer,
    read_role,
    read_status,
    read_yes_no,
)
from models.people.representation import representation_report
from models.people.tables import Membership, Person, RoleStep
from models.people.whatif import simulate
from models.rules.csvfile import (
    UNKNOWN_COLUMNS,
    CsvError,
    Problem,
    parse_date,
    read_csv,
    write_csv,
)
from models.words import Text

REPRESENTATION_HEADER = (
    "scope",
    "dimension",
    "group",
    "people",
    "client_background",
    "not_said",
    "share",
    "passes",
)


def representation_csv(project=None, excel: bool = False) -> str:
    """The 51% check as representation.csv; with a project, that project's rows only."""
    rows = []
    for r in representation_report(project):
        share = f"{r.share:.1f}"
        rows.append(
            (
                r.scope,
                r.dimension,
                r.group,
                r.people,
                r.yes,
                r.not_said,
                share.replace(".", ",") if excel else share,
                "yes" if r.passes else "no",
            )
        )
    return write_csv(REPRESENTATION_HEADER, rows, excel=excel)


# --- members.csv (import) -------------------------------------------------------------------

MEMBER_COLUMNS = {english: english in REQUIRED for english, _dutch in COLUMNS}
NO_PARTICIPANT_STEP = Text("Give a role: the ladder has no step in the category participant.")
BACKGROUNDS_DIFFER = Text("{person} has another client_background on line {first}; use one answer.")
NAME_TOO_LONG = Text("Use at most {length} characters.")
TWICE = Text("This person and project are already on line {first}.")
CONSENT_WITHOUT_ANSWER = Text(
    "A date in consent_on belongs with an answer in client_background on the same row."
)


@dataclass
class MemberRow:
    """One checked row of members.csv; None means "not given"."""

    line: int
    person: str
    project: str
    layer: str | None
    step: int | None
    background: str | None
    chair: bool | None
    minutes: bool | None
    status: str | None
    since: dt.date | None
    consent_on: dt.date | None = None


def _read_members(raw: bytes):
    """The rows of members.csv, its columns named in English or in Dutch (models/people/
    members_file.py); an unknown column's problem lists the names in both."""
    try:
        return read_csv(
            raw, MEMBER_COLUMNS, aliases=ALIASES, names=("person", "project"), fold=column_key
        )
    except CsvError as error:
        problems = [
            Problem.of(p.line, UNKNOWN_COLUMNS, p.column, columns=p.params["columns"],
                       allowed=allowed_names())
            if p.template == UNKNOWN_COLUMNS else p
            for p in error.problems
        ]  # fmt: skip
        raise CsvError(_as_written(problems, error.header), error.header) from None


def _as_written(problems, header: dict) -> list[Problem]:
    """The problems with each column named as the file's header names it ("laag" in a Dutch
    file, "layer" in an English one)."""
    return [replace(p, column=header[p.column]) if p.column in header else p for p in problems]


def check_members(raw: bytes) -> list[MemberRow]:
    """Read and check members.csv; raise CsvError naming every problem with its line."""
    rows = _read_members(raw)
    steps = list(RoleStep.ladder())
    problems, checked = [], []
    background_line: dict[str, tuple[int, str]] = {}
    seen: dict[tuple[str, str], int] = {}
    parsers = {
        "layer": read_layer,
        "role": lambda t: read_role(t, steps),
        "client_background": read_background,
        "chair": read_yes_no,
        "minutes": read_yes_no,
        "status": read_status,
        "since": parse_date,
        "consent_on": parse_date,
    }
    for row in rows:
        values, ok = {}, True
        for column, parse in parsers.items():
            text = row.get(column)
            if text is None:
                values[column] = None
                continue
            try:
                values[column] = parse(text)
            except ValueError as error:
                problems.append(Problem.from_error(row.line, error, column))
                values[column], ok = None, False
        if row.get("role") is None and not any(s.category == "participant" for s in steps):
            # Without a role a new membership starts on the lowest participant step.
            problems.append(Problem.of(row.line, NO_PARTICIPANT_STEP, "role"))
            ok = False
        if values["consent_on"] is not None and row.get("client_background") is None:
            # A date of consent alone records nothing: it would look as if it did.
            problems.append(Problem.of(row.line, CONSENT_WITHOUT_ANSWER, "consent_on"))
            ok = False
        for column, length in (("person", 80), ("project", 120)):
            if len(row[column]) > length:
                problems.append(Problem.of(row.line, NAME_TOO_LONG, column, length=length))
                ok = False
        key = (row["person"], row["project"])
        if key in seen:
            problems.append(Problem.of(row.line, TWICE, first=seen[key]))
            ok = False
        seen.setdefault(key, row.line)
        answer = values["client_background"]
        if answer is not None:
            first = background_line.setdefault(row["person"], (row.line, answer))
            if first[1] != answer:
                problems.append(
                    Problem.of(
                        row.line,
                        BACKGROUNDS_DIFFER,
                        "client_background",
                        person=row["person"],
                        first=first[0],
                    )
                )
                ok = False
        if ok:
            checked.append(
                MemberRow(
                    line=row.line,
                    person=row["person"],
                    project=row["project"],
                    layer=values["layer"],
                    step=values["role"],
                    background=answer,
                    chair=values["chair"],
                    minutes=values["minutes"],
                    status=values["status"],
                    since=values["since"],
                    consent_on=values["consent_on"],
                )
            )
    if problems:
        raise CsvError(_as_written(problems, rows.header), rows.header)
    return checked


def import_members(
    raw: bytes, actor_account=None, actor_person=None, *, note_for_log: str = ""
) -> dict:
    """Import members.csv as one unit of work (all or nothing; CsvError names every problem
    with its line); importing the same file twice changes nothing. The membership changes
    are watched like the screens' (models/people/edge_watch.py); `note_for_log` is the 51%
    confirmation (models.people.whatif.below_note). Returns counts of what changed."""
    rows = check_members(raw)
    with database.atomic(), watching(actor_account, actor_person):
        counts = _apply(rows, actor_account, actor_person)
        if any(counts.values()):
            audit.record(actor_account, "members.import", None, after=counts, note=note_for_log)
    return counts


def preview_members(raw: bytes, actor: Actor | None):
    """The 51% what-if of importing members.csv, as the importer may know it (see
    models.people.whatif.simulate); raises CsvError like `import_members`."""
    rows = check_members(raw)
    account = actor.account_id if actor else None
    person = actor.person_id if actor else None
    return simulate(lambda: _apply(rows, account, person), actor)


def _apply(rows: list[MemberRow], actor_account, actor_person) -> dict:
    """The writes of an import (inside the caller's transaction).

    Issue 19, finding M4: an answer the person gave or changed themselves (recorded by
    themselves) is never overwritten, and silently so (a sentence would tell the importer
    that the person answered); the consent date is the file's `consent_on`, or none: never
    the day of the import."""
    counts = {"people": 0, "projects": 0, "memberships": 0, "changed": 0}
    default_step = RoleStep.lowest_participant_step()
    people = {p.display_name: p for p in Person.select()}
    projects = {p.name: p for p in Project.select()}
    steps = {s.id: s for s in RoleStep.select()}
    for row in rows:
        person = people.get(row.person)
        if person is None:
            person = people[row.person] = Person.create(display_name=row.person)
            counts["people"] += 1
        own_answer = person.background_recorded_by_id == person.id
        if (
            row.background is not None
            and not own_answer
            and person.client_background != row.background
        ):
            # Health data: whether an answer changed would tell the importer the old
            # answer, so it is not counted as "changed"; its audit line is shown only to
            # holders of the privacy right.
            before = {"client_background": person.client_background}
            unsettle_background(person)  # settles before the published figures count it
            person.client_background = row.background
            person.background_consent_on = None if row.background == "not_said" else row.consent_on
            person.background_recorded_by = actor_person
            person.save()
            audit.record(
                actor_account,
                "person.background_recorded",
                person,
                person=person,
                before=before,
                after={"client_background": row.background, "consent_on": row.consent_on},
                note="import",
            )
        project = projects.get(row.project)
        if project is None:
            project = projects[row.project] = Project.create(name=row.project)
            counts["projects"] += 1
        membership = Membership.of(person.id, project.id)
        if membership is None:
            since = row.since or today()
            start_membership(
                person,
                project,
                step=steps[row.step] if row.step else default_step,
                layer=row.layer or "execution",
                status=row.status or "active",
                since=since,
                recorded_by=actor_person,
                note="import",
                chair_since=since if row.chair else None,
                minutes_since=since if row.minutes else None,
            )
            counts["memberships"] += 1
            continue
        changed = change_membership(
            membership,
            step=steps[row.step] if row.step else steps[membership.step_id],
            layer=row.layer or membership.layer,
            status=row.status or membership.status,
            recorded_by=actor_person,
            note="import",
        )
        dirty = changed is not None
        if row.since is not None and membership.since != row.since:
            membership.since, dirty = row.since, True
        for flag, column in ((row.chair, "chair_since"), (row.minutes, "minutes_since")):
            current = getattr(membership, column)
            if flag is True and current is None:
                setattr(membership, column, membership.since)
                dirty = True
            elif flag is False and current is not None:
                setattr(membership, column, None)
                dirty = True
        if dirty:
            membership.save()
            counts["changed"] += 1
    return counts
