"""The 51% report in SQL: grouped counts per layer and per role category (PRODUCT.md).

The counting happens in the database (grouped COUNTs, each person once per organisation
group), never by loading people into Python: the report takes the same two queries at any
size, and Python only adds up the grouped counts (at most projects × 3 × 3 × 3 rows).

Kept, not recounted (issue 23 point 3): the live counts per group are kept by the database
in the same transaction as every change that moves them (models/people/kept_counts.py), so
the full report reads them in one query, also on the first call after a change and inside a
transaction (the edge watch's before and after, a what-if). The published figures of a day
are those kept counts with the people whose membership or answer has not settled by that day
counted afresh, as published and as live (kept_counts.counted): a few people, whatever the
size of the organisation. On top, the report built from them is kept in the process per
ReportVersion token (issue 13: database triggers give every counted change a new token), so
a repeated call costs one query.
The pure rules (pass, share, order, what-if) live in models.rules.representation; the
what-if of a change in models.people.whatif.

Published figures (issue 19, finding H2; docs/rules.md "Published figures that cannot be
steered"): everyone without the privacy right sees the report as published today, in which a
membership counts as it stood before any change not yet settled (growth.py sets
`Membership.settles_on`, SETTLE_DAYS after a change, and keeps the prior state until then): a
new membership counts only once it settled, one added and ended within those days never
does, and what a coordinator does today shows at the earliest SETTLE_DAYS later, at the
turn of a day, whatever the time of the change. The privacy right sees the live report.
"""

import secrets
import threading
from collections import OrderedDict

from peewee import Case, Query, Tuple, Value, fn

from models import tenancy
from models.actor import Actor
from models.clock import today
from models.db import database
from models.organisation import Project
from models.people.kept_counts import counted, rebuild_report_counts, unsettled_delta
from models.people.live_report import PRIVATE, Assembled, live_report
from models.people.tables import Membership, Person, ReportVersion, RoleStep
from models.people.visibility import answers_known_to
from models.rules.representation import FAIL, OPEN, ORGANISATION, GroupResult
from models.sql_once import Shaped, Slot, in_size, in_slots, in_values

# The ReportVersion row of the 51% report.
REPORT = "representation"
# Full reports kept in this process, by (organisation, ReportVersion token, project id or
# None): per organisation only those of its latest token seen (an older one never comes
# back), so at most the organisation's and one per project; KEPT_REPORTS bounds them all.
KEPT_REPORTS = 512
_kept: OrderedDict = OrderedDict()
_kept_lock = threading.Lock()
_private_kept: OrderedDict = OrderedDict()  # id(full tally) → (that tally, _all_private)


def _seat(on):
    """How a membership is counted: live (`on` None) its layer, step and status; published
    (`on` a day) its state as it was before any change not settled by that day (see
    `published_report`): the prior state, and a new membership (prior status NEW) not at
    all. Returns (layer, step id, status) as SQL expressions."""
    if on is None:
        return Membership.layer, Membership.step, Membership.status
    settled = Membership.settles_on.is_null() | (Membership.settles_on <= on)
    return (
        Case(None, [(settled, Membership.layer)], Membership.prior_layer),
        Case(None, [(settled, Membership.step)], Membership.prior_step),
        Case(None, [(settled, Membership.status)], Membership.prior_status),
    )


def _answer(on):
    """A person's answer as counted: live (`on` None) the answer; published, the answer
    before one recorded by someone else that has not settled by that day
    (`Person.prior_background`, models/people/background.py `unsettle_background`)."""
    if on is None:
        return Person.client_background
    settled = Person.background_settles_on.is_null() | (Person.background_settles_on <= on)
    return Case(None, [(settled, Person.client_background)], Person.prior_background)


def _project_counts(project_id: int | None, people=None, on=None) -> list[dict]:
    """Per project, layer, role category and answer: how many active memberships (one
    grouped query; a person is in a project at most once, so no DISTINCT is needed).
    `people`: only the memberships of these person ids (None: everyone's); `on`: the
    published state of that day (None: live). Its SQL is built once per shape
    (models/sql_once.py): the banner of every project page asks it for the answers known
    to the viewer."""
    if people is not None:
        people = list(people)
        if not people:
            return []
    size = None if people is None else in_size(len(people))
    prepared = _PROJECT_COUNTS(project=project_id is not None, people=size, on=on is not None)
    values = {} if people is None else in_values("person", people, size)
    return prepared.rows(project=project_id, on=on, **values)


