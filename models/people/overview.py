"""The coordinator overview (PRODUCT.md "Role growth"): who is where, recent changes, who
wants to grow and whose development conversation is overdue; one query each.

At federation scale (5,000 people, issue 13) none of the lists is whole: "who is at which
step" goes a page at a time (models/paging.py), the other three show their first
SHORT_LIST, and a search on the name narrows all four."""

import datetime as dt

from models.clock import today
from models.paging import keyset_page
from models.people.tables import Conversation, Membership, StepChange
from models.person import Person

STALE_CONVERSATION_DAYS = 183  # PRODUCT.md: last development conversation older than 6 months
RECENT_DAYS = 92  # "changes in the last 3 months"
SHORT_LIST = 50  # the three shorter lists show this many, then "search for a name"


def at_step_keys(m):
    """The order of "who is at which step": step, name, then the membership; the step's
    position and the name as the membership keeps them (the database's triggers keep them
    equal to RoleStep.position and COALESCE(Person.display_name, '')), so an index gives
    the order and the first page reads 51 rows, not every membership."""
    return [m.sort_position, m.sort_name, m.id]


def overview_lists(
    project_id: int | None, search: str = "", after: int | None = None, before: int | None = None
) -> dict:
    """The overview of one project, or (None) of the whole organisation, for the people
    whose name holds `search`; "who is at which step" from the page `after`/`before`."""
    named = Person.name_matches(search)
    people_in_scope = Membership.in_scope(project_id) & named
    since = today() - dt.timedelta(days=RECENT_DAYS)
    stale_before = today() - dt.timedelta(days=STALE_CONVERSATION_DAYS)
    lists = {
        "at_step": keyset_page(
            Membership.at_steps(project_id, named),
            at_step_keys,
            Membership,
            after=after,
            before=before,
            descending=False,
        ),
        "recent": StepChange.recent(project_id, since, person_is=named, limit=SHORT_LIST + 1),
        "growing": Person.wanting_to_grow(people_in_scope, limit=SHORT_LIST + 1),
        "stale": Conversation.stale_among(people_in_scope, stale_before, limit=SHORT_LIST + 1),
    }
    # One more than shown says there are more (no COUNT).
    more = {name: len(lists[name]) > SHORT_LIST for name in ("recent", "growing", "stale")}
    for name in more:
        lists[name] = lists[name][:SHORT_LIST]
    return {**lists, "more": more}
