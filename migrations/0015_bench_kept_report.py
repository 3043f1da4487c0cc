"""The 51% report kept, not recomputed (issue 23 point 3; models/people/kept_counts.py).

`report_count` (scope: a project's id or 0 for the organisation; dimension, group, answer →
how many) and `report_person` (person, dimension, group → how many of the person's active
memberships put them there) are filled from the data as it is and then kept by triggers, in
the same transaction (the same statement) as every change that moves them, whatever writes:

- a membership inserted, deleted or changed in person, project, layer, step or status (its
  old seat taken away, its new one added; only active memberships count);
- a person's answer (their seats move from the old answer to the new one);
- a step's role category (its active memberships move between the role groups);
- a person deleted: their memberships are deleted first (BEFORE DELETE), while their answer
  can still be read, then their person rows;
- a person row whose number goes from 0 to more or back adds or takes the person in the
  organisation's group (each person once per group).

On PostgreSQL every counting trigger first takes one transaction-level advisory lock, so two
transactions that move people between the same groups in opposite directions take the count
rows one after the other instead of waiting for each other in a circle.

Also indexes on the days memberships and answers settle: the published figures are the kept
live counts with the people not settled by the day counted as published instead.
"""

from peewee import CharField, IntegerField, Model, SqliteDatabase

# The advisory lock of every write to the kept counts (PostgreSQL).
LOCK = "5151"
COUNT = "INSERT INTO report_count (scope, dimension, grp, answer, n) "
PERSON = "INSERT INTO report_person (person_id, dimension, grp, n) "
ON_COUNT = (
    " ON CONFLICT (scope, dimension, grp, answer) DO UPDATE SET n = report_count.n + excluded.n"
)
ON_PERSON = (
    " ON CONFLICT (person_id, dimension, grp) DO UPDATE SET n = report_person.n + excluded.n"
)


def seat(row: str, sign: str) -> list[str]:
    """The statements that add (`sign` 1) or take away (-1) one membership row (`row`: NEW or
    OLD) when it is active: its project's layer and role counts under its person's answer,
    and its person's layer and role numbers."""
    active = f"{row}.status = 'active'"
    return [
        COUNT + f"SELECT {row}.project_id, 'layer', {row}.layer, p.client_background, {sign}"
        f" FROM person p WHERE p.id = {row}.person_id AND {active}" + ON_COUNT,
        COUNT + f"SELECT {row}.project_id, 'role', s.category, p.client_background, {sign}"
        f" FROM person p, role_step s WHERE p.id = {row}.person_id AND s.id = {row}.step_id"
        f" AND {active}" + ON_COUNT,
        PERSON + f"SELECT {row}.person_id, 'layer', {row}.layer, {sign} WHERE {active}" + ON_PERSON,
        PERSON + f"SELECT {row}.person_id, 'role', s.category, {sign} FROM role_step s"
        f" WHERE s.id = {row}.step_id AND {active}" + ON_PERSON,
    ]


def answer_moved() -> list[str]:
    """A person's answer changed: every seat of theirs moves from the old answer to the new."""
    statements = []
    for answer, sign in (("OLD.client_background", "-1"), ("NEW.client_background", "1")):
        statements += [
            COUNT + f"SELECT m.project_id, 'layer', m.layer, {answer}, {sign} FROM membership m"
            " WHERE m.person_id = NEW.id AND m.status = 'active'" + ON_COUNT,
            COUNT + f"SELECT m.project_id, 'role', s.category, {answer}, {sign}"
            " FROM membership m, role_step s WHERE s.id = m.step_id AND m.person_id = NEW.id"
            " AND m.status = 'active'" + ON_COUNT,
            COUNT + f"SELECT 0, r.dimension, r.grp, {answer}, {sign} FROM report_person r"
            " WHERE r.person_id = NEW.id AND r.n > 0" + ON_COUNT,
        ]
    return statements


def category_moved() -> list[str]:
    """A step's role category changed: its active memberships move between the role groups
    (the organisation's counts follow the person rows' trigger)."""
    statements = []
    for category, sign in (("OLD.category", "-"), ("NEW.category", "")):
        statements += [
            COUNT + f"SELECT m.project_id, 'role', {category}, p.client_background,"
            f" {sign}COUNT(*) FROM membership m, person p WHERE p.id = m.person_id"
            " AND m.step_id = NEW.id AND m.status = 'active'"
            " GROUP BY m.project_id, p.client_background" + ON_COUNT,
            PERSON + f"SELECT m.person_id, 'role', {category}, {sign}COUNT(*) FROM membership m"
            " WHERE m.step_id = NEW.id AND m.status = 'active' GROUP BY m.person_id" + ON_PERSON,
        ]
    return statements


def person_leaves() -> list[str]:
    """Before a person is deleted: their memberships first (the seats are taken away while
    their answer can be read), then their person rows (all at 0 by then)."""
    return [
        "DELETE FROM membership WHERE person_id = OLD.id",
        "DELETE FROM report_person WHERE person_id = OLD.id",
    ]


