"""The kept 51% report (issue 13 point 3, issue 23 point 3): after any sequence of membership,
answer, step and project changes, written by whatever code (also changes that settle, a
person or a project deleted), the report from the kept counts equals the brute-force count,
and its published figures of any day equal those counted afresh from the memberships; what a
viewer may count (only the answers shared with them) is counted afresh and equals the
brute-force count of those answers; a rolled back what-if leaves nothing kept."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import fn

from models import schema, tenancy
from models.clock import today
from models.db import database, is_sqlite
from models.meetings.stored_rota import store_rota
from models.organisation import Project
from models.people import (
    LAYERS,
    ROLE_CATEGORIES,
    Membership,
    Person,
    ReportVersion,
    RoleStep,
    representation,
)
from models.people.background import unsettle_background
from models.people.growth import set_turns
from models.people.kept_counts import ReportCount, counted, kept_tally
from models.people.path import save_goals
from models.people.representation import (
    REPORT,
    _results,
    _tally,
    recount_report,
    representation_report,
)
from models.people.tables import SETTLE_DAYS
from models.people.whatif import simulate
from models.projects import update_project
from models.records.privacy import erase_person
from models.rules.representation import (
    ORGANISATION,
    GroupResult,
    report_order,
)
from tests.database import schema_differences
from tests.people.reference import Seat, brute_force_report
from tests.people.test_report import empty_db, fill  # noqa: F401 (a fixture)

NAMES = ("Alfa", "Beta", "Gamma", "Delta")
ANSWERS = ("yes", "no", "not_said")

OPERATION = st.one_of(
    st.tuples(
        st.just("join"),
        st.integers(0, 7),
        st.sampled_from(NAMES[:3]),
        st.sampled_from(LAYERS),
        st.integers(1, 5),
        st.sampled_from(["active", "paused"]),
    ),  # fmt: skip
    st.tuples(st.just("leave"), st.integers(0, 50)),
    st.tuples(
        st.just("status"), st.integers(0, 50), st.sampled_from(("active", "paused", "ended"))
    ),
    st.tuples(st.just("layer"), st.integers(0, 50), st.sampled_from(LAYERS)),
    st.tuples(st.just("step"), st.integers(0, 50), st.integers(1, 5)),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(NAMES[:3])),
    st.tuples(st.just("answer"), st.integers(0, 7), st.sampled_from(ANSWERS)),
    st.tuples(st.just("category"), st.integers(1, 5), st.sampled_from(ROLE_CATEGORIES)),
    st.tuples(st.just("rename"), st.integers(0, 3), st.sampled_from(NAMES)),
    st.tuples(st.just("what-if"), st.integers(0, 50)),
    # Changes that settle (the published figures count the prior state for SETTLE_DAYS).
    st.tuples(
        st.just("settle"),
        st.integers(0, 50),
        st.sampled_from(LAYERS),
        st.sampled_from(("active", "paused", "ended")),
    ),  # fmt: skip
    st.tuples(st.just("new"), st.integers(0, 7), st.sampled_from(NAMES[:3]), st.integers(1, 5)),
    st.tuples(st.just("recorded"), st.integers(0, 7), st.sampled_from(ANSWERS)),
    st.tuples(st.just("drop-person"), st.integers(0, 7)),
    st.tuples(st.just("erase"), st.integers(0, 7)),
    st.tuples(st.just("drop-project"), st.integers(0, 3)),
)
START = [(n, NAMES[n % 3], LAYERS[n % 3], 1 + n % 5, "active", ANSWERS[n % 3]) for n in range(8)]


def seats() -> list[Seat]:
    """Every membership as the brute-force report reads it, straight from the tables."""
    rows = (
        Membership.select(
            Membership.person, Project.name, Membership.layer, RoleStep.category,
            Membership.status, Person.client_background,
        )
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(Project, on=(Membership.project == Project.id))
        .switch(Membership)
        .join(RoleStep, on=(Membership.step == RoleStep.id))
        .tuples()
    )  # fmt: skip
    return [Seat(*row) for row in rows]


def brute_force_known(all_seats, known) -> list[GroupResult]:
    """The report counting only the answers of `known`: everyone else in a group is private."""
    members: dict[tuple, set] = {}
    answer = {}
    for s in all_seats:
        answer[s.person_id] = s.background
        if s.status == "active":
            for scope in (ORGANISATION, s.project):
                members.setdefault((scope, "layer", s.layer), set()).add(s.person_id)
                members.setdefault((scope, "role", s.category), set()).add(s.person_id)
    return [
        GroupResult(
            *key,
            people=len(people),
            yes=sum(1 for p in people if p in known and answer[p] == "yes"),
            not_said=sum(1 for p in people if p in known and answer[p] == "not_said"),
            private=sum(1 for p in people if p not in known),
        )
        for key, people in sorted(members.items(), key=lambda item: report_order(*item[0]))
    ]


def _nth(number):
    rows = list(Membership.select().order_by(Membership.id))
    return rows[number % len(rows)] if rows else None


def apply(op, people: list[int]) -> None:
    """One change, each in its own committed transaction, written straight to the tables
    (not through models/people): the report must follow whatever code writes."""
    kind = op[0]
    with database.atomic():
        if kind == "join":
            _, person, project, layer, step, status = op
            project_id = Project.select(Project.id).where(Project.name == project).scalar()
            exists = Membership.select().where(
                (Membership.person == people[person]) & (Membership.project == project_id)
            )
            if project_id is not None and not exists.exists():
                Membership.create(
                    person=people[person], project=project_id, layer=layer,
                    step=RoleStep.get(RoleStep.position == step), status=status,
                    since=dt.date(2026, 1, 1),
                )  # fmt: skip
        elif kind == "answer":
            Person.update(client_background=op[2]).where(Person.id == people[op[1]]).execute()
        elif kind == "recorded" and (person := Person.get_or_none(id=people[op[1]])):
            unsettle_background(person)
            person.client_background = op[2]
            person.save()
        elif kind == "new":
            _, person, project, step = op
            project_id = Project.select(Project.id).where(Project.name == project).scalar()
            exists = Membership.select().where(
                (Membership.person == people[person]) & (Membership.project == project_id)
            )
            alive = Person.select().where(Person.id == people[person]).exists()
            if project_id is not None and alive and not exists.exists():
                membership = Membership(
                    person=people[person], project=project_id, layer="execution",
                    step=RoleStep.get(RoleStep.position == step), status="active",
                    since=dt.date(2026, 1, 1),
                )  # fmt: skip
                membership.unsettle(new=True)
                membership.save()
        elif kind == "erase" and (person := Person.get_or_none(id=people[op[1]])):
            erase_person(person)  # the erasure's own writes (memberships end, no answer)
        elif kind == "drop-person":
            Person.delete().where(Person.id == people[op[1]]).execute()
        elif kind == "drop-project":
            projects = list(Project.select().order_by(Project.id))
            if projects:
                projects[op[1] % len(projects)].delete_instance()
        elif kind == "category":
            RoleStep.update(category=op[2]).where(RoleStep.position == op[1]).execute()
        elif kind == "rename":
            names = [p.name for p in Project.select().order_by(Project.id)]
            if op[2] not in names and names:
                old = names[op[1] % len(names)]
                Project.update(name=op[2]).where(Project.name == old).execute()
        elif (membership := _nth(op[1])) is not None:
            if kind == "leave":
                membership.delete_instance()
            elif kind == "settle":
                membership.unsettle()
                membership.layer, membership.status = op[2], op[3]
                membership.save()
            elif kind in ("status", "layer"):
                Membership.update({kind: op[2]}).where(Membership.id == membership.id).execute()
            elif kind == "step":
                step = RoleStep.get(RoleStep.position == op[2])
                Membership.update(step=step).where(Membership.id == membership.id).execute()
            elif kind == "move":
                target = Project.select(Project.id).where(Project.name == op[2]).scalar()
                taken = Membership.select().where(
                    (Membership.person == membership.person_id) & (Membership.project == target)
                )
                if target is not None and not taken.exists():
                    membership.project = target
                    membership.save()
    if kind == "what-if" and (membership := _nth(op[1])) is not None:
        # A change only previewed: counted inside a savepoint that is rolled back.
        simulate(lambda: membership.delete_instance())


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(OPERATION, max_size=20),
    known=st.sets(st.integers(0, 7), max_size=4),
)
def test_the_kept_report_equals_the_brute_force_count_after_any_changes(
    empty_db,  # noqa: F811
    operations,
    known,
):
    with database.atomic():
        fill(START)
    people = [p.id for p in Person.select().order_by(Person.display_name)]
    known_ids = [people[n] for n in sorted(known)]
    for op in operations:
        apply(op, people)
        truth = seats()
        expected = brute_force_report(truth)
        # Twice: counted, then kept (the second comes from the kept report).
        assert representation_report() == expected
        assert representation_report() == expected
        assert representation_report(known=known_ids) == brute_force_known(truth, set(known_ids))
        for project in Project.select():
            mine = [r for r in expected if r.scope == project.name]
            assert representation_report(project) == mine
            assert representation_report(project, known_ids) == [
                r for r in brute_force_known(truth, set(known_ids)) if r.scope == project.name
            ]
        # The published figures from the kept counts (the live ones with the people not
        # settled by the day counted afresh) equal those counted from the memberships, on
        # the day and when the changes settle; the kept counts equal a recount.
        for on in (today(), today() + dt.timedelta(days=SETTLE_DAYS)):
            assert _results(counted(None, on)) == _results(_tally(None, on=on))
        first = Project.select().order_by(Project.id).first()
        if first is not None:
            assert _results(counted(first.id, today())) == _results(_tally(first.id, on=today()))
        assert representation_report(published=True) == _results(_tally(None, on=today()))
        # Only the reports of the data as it is now are kept (memory stays bounded).
        # (This organisation's: another test's organisations may have left theirs.)
        here = tenancy.current_id()
        kept = {
            token for organisation, token, *_where in representation._kept if organisation == here
        }
        assert kept == {ReportVersion.current(REPORT)}


def _token_keeper():
    """`changed(write)`: runs `write` in its own committed transaction and says whether the
    report's token changed."""
    tokens = [ReportVersion.current(REPORT)]

    def changed(write) -> bool:
        with database.atomic():
            write()
        tokens.append(ReportVersion.current(REPORT))
        return tokens[-1] != tokens[-2]

    return changed


