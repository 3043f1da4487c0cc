"""The personal data download holds every area's part about the person, and only theirs."""

import json

from models.budget import Claim
from models.person import Person
from tests.conftest import login


def test_the_download_holds_my_claims_and_steps_and_not_others(client, db):
    priya = Person.get(Person.display_name == "Priya")
    login(client, "priya")
    data = json.loads(client.get("/account/download").content)
    own_claims = Claim.select().where(Claim.claimant == priya.id).count()
    assert own_claims > 0
    assert len(data["claims"]) == own_claims
    assert data["steps"], "Priya's steps over time"
    for name in ("Anouk B.", "Kim (coördinatie)", "Rik (penningmeester)"):
        assert name not in json.dumps(data, ensure_ascii=False)
