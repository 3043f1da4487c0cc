"""/people's "who is at which step" reads a kept sort key (issue 23.4): every membership
keeps its step's position and its person's name, kept by the database whatever writes
(a new membership, a step change saved with stale keys, a rename, an erased name, a step
moved on the ladder), and the list's order is the order it had: step, name, membership."""

from peewee import fn

from models.organisation import Project
from models.people import Membership, RoleStep
from models.people.overview import overview_lists
from models.person import Person


def brute_force() -> dict[int, tuple[int, str]]:
    m = Membership
    rows = (
        m.select(m.id, RoleStep.position, fn.COALESCE(Person.display_name, ""))
        .join(RoleStep, on=(m.step == RoleStep.id))
        .switch(m)
        .join(Person, on=(m.person == Person.id))
        .tuples()
    )
    return {mid: (position, name) for mid, position, name in rows}


def kept() -> dict[int, tuple[int, str]]:
    m = Membership
    return {mid: (p, n) for mid, p, n in m.select(m.id, m.sort_position, m.sort_name).tuples()}


def test_the_kept_keys_follow_every_write(db):
    assert kept() == brute_force()
    steps = list(RoleStep.select().order_by(RoleStep.position))
    member = Membership.select().order_by(Membership.id).first()
    # A step change saved by peewee (which writes the stale keys it loaded back too).
    member.step = steps[-1] if member.step_id != steps[-1].id else steps[0]
    member.save()
    assert kept() == brute_force()
    # A rename, and an erased name.
    person = Person.get_by_id(member.person_id)
    Person.update(display_name="Aaa Eerst").where(Person.id == person.id).execute()
    assert kept()[member.id] == (brute_force()[member.id][0], "Aaa Eerst")
    Person.update(display_name=None).where(Person.id == person.id).execute()
    assert kept()[member.id][1] == ""
    assert kept() == brute_force()
    # A step moved on the ladder.
    RoleStep.update(position=RoleStep.position + 100).where(RoleStep.id == steps[0].id).execute()
    assert kept() == brute_force()
    # A new membership.
    newcomer = Person.create(display_name="Zz Nieuw")
    project = Project.select().first()
    Membership.create(person=newcomer, project=project, step=steps[1])
    assert kept() == brute_force()


def test_the_list_keeps_its_order_step_name_membership(db):
    Person.update(display_name="Aaa Eerst").where(
        Person.id == Membership.select(Membership.person).order_by(Membership.id.desc()).limit(1)
    ).execute()
    shown = [m.id for m in overview_lists(None)["at_step"]]
    truth = brute_force()
    current = {m.id for m in Membership.select(Membership.id).where(Membership.status != "ended")}
    expected = sorted((truth[i][0], truth[i][1], i) for i in current)
    assert shown == [i for _p, _n, i in expected][: len(shown)]
    assert shown
