"""Published figures that cannot be steered, by answers instead of memberships (issue 19,
H2; docs/rules.md "Published figures that cannot be steered").

A coordinator records client-background answers for the people of their project (with the
consent the form asks for). The published report counts those answers at once and the edge
watch does not see them, so the bracket of H2 works without one membership change: put
Tessa (the target) and some new people in the group, record "yes" for the new people, wait
until everything settled (and any alert of that day has expired), then record "no" for the
new people one by one and read the project's 51% page after each: the step at which the
group falls tells Tessa's answer. The replay must reveal nothing on the day, or the privacy
right must be told first.
"""

import datetime as dt
import re

from models import clock
from models.db import database
from models.people import EdgeEvent, Person
from models.people.edge_watch import ALERT_DAYS
from tests.conftest import post
from tests.people.test_published_figures import replays  # noqa: F401 (the fixture)

FILLERS = 12


def _record(replay, name: str, answer: str) -> None:
    with database.connection_context():
        person = Person.get(Person.display_name == name).id
    saved = post(
        replay.client,
        f"/people/{person}/background",
        {"answer": answer, "consent": "y", "consent_on": clock.today().isoformat()},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[-600:]


def test_answers_recorded_one_by_one_do_not_bracket_one_answer(replays):  # noqa: F811
    def play(replay):
        start = clock.now()
        with clock.fixed(start):
            replay.add_target()
            for _ in range(FILLERS):
                replay.add_filler()
                _record(replay, f"Nieuw {replay.fillers}", "yes")
        later = start + dt.timedelta(days=ALERT_DAYS + 1)  # settled, old alerts expired
        screens, alert_at = [], None
        with clock.fixed(later):
            from tests.conftest import login

            login(replay.client, "priya")
            screens.append(re.sub(r"\s+", " ", replay.screens()[0]))
            for number in range(1, FILLERS + 1):
                _record(replay, f"Nieuw {number}", "no")
                with database.connection_context():
                    told = EdgeEvent.select().where(EdgeEvent.alert & (EdgeEvent.at >= later))
                    if alert_at is None and told.exists():
                        alert_at = number
                screens.append(re.sub(r"\s+", " ", replay.screens()[0]))
            assert not replay.live()  # the group does fall on the way, in both copies
        return alert_at, screens

    seen = replays(play)
    (alert_yes, yes), (alert_no, no) = seen["yes"], seen["no"]
    differs = [i for i, (a, b) in enumerate(zip(yes, no, strict=True)) if a != b]
    # Nothing differs on the day, or the privacy right was told before the first difference.
    assert not differs or (alert_yes is not None and alert_yes < differs[0]), (
        differs,
        alert_yes,
        alert_no,
    )
