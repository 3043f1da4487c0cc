"""Issue 22, section 1: the 51% what-if helps a coordinator who may not see answers. One calm
sentence instead of a red list: how many answers in the touched groups the coordinator cannot
see, the groups whose outcome is certain on what they may count, and the tick only where a
group may really fall below 51% (docs/rules.md "The what-if without every answer")."""

import itertools
import re

from models.db import database
from models.organisation import Project
from models.people import Person, RoleStep
from models.people.whatif import can_fall, verdict
from models.rules.representation import Change, GroupResult, passes
from tests.conftest import post
from tests.people.conftest import person_id

WOORDWERK = "Uitgeverij Woordwerk"


def _whatif(page: str) -> str:
    return re.search(r'<section aria-labelledby="whatif-heading".*?</section>', page, re.S).group(0)


def _add_participant(client, data=None):
    project = Project.get(Project.name == WOORDWERK)
    url = f"/projects/{project.id}/memberships/new"
    data = data or {
        "person": "0",
        "new_person": "Nieuwe Nina",
        "step": str(RoleStep.get(RoleStep.position == 1).id),
        "layer": "execution",
        "since": "2026-11-01",
    }
    return url, data, post(client, url, data)


def test_nobody_sharing_adding_someone_shows_one_calm_sentence(as_viewer, db):
    # The stumble: with nobody sharing, adding one person showed four red lines "niet te
    # zeggen: … antwoorden zijn privé: kan onder 51% komen" and always asked for the tick.
    client = as_viewer("coordinator")
    url, data, first = _add_participant(client)
    section = _whatif(first.text)
    assert first.status_code == 200
    assert 'class="fail"' not in section and "niet te zeggen" not in section
    assert section.count("<p") == 1  # one sentence (and a plain list of what is certain)
    # 15 people in the touched groups did not share (the new person has no answer yet).
    assert "15 mensen in de groepen van deze wijziging" in section
    assert "kunnen 3 groepen onder 51% komen" in section
    # Woordwerk's participants (2 → 3) cannot fall below 51% by one more person, whatever
    # the two answers are: that is said plainly and asks no tick for that group.
    assert (
        "Rol: Deelnemer in Uitgeverij Woordwerk</strong>: komt door deze wijziging niet onder "
        "51%; de uitkomst is voor jou onbekend"
    ) in section
    # The other three may really fall below 51%: the tick stays for them.
    assert post(client, url, {**data, "confirmed": "1"}).status_code == 400
    saved = post(
        client, url, {**data, "confirmed": "1", "accept_below": "y"}, follow_redirects=False
    )
    assert saved.status_code == 303


def _share_all_but(name: str) -> None:
    with database.connection_context():
        Person.update(share_background=True, background_shared_at=None).where(
            Person.display_name != name
        ).execute()


def test_a_group_certain_on_shared_answers_says_so_and_asks_no_tick(as_viewer, db):
    # Everyone shared with the coordinators of their projects except Mo (execution in De
    # Schakel): Woordwerk's groups are counted, the organisation's execution holds one answer
    # Kim cannot see, and passes whatever it is.
    _share_all_but("Mo")
    client = as_viewer("coordinator")
    url, data, first = _add_participant(client)
    section = _whatif(first.text)
    assert "1 persoon in de groepen van deze wijziging heeft het antwoord niet" in section
    assert "Wat die antwoorden ook zijn: geen groep komt door deze wijziging onder 51%." in section
    assert (
        "Laag: Uitvoering in Uitgeverij Woordwerk</strong>: blijft op 51% of meer, wat die "
        "antwoorden ook zijn"
    ) in section
    assert "Laag: Uitvoering in de hele organisatie</strong>: blijft op 51% of meer" in section
    assert 'name="accept_below"' not in first.text
    saved = post(client, url, {**data, "confirmed": "1"}, follow_redirects=False)
    assert saved.status_code == 303 and person_id("Nieuwe Nina")


def _result(people, yes, private):
    return GroupResult(
        "p", "layer", "execution", people=people, yes=yes, not_said=0, private=private
    )


def test_can_fall_is_exactly_whether_some_answers_make_the_group_fall():
    # Brute force over every answer the actor cannot see: the people in the group on both
    # sides (the same answers), the ones who leave and the ones who join.
    for known_yes, common, left, joined, known_b, known_a in itertools.product(
        range(3), range(5), range(2), range(2), range(3), range(3)
    ):
        if known_yes > min(known_b, known_a):
            continue
        nb, na = known_b + common + left, known_a + common + joined
        if not nb or not na:
            continue
        before = _result(nb, known_yes, common + left)
        after = _result(na, known_yes, common + joined)
        change = Change("p", "layer", "execution", before, after)
        brute = any(
            passes(known_yes + x + u, nb) and not passes(known_yes + x + v, na)
            for x in range(common + 1)
            for u in range(left + 1)
            for v in range(joined + 1)
        )
        if left and joined:
            continue  # a one-way change never moves people both ways in one group
        assert can_fall(change) == brute, (known_yes, common, left, joined, known_b, known_a)
        # Never less careful than asking on each side alone.
        assert not brute or change.may_fall_below


def test_without_private_answers_can_fall_is_falls_below():
    for people, yes, more in itertools.product(range(1, 9), range(9), range(-1, 2)):
        if yes > people or not 0 <= yes + max(more, 0) <= people + more or people + more < 1:
            continue
        after = _result(people + more, min(yes, people + more), 0)
        change = Change("p", "layer", "execution", _result(people, yes, 0), after)
        assert can_fall(change) == change.falls_below
        assert verdict([change], confirmed=True, accepted_below=False, one_way=True) == (
            "tick" if change.falls_below else None
        )