def _organisation_counts(people=None, on=None) -> list[dict]:
    """Per dimension, group and answer: how many people, each person once per group (one
    query over the distinct (person, group) pairs of both dimensions). `people`: only these
    person ids (None: everyone); `on` as in `_project_counts`; built once per shape too."""
    if people is not None:
        people = list(people)
        if not people:
            return []
    size = None if people is None else in_size(len(people))
    prepared = _ORGANISATION_COUNTS(people=size, on=on is not None)
    values = {} if people is None else in_values("person", people, size)
    return prepared.rows(on=on, **values)


def _slots(people, on):
    return (
        None if people is None else in_slots("person", people),
        Slot("on") if on else None,
    )


_PROJECT_COUNTS = Shaped(
    lambda project, people, on: _project_counts_query(
        Slot("project") if project else None, *_slots(people, on)
    )
)
_ORGANISATION_COUNTS = Shaped(lambda people, on: _organisation_counts_query(*_slots(people, on)))


def _project_counts_query(project_id, people=None, on=None):
    """The query of `_project_counts`, with values or slots."""
    layer, step, status = _seat(on)
    answer = _answer(on)
    query = (
        Membership.select(
            Project.name.alias("scope"),
            layer.alias("layer"),
            RoleStep.category.alias("category"),
            answer.alias("background"),
            fn.COUNT(Membership.id).alias("n"),
        )
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(RoleStep, on=(step == RoleStep.id))
        .switch(Membership)
        .join(Project, on=(Membership.project == Project.id))
        .where(_active(status, people))
        .group_by(
            Membership.project,
            Project.name,
            layer,
            RoleStep.category,
            answer,
        )
    )
    if project_id is not None:
        query = query.where(Membership.project == project_id)
    if people is not None:
        query = query.where(Membership.person.in_(_ids(people)))
    return query.dicts()


def _active(status, people):
    """The condition "counted as active". For some people only, written so that no index on
    the status can answer it (`status || ''`, SQLite's way to say so): without statistics
    SQLite read every active membership along that index (5-8 ms at federation scale)
    instead of the few people's along the person's."""
    if people is None:
        return status == "active"
    return status.concat("") == "active"


def _ids(people):
    """Person ids for `IN`: a query of ids as it is, slots as a list of placeholders (not
    converted as ids), else a list."""
    if isinstance(people, Query):
        return people
    people = list(people)
    if people and isinstance(people[0], Slot):
        return Tuple(*people)
    return people


def _organisation_counts_query(people=None, on=None):
    """The query of `_organisation_counts`, with values or slots."""
    layer, step, status = _seat(on)
    active = _active(status, people)
    if people is not None:
        active &= Membership.person.in_(_ids(people))
    by_layer = (
        Membership.select(
            Value("layer").alias("dimension"),
            Membership.person.alias("pid"),
            layer.alias("grp"),
        )
        .where(active)
        .distinct()
    )
    by_role = (
        Membership.select(
            Value("role").alias("dimension"),
            Membership.person.alias("pid"),
            RoleStep.category.alias("grp"),
        )
        .join(RoleStep, on=(step == RoleStep.id))
        .where(active)
        .distinct()
    )
    pairs = (by_layer + by_role).alias("pairs")  # UNION ALL: the dimensions never overlap
    return (
        Person.select(
            pairs.c.dimension,
            pairs.c.grp,
            _answer(on).alias("background"),
            fn.COUNT(Person.id).alias("n"),
        )
        .join(pairs, on=(pairs.c.pid == Person.id))
        .group_by(pairs.c.dimension, pairs.c.grp, _answer(on))
        .dicts()
    )


