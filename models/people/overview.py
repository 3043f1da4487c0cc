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
from models.sql_once import Shaped, Slot

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
    }
    if " ".join((search or "").split()):
        lists["recent"] = StepChange.recent(
            project_id, since, person_is=named, limit=SHORT_LIST + 1
        )
        lists["growing"] = Person.wanting_to_grow(people_in_scope, limit=SHORT_LIST + 1)
        lists["stale"] = Conversation.stale_among(
            people_in_scope, stale_before, limit=SHORT_LIST + 1
        )
    else:  # without a search: the same three queries, their SQL built once (issue 23)
        shape = {"one_project": project_id is not None}
        values = {"project": project_id, "since": since, "before": stale_before}
        lists["recent"] = StepChange.with_step_names(_RECENT(**shape).rows(**values))
        lists["growing"] = _GROWING(**shape).rows(**values)
        lists["stale"] = Conversation.with_last_talk(_STALE(**shape).rows(**values))
    # One more than shown says there are more (no COUNT).
    more = {name: len(lists[name]) > SHORT_LIST for name in ("recent", "growing", "stale")}
    for name in more:
        lists[name] = lists[name][:SHORT_LIST]
    return {**lists, "more": more}


def _scope(one_project: bool):
    """Everyone with a membership not ended (in the project of the slot `project`), with any
    name (`Person.name_matches("")`: the same condition as without a search)."""
    return Membership.in_scope(Slot("project") if one_project else None) & Person.name_matches("")


_RECENT = Shaped(
    lambda one_project: StepChange.recent_query(
        Slot("project") if one_project else None,
        Slot("since"),
        person_is=Person.name_matches(""),
        limit=SHORT_LIST + 1,
    )
)
_GROWING = Shaped(
    lambda one_project: Person.growing_query(_scope(one_project), limit=SHORT_LIST + 1)
)
_STALE = Shaped(
    lambda one_project: Conversation.stale_query(
        _scope(one_project), Slot("before"), limit=SHORT_LIST + 1
    )
)
