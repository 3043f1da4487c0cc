"""/people's "who is at which step" in index order (issue 23.4): the list is ordered by the
step's position, then the person's name, then the membership, and no index could give that
order (the position is on role_step, the name on person), so every request sorted all
memberships of the first steps (10 ms of SQL at federation scale on SQLite, more on
PostgreSQL). The membership now keeps both keys, `sort_position` and `sort_name`, indexed
with its id, and the list reads the first 51 rows of that index.

The database keeps them, whatever writes (as it keeps the 51% report's version token):
- a membership written (inserted, or updated in any way: peewee's save() writes every
  column, so a stale value it writes back is put right at once) takes its step's position
  and its person's name (COALESCE(display_name, ''), the order's own expression);
- a person renamed (or erased: no name) passes the name on to their memberships;
- a step moved on the ladder passes its position on to its memberships.
"""

from peewee import SqliteDatabase

KEYS = (
    "(SELECT position FROM role_step WHERE role_step.id = {m}.step_id)",
    "COALESCE((SELECT display_name FROM person WHERE person.id = {m}.person_id), '')",
)

PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION membership_sort_keys() RETURNS trigger AS $$
BEGIN
    NEW.sort_position := (SELECT position FROM role_step WHERE role_step.id = NEW.step_id);
    NEW.sort_name := COALESCE(
        (SELECT display_name FROM person WHERE person.id = NEW.person_id), '');
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION person_sort_name() RETURNS trigger AS $$
BEGIN
    UPDATE membership SET sort_name = COALESCE(NEW.display_name, '')
    WHERE person_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION role_step_sort_position() RETURNS trigger AS $$
BEGIN
    UPDATE membership SET sort_position = NEW.position WHERE step_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def sort_key_triggers(db) -> None:
    if isinstance(db, SqliteDatabase):
        position, name = (key.format(m="NEW") for key in KEYS)
        keep = (
            f"UPDATE membership SET sort_position = {position}, sort_name = {name}"
            " WHERE id = NEW.id"
        )
        for event in ("INSERT", "UPDATE"):
            db.execute_sql(
                f"CREATE TRIGGER membership_sort_keys_{event.lower()} AFTER {event} ON membership"
                f" FOR EACH ROW BEGIN {keep}; END"
            )
        db.execute_sql(
            "CREATE TRIGGER person_sort_name AFTER UPDATE OF display_name ON person"
            " FOR EACH ROW WHEN OLD.display_name IS NOT NEW.display_name BEGIN"
            " UPDATE membership SET sort_name = COALESCE(NEW.display_name, '')"
            " WHERE person_id = NEW.id; END"
        )
        db.execute_sql(
            "CREATE TRIGGER role_step_sort_position AFTER UPDATE OF position ON role_step"
            " FOR EACH ROW WHEN OLD.position IS NOT NEW.position BEGIN"
            " UPDATE membership SET sort_position = NEW.position WHERE step_id = NEW.id; END"
        )
        return
    db.execute_sql(PG_FUNCTIONS)
    db.execute_sql(
        "CREATE TRIGGER membership_sort_keys BEFORE INSERT OR UPDATE ON membership"
        " FOR EACH ROW EXECUTE FUNCTION membership_sort_keys()"
    )
    db.execute_sql(
        "CREATE TRIGGER person_sort_name AFTER UPDATE OF display_name ON person FOR EACH ROW"
        " WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)"
        " EXECUTE FUNCTION person_sort_name()"
    )
    db.execute_sql(
        "CREATE TRIGGER role_step_sort_position AFTER UPDATE OF position ON role_step"
        " FOR EACH ROW WHEN (OLD.position IS DISTINCT FROM NEW.position)"
        " EXECUTE FUNCTION role_step_sort_position()"
    )


def up(migrator, db):
    # Plain ALTER TABLE: peewee's SQLite migrator makes a NOT NULL column by copying the
    # table, which would drop membership's triggers (the 51% report's version token).
    db.execute_sql('ALTER TABLE membership ADD COLUMN "sort_position" INTEGER NOT NULL DEFAULT 0')
    db.execute_sql(
        "ALTER TABLE membership ADD COLUMN \"sort_name\" VARCHAR(80) NOT NULL DEFAULT ''"
    )
    position, name = (key.format(m="membership") for key in KEYS)
    db.execute_sql(f"UPDATE membership SET sort_position = {position}, sort_name = {name}")
    sort_key_triggers(db)
    migrator.migrate(
        migrator.add_index("membership", ("sort_position", "sort_name", "id"), False),
    )
