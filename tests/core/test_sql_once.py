"""SQL built once (issue 23 point 2, models/sql_once.py): a Prepared query builds its SQL text
once per kind of database and then gives, for any values, the same rows as the same peewee
query built afresh; its values stay driver parameters (a value that looks like SQL is only a
value)."""

from models.meetings.stored_rota import coming_turns
from models.organisation import Project
from models.people import Membership, Person
from models.sql_once import Prepared, Slot


def test_a_prepared_query_is_built_once_and_reads_what_a_fresh_query_reads(db):
    built = []

    def build():
        built.append(1)
        return (
            Membership.select(Membership, Person)
            .join(Person, on=(Membership.person == Person.id))
            .where((Membership.project == Slot("project")) & (Membership.status == Slot("status")))
            .order_by(Membership.id)
        )

    prepared = Prepared(build)
    for project in Project.select():
        for status in ("active", "paused", "ended"):
            fresh = list(
                Membership.select(Membership, Person)
                .join(Person, on=(Membership.person == Person.id))
                .where((Membership.project == project.id) & (Membership.status == status))
                .order_by(Membership.id)
            )
            rows = prepared.rows(project=project.id, status=status)
            assert [(m.id, m.person.display_name, m.since) for m in rows] == [
                (m.id, m.person.display_name, m.since) for m in fresh
            ]
    assert len(built) == 1
    # A value is a parameter, never SQL: this one matches no status and harms nothing.
    assert prepared.rows(project=1, status="active' OR '1'='1") == []
    assert Membership.select().count() > 0


def test_the_prepared_hot_queries_read_what_they_did(db):
    """The project page's coming turns and a viewer's projects, against the plain queries
    they were (the session and rights queries are read by every signed-in test)."""
    from peewee import JOIN

    from models.meetings.stored_rota import RotaTurn

    t, chair, taker = RotaTurn, Person.alias(), Person.alias()
    for project in Project.select():
        plain = (
            t.select(t.meeting, t.date, chair.display_name, taker.display_name)
            .join(chair, JOIN.LEFT_OUTER, on=(t.chair == chair.id))
            .switch(t)
            .join(taker, JOIN.LEFT_OUTER, on=(t.minute_taker == taker.id))
            .where((t.project == project.id) & (t.position < 3))
            .order_by(t.position)
            .tuples()
        )
        assert [tuple(turn) for turn in coming_turns(project.id)] == list(plain)
    for person in Person.select():
        assert Membership.projects_of(person.id) == {
            m.project_id
            for m in Membership.select().where(
                (Membership.person == person.id) & (Membership.status != "ended")
            )
        }
