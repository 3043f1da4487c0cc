"""The demo budget: a realistic year, claims in every state, idempotent."""

from models.budget import Claim, LedgerEntry, PlannedChange, Post, SubBudget
from models.person import Person
from seeds.budget import seed_budget


def _counts():
    return [m.select().count() for m in (Post, SubBudget, LedgerEntry, Claim, PlannedChange)]


def test_the_demo_year_has_posts_managers_corrections_and_claims_in_every_state(db):
    assert {p.name for p in Post.select()} >= {"Materialen", "Huur", "Cursussen"}
    paper = SubBudget.get(SubBudget.name == "Papier en inkt")
    assert paper.manager.display_name == "Anouk B."
    assert LedgerEntry.select().where(LedgerEntry.kind == "reversal").count() >= 2
    states = {c.status for c in Claim.select()}
    assert states == {"submitted", "approved", "paid", "rejected", "withdrawn"}
    priya = Person.get(Person.display_name == "Priya")
    assert Claim.select().where(Claim.claimant == priya).exists()
    paid = Claim.get(Claim.status == "paid")
    assert LedgerEntry.get(LedgerEntry.claim == paid).amount_cents == -paid.amount_cents


def test_seeding_twice_changes_nothing(db):
    before = _counts()
    seed_budget(1)
    assert _counts() == before
