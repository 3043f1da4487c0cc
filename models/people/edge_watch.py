"""The edge watch (issue 19, finding H2; docs/rules.md "Published figures that cannot be
steered"): a privacy-right holder is told when one account's changes move a group across its
51% edge and that account then changes who is in the same group again within ALERT_DAYS.

That is the shape of bracketing one answer: fill a group until it falls (a crossing), step
back to the edge (a second crossing) or add the person whose answer is wanted (a change
after a crossing), read the result. The published figures already hold every such change back
SETTLE_DAYS (models/people/representation.py); this watch tells the privacy right before any
of it can show. Each membership capability runs inside `watching(...)`: it compares the live
report before and after the change, in the change's own transaction. What is stored (which
group, which account, whether it crossed) is read only by holders of the privacy right (on
the 51% page); it holds no answers.
"""

import datetime as dt
from contextlib import contextmanager

from peewee import JOIN, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, fn

from models.clock import now
from models.db import BaseModel
from models.organisation import Project
from models.people.representation import representation_report
from models.person import Person

ALERT_DAYS = 30


class EdgeEvent(BaseModel):
    """One change by one account to who is in a group: one that moved the group across its
    51% edge (`crossed`), or any later change to a group the same account moved across within
    ALERT_DAYS (`alert`: a privacy-right holder is told)."""

    account_id = IntegerField(null=True, index=True)
    person = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    project = ForeignKeyField(Project, null=True, on_delete="CASCADE", backref="+")
    scope = CharField(max_length=120)
    dimension = CharField(max_length=8)
    grp = CharField(max_length=12)
    crossed = BooleanField(default=False)
    alert = BooleanField(default=False)
    at = DateTimeField(default=now, index=True)

    @classmethod
    def recent_alerts(cls, limit: int = 20) -> list:
        """The alerts of the last ALERT_DAYS per account and group, newest first: who (the
        person behind the account), which group, how many alerting changes (one query)."""
        since = now() - dt.timedelta(days=ALERT_DAYS)
        return list(
            cls.select(
                Person.display_name.alias("person_name"),
                cls.scope,
                cls.dimension,
                cls.grp,
                fn.COUNT(cls.id).alias("changes"),
                fn.MAX(cls.at).alias("last"),
            )
            .join(Person, JOIN.LEFT_OUTER, on=(cls.person == Person.id))
            .where(cls.alert & (cls.at >= since))
            .group_by(cls.person, Person.display_name, cls.scope, cls.dimension, cls.grp)
            .order_by(fn.MAX(cls.at).desc())
            .limit(limit)
            .dicts()
        )


def _results(report) -> dict:
    return {r.key: r.passes for r in report}


@contextmanager
def watching(actor_account: int | None, actor_person: int | None):
    """Around a membership change, inside its transaction: afterwards, every group whose
    people changed is compared with before; a crossing, or a change after this account's
    own crossing of the same group within ALERT_DAYS, is written down (see EdgeEvent). A
    change made without an account (the demo, a restore) is not watched."""
    if actor_account is None:
        yield
        return
    before = {r.key: r for r in representation_report()}
    yield
    after = {r.key: r for r in representation_report()}
    since = now() - dt.timedelta(days=ALERT_DAYS)
    projects = {p.name: p.id for p in Project.select(Project.id, Project.name)}
    for key in before.keys() | after.keys():
        b, a = before.get(key), after.get(key)
        if b is not None and a is not None and (b.people, b.yes) == (a.people, a.yes):
            continue
        crossed = b is not None and a is not None and b.passes != a.passes
        scope, dimension, group = key
        earlier = EdgeEvent.select().where(
            (EdgeEvent.account_id == actor_account)
            & EdgeEvent.crossed
            & (EdgeEvent.scope == scope)
            & (EdgeEvent.dimension == dimension)
            & (EdgeEvent.grp == group)
            & (EdgeEvent.at >= since)
        )
        again = earlier.exists()
        if crossed or again:
            EdgeEvent.create(
                account_id=actor_account,
                person=actor_person,
                project=projects.get(scope),
                scope=scope,
                dimension=dimension,
                grp=group,
                crossed=crossed,
                alert=again,
            )