def _tally(project_id: int | None, people=None, on=None) -> dict:
    """(scope, dimension, group) → {answer: how many}, counted in the database (`on`: the
    published state of that day, None: live)."""
    tally: dict = {}
    if project_id is None:
        for row in _organisation_counts(people, on):
            key = (ORGANISATION, row["dimension"], row["grp"])
            _add(tally, key, row["background"], row["n"])
    for row in _project_counts(project_id, people, on):
        _add(tally, (row["scope"], "layer", row["layer"]), row["background"], row["n"])
        _add(tally, (row["scope"], "role", row["category"]), row["background"], row["n"])
    return tally


def _full(project_id: int | None, on=None) -> tuple[dict, list[GroupResult]]:
    """The full tally and its results (GroupResult is frozen, so a kept list is shared
    safely), from the kept counts (kept_counts.counted). Outside a transaction the result is also
    kept in the process per ReportVersion token (and, published, per day); inside one it is
    read again (the transaction may hold changes not committed: a what-if's savepoint).
    The organisation's report on a new token is the one live_report keeps, brought up to
    date with the count rows changed since (and, published, the people not settled put
    back as published)."""
    if database.in_transaction():
        tally = counted(project_id, on)
        return tally, _results(tally)
    token = ReportVersion.current(REPORT)
    if token is None:
        tally = counted(project_id, on)
        return tally, _results(tally)
    # Per organisation too: on SQLite each has its own file, and tokens are only random.
    organisation = tenancy.current_id()
    key = (organisation, token, project_id, on)
    with _kept_lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    if project_id is None:
        assembled = _published(live_report(), on)
        kept = (assembled.tally, assembled.report())
    else:
        tally = counted(project_id, on)
        kept = (tally, _results(tally))
    if ReportVersion.current(REPORT) != token:
        # A change committed while this was read (in two or three statements): right for
        # this call at most, never kept for the token read before it.
        return kept
    with _kept_lock:
        # The data changed: what was kept for the organisation's old token is of no use.
        for old in [k for k in _kept if k[0] == organisation and k[1] != token]:
            del _kept[old]
        _kept[key] = kept
        while len(_kept) > KEPT_REPORTS:
            _kept.popitem(last=False)
    return kept


def _published(live: Assembled, on) -> Assembled:
    """The organisation's report as published on day `on` (None: live as it is): the live
    one with the groups of the people not settled by then counted as published
    (kept_counts.unsettled_delta, a few rows)."""
    if on is None:
        return live
    changed = {}
    for key, delta in unsettled_delta(None, on).items():
        before = live.tally.get(key, {})
        answers = dict(before)
        for answer, n in delta.items():
            answers[answer] = answers.get(answer, 0) + n
        answers = {answer: n for answer, n in answers.items() if n}
        if answers != before:
            changed[key] = answers
    return live.patched(changed)


def recount_report() -> int:
    """Count the 51% report's groups again from the memberships and keep that (`tafel
    recount`; the counts are kept by the database with each change, so this repairs only a
    database changed past its triggers); returns how many counts were kept wrong. One
    transaction."""
    with database.atomic():
        wrong = rebuild_report_counts(lambda: _tally(None))
        # A report kept for the token before was built from the counts before.
        ReportVersion.update(token=secrets.token_hex(16), changes=ReportVersion.changes + 1).where(
            ReportVersion.name == REPORT
        ).execute()
    return wrong


def _results(tally: dict) -> list[GroupResult]:
    """The results of a tally in the report's order."""
    return Assembled.of(tally).report()


def _add(tally, key, background, n):
    answers = tally.setdefault(key, {})
    answers[background] = answers.get(background, 0) + n


