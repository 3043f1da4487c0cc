"""The organisation's 51% report kept in the process between changes (issue 23 point 3,
models/people/live_report.py): the first call after a change reads only the count rows that
change moved, and gives the report of the data as it is; so do a copy of the database with
another history (in the same process), a renamed project, counts changed by hand and a
recount."""

from models import tenancy
from models.clock import today
from models.db import database, open_database
from models.organisation import Project
from models.people import Membership, live_report
from models.people.kept_counts import ReportCount
from models.people.representation import (
    _results,
    _tally,
    recount_report,
    representation_report,
)
from tests.people.test_kept_report import START
from tests.people.test_report import build_ladder, empty_db, fill  # noqa: F401 (a fixture)


def truth(on=None):
    """The report counted from the memberships (not from the kept counts)."""
    return _results(_tally(None, on=on))


def committed(write):
    with database.atomic():
        write()


def test_a_change_reads_only_the_count_rows_it_moved(empty_db):  # noqa: F811
    committed(lambda: fill(START))
    assert representation_report() == truth()
    kept = live_report._kept[tenancy.current_id()]
    first = Membership.select().order_by(Membership.id).first()
    committed(lambda: Membership.update(status="paused").where(Membership.id == first.id).execute())
    moved = [row for row in live_report._CHANGES.rows(stamp=kept.stamp) if row[1] is not None]
    # Its project's layer and role group, and the organisation's (the person's only seat).
    assert len(moved) == 4
    assert representation_report() == truth()
    assert representation_report(published=True) == truth(on=today())


def test_copies_with_other_histories_each_get_their_own_report(databases):
    urls = [databases.fresh(build_ladder) for _ in range(2)]
    try:
        for url in urls:  # the same start in both: the same rows with the same stamps
            open_database(url)
            with database.connection_context():
                committed(lambda: fill(START))
                assert representation_report() == truth()
        reports = []
        for turn in range(3):
            for n, url in enumerate(urls):
                # Another membership paused in each copy: the same stamps on other rows.
                open_database(url)
                with database.connection_context():
                    one = Membership.select().order_by(Membership.id)[turn * 2 + n]
                    committed(
                        lambda one=one: (
                            Membership.update(status="paused")
                            .where(Membership.id == one.id)
                            .execute()
                        )
                    )
                    expected = truth()
                    assert representation_report() == expected
                    reports.append(expected)
        assert reports[0] != reports[1]  # what the first copy kept would be wrong here
    finally:
        database.close()
        for url in urls:
            databases.discard(url)


def test_a_renamed_project_counts_changed_by_hand_and_a_recount(empty_db):  # noqa: F811
    committed(lambda: fill(START))
    assert representation_report() == truth()
    # A rename moves the project's groups in the report's order (no count row changes).
    committed(lambda: Project.update(name="Zulu").where(Project.name == "Alfa").execute())
    assert representation_report() == truth()
    assert any(result.scope == "Zulu" for result in representation_report())
    # Counts changed past the app (then a counted change): the report says what the counts
    # say, until a recount counts everything again.
    committed(lambda: ReportCount.update(n=ReportCount.n + 3).where(ReportCount.n > 0).execute())
    committed(lambda: ReportCount.delete().where(ReportCount.scope == 0).execute())
    first = Membership.select().order_by(Membership.id).first()
    committed(lambda: Membership.update(status="paused").where(Membership.id == first.id).execute())
    assert representation_report() != truth()
    assert recount_report() > 0
    assert representation_report() == truth()
    assert representation_report(published=True) == truth(on=today())
