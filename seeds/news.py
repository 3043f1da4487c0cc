"""The demo's news (models/news): what the demo's decided claims and answered signals told
their people, each already read a day later, so the news page has lines to show and the
start page counts none as new. Told again nothing: a line told before stays as it is."""

import datetime as dt
import json

from peewee import chunked

from models.budget.tables import Claim
from models.meetings.project_tables import Signal
from models.news.tables import NewsItem
from models.organisation import Project

DAY = dt.timedelta(days=1)


def _line(person, kind, key, link, params, moment) -> dict:
    return {
        "person": person,
        "kind": kind,
        "key": key,
        "link": link,
        "params": json.dumps(params, sort_keys=True, ensure_ascii=False),
        "created_at": moment,
        "read_at": moment + DAY,
        "pushed_at": moment,
    }


def seed_news(scale: int) -> None:
    rows = []
    decided = Claim.select().where(Claim.status.in_(("approved", "paid", "rejected")))
    for claim in decided:
        moment = claim.paid_at if claim.status == "paid" else claim.decided_at
        rows.append(
            _line(
                claim.claimant_id,
                f"claim_{claim.status}",
                f"claim:{claim.id}:{claim.status}",
                f"/budget/claims/{claim.id}",
                {"amount_cents": claim.amount_cents},
                moment or claim.created_at,
            )
        )
    answered = (
        Signal.select(Signal, Project)
        .join(Project, on=(Signal.project == Project.id))
        .where(Signal.answered_at.is_null(False) & Signal.author.is_null(False))
    )
    for signal in answered:
        rows.append(
            _line(
                signal.author_id,
                "signal_answered",
                f"signal:{signal.id}:answered",
                f"/projects/{signal.project_id}/signals",
                {"project": signal.project.name},
                signal.answered_at,
            )
        )
    for batch in chunked(rows, 500):
        NewsItem.insert_many(batch).on_conflict_ignore().execute()