def _saved(row, **values):
    """Set values on a row and save() it: peewee writes every column, changed or not."""

    def write():
        for name, value in values.items():
            setattr(row, name, value)
        row.save()

    return write


def test_every_counted_change_gives_a_new_token_and_others_do_not(empty_db):  # noqa: F811
    with database.atomic():
        fill(START)
    changed = _token_keeper()
    # Bulk updates of each counted column.
    assert changed(lambda: Person.update(client_background="yes").execute())
    assert changed(lambda: Membership.update(layer="management").execute())
    assert changed(lambda: Project.update(name=Project.name.concat("!")).execute())
    assert changed(lambda: RoleStep.update(category="volunteer").execute())

    membership = Membership.select().order_by(Membership.id).first()
    person = Person.get_by_id(membership.person_id)
    project = Project.get_by_id(membership.project_id)
    other_project = Project.select().where(Project.id != project.id).first()
    free_person = Person.select().where(
        (Person.id != person.id) & Person.id.not_in(Membership.select(Membership.person).where(
            Membership.project == other_project.id
        ))
    ).first()  # fmt: skip
    step = RoleStep.get_by_id(membership.step_id)
    other_step = RoleStep.select().where(RoleStep.id != step.id).first()
    # Each counted column changed through save(), which writes every column.
    assert changed(_saved(membership, status="paused"))
    assert changed(_saved(membership, layer="execution"))
    assert changed(_saved(membership, step=other_step))
    assert changed(_saved(membership, project=other_project))
    assert changed(_saved(membership, person=free_person))
    assert changed(_saved(person, client_background="no"))
    assert changed(_saved(project, name="Omega"))
    assert changed(_saved(step, category="paid_staff"))
    # A new membership, and deleting a membership, a person or a project (a new person or
    # project counts only once a membership names it).
    joined = []
    assert changed(lambda: joined.append(Membership.create(
        person=person, project=project, step=step, layer="execution", status="active",
        since=dt.date(2026, 1, 1),
    )))  # fmt: skip
    assert changed(joined[0].delete_instance)
    spare = []
    assert not changed(lambda: spare.append(Person.create(display_name="spare")))
    assert changed(spare[0].delete_instance)
    assert not changed(lambda: spare.append(Project.create(name="Leeg")))
    assert changed(spare[1].delete_instance)

    # What the report does not count leaves the kept report as it is.
    assert not changed(
        lambda: Person.update(display_name=Person.display_name.concat("!")).execute()
    )
    assert not changed(lambda: Membership.update(tasks="koffie").execute())
    assert not changed(lambda: Project.update(description="anders").execute())
    assert not changed(lambda: Membership.update(layer=Membership.layer).execute())  # the same
    assert not changed(_saved(membership, tasks="notuleren", since=dt.date(2026, 2, 1)))
    assert not changed(_saved(person, display_name="Anne", dream="kok worden"))
    assert not changed(_saved(project, description="ons project"))
    assert not changed(_saved(step, name="Meedenker"))
    assert not changed(_saved(membership, status=membership.status))  # saved as it was
    # … also through the real code: a person's goals, opting in and out of turns (which
    # re-plans and stores the rota), a project's description, storing a rota.
    assert not changed(
        lambda: save_goals(
            person, dream="reizen", learn="plannen", wants_paid_work=True, actor=None
        )
    )
    assert not changed(lambda: set_turns(membership, chair=True, minutes=True, actor=None))
    assert not changed(lambda: set_turns(membership, chair=False, minutes=True, actor=None))
    assert not changed(lambda: update_project(None, project, description="nieuw"))
    assert not changed(lambda: store_rota(project.id))
    assert changed(lambda: update_project(None, project, name="Zeta", description="nieuw"))

    # A change rolled back leaves the token it had (on PostgreSQL the new token is only
    # written at the commit; on SQLite it is written at once and rolled back with it).
    before = ReportVersion.current(REPORT)
    with database.atomic() as transaction:
        Person.update(client_background="yes").execute()
        inside = ReportVersion.current(REPORT)
        transaction.rollback()
    assert (inside == before) is not is_sqlite()  # PostgreSQL: deferred to the commit
    assert ReportVersion.current(REPORT) == before
    assert representation_report() == brute_force_report(seats())


