"""Web Push end to end (issue 21.4), against a push receiver on this machine (push_receiver.py)
that checks the VAPID signature and decrypts the message: a person allows their phone on
the page, news is told, the job sends ONE message per person per run, exactly once with two
workers at the same moment, and the message holds no name; a phone the push service says is
gone is forgotten."""

import datetime as dt
import json
import re
import threading

import pytest

from models.db import database
from models.news import push
from models.news.tables import NewsItem, PushSubscription
from models.news.tell import tell
from tests.conftest import post
from tests.meetings.conftest import person_id
from tests.news.push_receiver import Phone, PushReceiver, b64url

MOMENT = dt.datetime(2026, 6, 17, 8, 5)


def _allow(client, endpoint: str, phone: Phone):
    response = post(
        client,
        "/news/phone",
        {"endpoint": endpoint, "p256dh": phone.p256dh, "auth": b64url(phone.auth)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


def _two_workers(moment) -> list[int]:
    """The job run by two workers at once, each with its own connection."""
    done, start = [], threading.Barrier(2)

    def worker():
        with database.connection_context():
            start.wait()
            done.append(push.push_news(moment))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done


def test_news_reaches_the_phone_once_signed_encrypted_and_without_a_name(as_viewer, db):
    NewsItem.delete().execute()  # without the demo's own news (seeds/between.py)
    phone = Phone()
    with PushReceiver({"/push/anouk": phone}) as receiver:
        member = as_viewer("member")
        page = member.get("/news/phone").text
        settings = push.configured()
        assert f'data-key="{settings.public_key}"' in page
        _allow(member, receiver.origin + "/push/anouk", phone)
        _allow(member, receiver.origin + "/push/gone", Phone())
        assert "Toegevoegd op" in member.get("/news/phone").text
        anouk = person_id("Anouk B.")
        tell([anouk], "claim_paid", "claim:7:paid", "/budget/claims/7", {"amount_cents": 1250})
        tell([anouk], "swap_accepted", "swap:3:accepted", "/meetings/3", {"project": "Woordwerk"})

        assert sorted(_two_workers(MOMENT)) == [0, 1]
        assert receiver.refused == []
        assert len(receiver.messages) == 1
        path, plain, checked, headers = receiver.messages[0]
        assert checked["public_key"] == settings.public_key
        message = json.loads(plain)
        assert message == {
            "title": "Tafel",
            "body": "Er is nieuws voor je in Tafel",
            "url": settings.news_url,
        }
        everything = plain.decode() + json.dumps(headers) + json.dumps(checked["claims"])
        for secret in ("Anouk", "Woordwerk", "1250", "claim", "swap"):
            assert secret not in everything, secret
        # The phone that is gone is forgotten; the news is marked as pushed.
        assert [p.endpoint for p in PushSubscription.select()] == [receiver.origin + "/push/anouk"]
        assert NewsItem.select().where(NewsItem.pushed_at.is_null()).count() == 0
        # Nothing new: nothing sent. New news: one message again, in English for English.
        assert push.push_news(MOMENT) == 0
        db.execute_sql("UPDATE account SET language = 'en' WHERE username = 'anouk'")
        tell([anouk], "claim_approved", "claim:8:approved", "/budget/claims/8", {})
        assert push.push_news(MOMENT + dt.timedelta(minutes=1)) == 1
        assert json.loads(receiver.messages[-1][1])["body"] == "There is news for you in Tafel"
        # Read before the job came: not pushed.
        tell([anouk], "claim_paid", "claim:8:paid", "/budget/claims/8", {})
        member.get("/news")
        assert push.push_news(MOMENT + dt.timedelta(minutes=2)) == 0
        assert len(receiver.messages) == 2
        # Stopping the phone on the page: no more messages there.
        phone_id = re.search(r"/news/phone/(\d+)/stop", member.get("/news/phone").text).group(1)
        post(member, f"/news/phone/{phone_id}/stop")
        assert PushSubscription.select().count() == 0


def test_a_push_service_in_trouble_gets_the_news_again_one_that_refuses_does_not(db):
    anouk, dewi, kim = (person_id(n) for n in ("Anouk B.", "Dewi", "Kim (coördinatie)"))
    NewsItem.delete().execute()  # without the demo's own news (seeds/between.py)
    with PushReceiver({}) as receiver:
        for person, endpoint in (
            (anouk, "http://127.0.0.1:9/push"),  # nobody answers
            (dewi, receiver.origin + "/busy"),
            (kim, receiver.origin + "/refused"),
        ):
            PushSubscription.create(
                person=person, endpoint=endpoint, p256dh=Phone().p256dh, auth="YWJj"
            )
        tell([anouk, dewi, kim], "claim_paid", "claim:9:paid", "/budget/claims/9", {})
        assert push.push_news(MOMENT) == 0
    waiting = NewsItem.select(NewsItem.person).where(NewsItem.pushed_at.is_null())
    assert {n.person_id for n in waiting} == {anouk, dewi}
    assert PushSubscription.select().count() == 3


def test_only_push_services_are_sent_to_in_production():
    allowed = push.endpoint_allowed
    assert allowed("https://fcm.googleapis.com/fcm/send/abc", any_endpoint=False)
    assert allowed("https://web.push.apple.com/QAbc", any_endpoint=False)
    assert allowed("https://wns2-am3p.notify.windows.com/w/?token=x", any_endpoint=False)
    for endpoint in (
        "http://fcm.googleapis.com/x",
        "https://127.0.0.1/push",
        "https://fcm.googleapis.com.evil.example/x",
        "https://intranet.local/admin",
        "javascript:alert(1)",
    ):
        assert not allowed(endpoint, any_endpoint=False), endpoint
    assert allowed("http://127.0.0.1:8000/push", any_endpoint=True)
    assert not allowed("ftp://127.0.0.1/push", any_endpoint=True)


@pytest.mark.once
def test_an_endpoint_that_parsers_read_differently_is_refused():
    """urllib3 (which sends the push) ends the host at a backslash where urlsplit does not,
    so "https://127.0.0.1\\@fcm.googleapis.com/" would post to 127.0.0.1: an address with a
    user part, a backslash or a space is no push service's (review21)."""
    for endpoint in (
        "https://127.0.0.1\\@fcm.googleapis.com/fcm/send/abc",
        "https://127.0.0.1:443\\@fcm.googleapis.com/x",
        "https://user@fcm.googleapis.com/fcm/send/abc",
        "https://fcm.googleapis.com\\x/abc",
        "https://fcm.googleapis.com /abc",
    ):
        assert not push.endpoint_allowed(endpoint, any_endpoint=False), endpoint
        assert not push.endpoint_allowed(endpoint, any_endpoint=True), endpoint


def test_the_manifest_and_the_service_worker_are_there_for_everyone(as_viewer, db):
    anonymous = as_viewer("anonymous")
    manifest = anonymous.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == "/" and body["display"] == "standalone"
    for icon in body["icons"]:
        assert anonymous.get(icon["src"]).status_code == 200
    worker = anonymous.get("/push-worker.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert 'addEventListener("push"' in worker.text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in anonymous.get("/").text