def representation_report(project=None, known=None, *, published=False) -> list[GroupResult]:
    """The 51% check for the organisation and every project, or for one project only.

    `known` (person ids, see visibility.answers_known_to) counts only those people's answers;
    the others are in each group's `private` count. None counts every answer.

    A group holds the active memberships in its scope; at organisation level a person counts
    once per group. Empty groups do not appear. Rows come in the order of representation.csv:
    the organisation first, then projects by name; layers, then roles.

    The full count comes from the kept counts (kept_counts.counted), and the report built from it is
    kept in the process until the next change it counts (one query for its token). With
    `known`, the answers of those people are counted afresh (two grouped queries for the
    organisation, one for a project, over their memberships only) and every other person of
    a group is private: group size minus the people counted.

    With `published`, the published figures of today (`published_report`) instead of the
    live ones.
    """
    project_id = getattr(project, "id", project)
    on = today() if published else None
    full, results = _full(project_id, on)
    if known is None:
        return list(results)
    counted = _tally(project_id, known, on) if known else {}
    # Most groups hold none of the known answers: all private, the same results on every
    # call for the same kept report (kept beside it); only the groups with a known answer
    # are built anew, in their place in the report's order.
    base, place = _all_private(full)
    tally = {}
    for key, mine in counted.items():
        answers = full.get(key)
        if answers is not None:
            tally[key] = {**mine, PRIVATE: sum(answers.values()) - sum(mine.values())}
    if not tally:
        return list(base)
    results = list(base)
    for result in _results(tally):
        results[place[result.key]] = result
    return results


def _all_private(full: dict) -> tuple[list[GroupResult], dict]:
    """The results of the full tally with every answer private, and each group's place in
    them; kept for as long as the full tally itself is (the same object: `_full`'s kept
    report), else built anew."""
    with _kept_lock:
        hit = _private_kept.get(id(full))
        if hit is not None and hit[0] is full:
            return hit[1]
    results = _results({key: {PRIVATE: sum(a.values())} for key, a in full.items()})
    kept = (results, {r.key: i for i, r in enumerate(results)})
    with _kept_lock:
        _private_kept[id(full)] = (full, kept)
        while len(_private_kept) > KEPT_REPORTS:
            _private_kept.popitem(last=False)
    return kept


def visible_failures(actor: Actor, results, known=None) -> list:
    """Failing groups an actor may learn about. Holders of the privacy right: all of them.
    Others: the groups of 5 or more that fail (what the report shows every member), and the
    small groups that fail whatever the private answers are (`known`: the report counting
    only the answers shared with the actor, see visibility.answers_known_to). A small
    group's result is never taken from an answer the actor may not know: a failing group of
    two tells who answered what."""
    if actor.has_privacy_right or known is None:
        return [r for r in results if not r.passes]
    small_fails = {r.key for r in known if r.small and r.outcome == FAIL}
    return [r for r in results if not r.passes and (not r.small or r.key in small_fails)]


def private_small_groups(actor: Actor, known) -> bool:
    """Whether a small group's result depends on answers not shared with the actor (the
    banner then says that the privacy officer can check those groups). Only for coordinators
    (issue 22): they steer who is in a group; a member would read it on every project page
    without anything to do about it."""
    if actor.has_privacy_right or known is None or not actor.is_any_coordinator:
        return False
    return any(r.small and r.outcome == OPEN for r in known)


def report_for(actor: Actor, project=None) -> list[GroupResult]:
    """The full report as an actor may see it: live for the privacy right, the published
    figures of today (`published_report`) for everyone else."""
    return representation_report(project, published=not actor.has_privacy_right)


def banner(actor: Actor, project_id: int | None = None, results=None) -> dict:
    """The red banner of a project page (or of the whole report): `failures` as
    visible_failures gives them, and `private_groups` when small groups hold answers the
    actor may not count. `results`: the report of the same scope as `report_for` gives it
    to this actor, when at hand. Without the privacy right, everything here is the
    published figures (docs/rules.md "Published figures that cannot be steered")."""
    if results is None:
        results = report_for(actor, project_id)
    known_ids = answers_known_to(actor)
    known = (
        None if known_ids is None else representation_report(project_id, known_ids, published=True)
    )
    return {
        "failures": visible_failures(actor, results, known),
        "private_groups": private_small_groups(actor, known),
    }


def per_scope(results) -> dict[str, list]:
    """The report split per scope, keeping the report's order."""
    scopes: dict[str, list] = {}
    for result in results:
        scopes.setdefault(result.scope, []).append(result)
    return scopes


def project_links() -> dict[str, int]:
    """{project name: id}, to link each scope of the report to its project (read as
    tuples: 200 Project objects were a seventh of /representation's CPU)."""
    return {name: id_ for id_, name in Project.select(Project.id, Project.name).tuples()}