def test_a_bulk_change_gives_one_new_token_on_postgresql(empty_db):  # noqa: F811
    """Many rows changed in one transaction: the token changes once per row on SQLite (a
    row trigger), once per transaction on PostgreSQL (the deferred bump runs once)."""
    with database.atomic():
        fill(START)
    count = ReportVersion.select(ReportVersion.changes).where(ReportVersion.name == REPORT)
    before = count.scalar()
    with database.atomic():
        rows = Membership.update(layer="management").where(Membership.layer != "management")
        changed_rows = rows.execute()
    assert changed_rows > 1
    assert count.scalar() - before == (changed_rows if is_sqlite() else 1)


def _kept_equals_recount() -> bool:
    return _results(kept_tally()) == _results(_tally(None))


def test_recount_repairs_the_kept_counts_and_the_migration_fills_them(db):
    """`tafel recount` (recount_report) finds nothing wrong on data written through the
    triggers, repairs a count changed by hand and says so; a database from before the kept
    counts gets them from its memberships when it is migrated."""
    assert recount_report() == 0
    ReportCount.update(n=ReportCount.n + 1).where(
        ReportCount.id == ReportCount.select(fn.MIN(ReportCount.id))
    ).execute()
    assert not _kept_equals_recount()
    assert recount_report() == 1
    assert _kept_equals_recount()

    if not is_sqlite():
        # On PostgreSQL the app's role may not change the schema, and the federation's
        # migrations (0015_federation_tenancy, 0016) build on these tables: a database from
        # before them alone is a SQLite one (each organisation's file).
        return
    expected = _results(_tally(None))
    undo_kept_counts_migration()
    schema.migrate()
    assert _results(kept_tally()) == expected
    assert not schema_differences()
    # … and keeps them from then on.
    membership = Membership.select().where(Membership.status == "active").first()
    Membership.update(status="paused").where(Membership.id == membership.id).execute()
    assert _kept_equals_recount()


def undo_kept_counts_migration():
    """Take migration 0015 back out of a database, as if it was made before it (and 0018,
    which adds to its table)."""
    for table in ("report_count", "report_person"):
        database.execute_sql(f"DROP TABLE {table}" + ("" if is_sqlite() else " CASCADE"))
    database.execute_sql("DROP INDEX membership_settles_on")
    database.execute_sql("DROP INDEX person_background_settles_on")
    if is_sqlite():
        for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_count_%'"
        ).fetchall():
            database.execute_sql(f"DROP TRIGGER {name}")
    else:
        for name in ("membership_count_insert", "membership_count_delete",
                     "membership_count_update", "person_count_answer", "person_count_delete",
                     "role_step_count_category", "report_person_insert",
                     "report_person_update", "report_count_stamp"):  # fmt: skip
            database.execute_sql(f"DROP FUNCTION {name} CASCADE")
        database.execute_sql("DROP SEQUENCE report_count_stamp_seq")
    database.execute_sql(
        "DELETE FROM schema_migration WHERE name IN"
        " ('0015_bench_kept_report', '0018_kept_report_stamps')"
    )
