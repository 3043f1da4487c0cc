"""The background jobs' plumbing (models/jobs.py, webapp/jobs.py) and the news table's
"told once" rule (models/news/tell.py): what the jobs of issue 21 stand on."""

import datetime as dt
import threading

from starlette.testclient import TestClient

from models import clock, jobs
from models.accounts import AccessLink, Account, UserSession, cleanup
from models.news.tables import NewsItem
from models.news.tell import latest, mark_read, tell, unread_count
from models.people import Person
from webapp.cli import main


def test_news_is_told_once_per_person_and_read_per_person(db):
    anouk = Person.get(Person.display_name == "Anouk B.").id
    kim = Person.get(Person.display_name == "Kim (coördinatie)").id
    had = unread_count(anouk)  # the demo's own news for her (seeds/between.py)
    tell([anouk, kim, None, anouk], "claim_paid", "claim:1:paid", "/budget/claims/1", {"n": 1})
    # The same event again (a second worker, a job after a restart) stores nothing new.
    tell([anouk], "claim_paid", "claim:1:paid", "/budget/claims/1", {"n": 2})
    assert NewsItem.select().where(NewsItem.key == "claim:1:paid").count() == 2
    assert [item.params for item in latest(anouk) if item.key == "claim:1:paid"] == ['{"n": 1}']
    assert unread_count(anouk) == had + 1
    assert mark_read(anouk) == had + 1
    assert (unread_count(anouk), unread_count(kim)) == (0, 1)


def test_a_failing_job_is_logged_and_does_not_stop_the_others(db, monkeypatch, caplog):
    done = []

    def broken(now):
        raise RuntimeError("about Anouk")

    monkeypatch.setitem(jobs.JOBS, "a-broken", jobs.Job("a-broken", broken))
    monkeypatch.setitem(
        jobs.JOBS, "b-works", jobs.Job("b-works", lambda now: done.append(now) or 3)
    )
    result = jobs.run_due()
    assert result["a-broken"] == 0 and result["b-works"] == 3 and len(done) == 1
    # The log names the job and the error's kind, never the error's text (it may be data).
    assert "a-broken" in caplog.text and "RuntimeError" in caplog.text
    assert "Anouk" not in caplog.text


def test_the_command_and_the_server_ticker_run_the_jobs(db_url, data_dir, monkeypatch, capsys):
    ran = threading.Event()
    monkeypatch.setitem(jobs.JOBS, "probe", jobs.Job("probe", lambda now: ran.set() or 1))
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["jobs", "run"]) == 0
    assert "probe: 1" in capsys.readouterr().out
    ran.clear()
    # A server process runs the jobs when it starts (catching up), then every TAFEL_JOBS s.
    monkeypatch.setenv("TAFEL_JOBS", "30")
    from webapp.app import create_app

    with TestClient(create_app(db_url)):
        assert ran.wait(10)


def test_the_cleaning_job_forgets_what_ran_out_and_keeps_what_still_tells(db):
    # Sessions past their idle or absolute lifetime go; links nobody used go only long after
    # they ran out and once the person answered "mine" (models/accounts/cleanup.py).
    moment = clock.now()
    ago = lambda **kw: moment - dt.timedelta(**kw)  # noqa: E731
    account = Account.get(Account.username == "priya")
    sessions = {
        name: UserSession.create(key_hash=name * 8, account=account, created_at=created,
                                 last_seen_at=seen).id
        for name, created, seen in [("idle----", ago(hours=6), ago(hours=5)),
                                    ("absolute", ago(days=15), ago(minutes=1)),
                                    ("live----", ago(hours=1), ago(minutes=1))]
    }  # fmt: skip
    old = ago(days=31)
    links = {
        name: AccessLink.create(token_hash=name * 8, kind="reset", person=account.person_id,
                                expires_at=expires, used_at=used, answer=answer).id
        for name, expires, used, answer in [("gone----", old, None, "mine"),
                                            ("waiting-", old, None, None),
                                            ("not-me--", old, None, "not_me"),
                                            ("used----", old, ago(days=40), "mine"),
                                            ("recent--", ago(days=2), None, "mine")]
    }  # fmt: skip
    assert cleanup.clean(moment) == 3
    assert cleanup.clean(moment) == 0  # a second host, or the next tick, finds nothing
    kept = {s for s, i in sessions.items() if UserSession.get_or_none(id=i)}
    kept |= {k for k, i in links.items() if AccessLink.get_or_none(id=i)}
    assert kept == {"live----", "waiting-", "not-me--", "used----", "recent--"}
    assert "clean-sessions-links" in jobs.JOBS