def organisation_seat() -> list[str]:
    """A person's number in a group went from 0 to more (+1) or back (-1): the person is
    added to or taken from the organisation's group, under their answer."""
    return [
        COUNT + "SELECT 0, NEW.dimension, NEW.grp, p.client_background,"
        " CASE WHEN NEW.n > 0 THEN 1 ELSE -1 END FROM person p WHERE p.id = NEW.person_id"
        + ON_COUNT
    ]


MEMBERSHIP_COLUMNS = ("person_id", "project_id", "layer", "step_id", "status")


def _changed(columns, sqlite: bool) -> str:
    same = "IS NOT" if sqlite else "IS DISTINCT FROM"
    return " OR ".join(f"OLD.{c} {same} NEW.{c}" for c in columns)


# (name, table, timing and event, WHEN condition or None, statements), per dialect.
def _triggers(sqlite: bool) -> list[tuple]:
    return [
        ("membership_count_insert", "membership", "AFTER INSERT", None, seat("NEW", "1")),
        ("membership_count_delete", "membership", "AFTER DELETE", None, seat("OLD", "-1")),
        (
            "membership_count_update",
            "membership",
            f"AFTER UPDATE OF {', '.join(MEMBERSHIP_COLUMNS)}",
            _changed(MEMBERSHIP_COLUMNS, sqlite),
            seat("OLD", "-1") + seat("NEW", "1"),
        ),
        (
            "person_count_answer",
            "person",
            "AFTER UPDATE OF client_background",
            _changed(("client_background",), sqlite),
            answer_moved(),
        ),
        ("person_count_delete", "person", "BEFORE DELETE", None, person_leaves()),
        (
            "role_step_count_category",
            "role_step",
            "AFTER UPDATE OF category",
            _changed(("category",), sqlite),
            category_moved(),
        ),
        (
            "report_person_insert",
            "report_person",
            "AFTER INSERT",
            "NEW.n > 0",
            organisation_seat(),
        ),
        (
            "report_person_update",
            "report_person",
            "AFTER UPDATE OF n",
            "(OLD.n > 0) <> (NEW.n > 0)",
            organisation_seat(),
        ),
    ]


def count_triggers(db) -> None:
    """Create the triggers that keep report_count and report_person."""
    sqlite = isinstance(db, SqliteDatabase)
    for name, table, event, when, statements in _triggers(sqlite):
        condition = f" WHEN ({when})" if when else ""
        body = "; ".join(statements)
        if sqlite:
            db.execute_sql(
                f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW{condition}"
                f" BEGIN {body}; END"
            )
            continue
        returns = "OLD" if event.startswith("BEFORE DELETE") else "NULL"
        db.execute_sql(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" PERFORM pg_advisory_xact_lock({LOCK}); {body}; RETURN {returns}; END $$"
        )
        db.execute_sql(
            f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW{condition}"
            f" EXECUTE FUNCTION {name}()"
        )


FILL_PERSON = (
    "INSERT INTO report_person (person_id, dimension, grp, n)"
    " SELECT person_id, 'layer', layer, COUNT(*) FROM membership WHERE status = 'active'"
    " GROUP BY person_id, layer"
    " UNION ALL"
    " SELECT m.person_id, 'role', s.category, COUNT(*) FROM membership m"
    " JOIN role_step s ON s.id = m.step_id WHERE m.status = 'active'"
    " GROUP BY m.person_id, s.category"
)
FILL_PROJECTS = (
    "INSERT INTO report_count (scope, dimension, grp, answer, n)"
    " SELECT m.project_id, 'layer', m.layer, p.client_background, COUNT(*) FROM membership m"
    " JOIN person p ON p.id = m.person_id WHERE m.status = 'active'"
    " GROUP BY m.project_id, m.layer, p.client_background"
    " UNION ALL"
    " SELECT m.project_id, 'role', s.category, p.client_background, COUNT(*) FROM membership m"
    " JOIN person p ON p.id = m.person_id JOIN role_step s ON s.id = m.step_id"
    " WHERE m.status = 'active' GROUP BY m.project_id, s.category, p.client_background"
)
FILL_ORGANISATION = (
    "INSERT INTO report_count (scope, dimension, grp, answer, n)"
    " SELECT 0, r.dimension, r.grp, p.client_background, COUNT(*) FROM report_person r"
    " JOIN person p ON p.id = r.person_id WHERE r.n > 0"
    " GROUP BY r.dimension, r.grp, p.client_background"
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class ReportCount(Base):
        scope = IntegerField()
        dimension = CharField(max_length=8)
        grp = CharField(max_length=12)
        answer = CharField(max_length=8)
        n = IntegerField(default=0)

        class Meta:
            indexes = ((("scope", "dimension", "grp", "answer"), True),)

    class ReportPerson(Base):
        person_id = IntegerField()
        dimension = CharField(max_length=8)
        grp = CharField(max_length=12)
        n = IntegerField(default=0)

        class Meta:
            indexes = ((("person_id", "dimension", "grp"), True),)

    db.create_tables([ReportCount, ReportPerson])
    for statement in (FILL_PERSON, FILL_PROJECTS, FILL_ORGANISATION):
        db.execute_sql(statement)
    count_triggers(db)
    migrator.migrate(
        migrator.add_index("membership", ("settles_on",), False),
        migrator.add_index("person", ("background_settles_on",), False),
    )
