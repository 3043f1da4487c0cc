"""What the accounts area's tests share: a good new password, finding an account, making and
using a one-time link (through the same functions the app uses)."""

from models.accounts.links import make_link
from models.accounts.tables import Account
from models.db import database
from models.person import Person
from tests.conftest import csrf_of

# Long enough and not a common password: every new-password rule accepts it.
GOOD = "een fiets met drie wielen"


def account_id(username: str) -> int:
    with database.connection_context():
        return Account.get(Account.username == username).id


def new_link(name: str):
    """A fresh invite or reset link (and its token) for the person called `name`."""
    with database.connection_context():
        link, token = make_link(Person.get(Person.display_name == name))
    return link, token


def use(client, token: str, **data):
    """Post the welcome form of a link, with GOOD as the new password unless given."""
    fields = {"password": GOOD, "repeat": GOOD, **data}
    return client.post(
        f"/welcome/{token}",
        data={"csrf_token": csrf_of(client, f"/welcome/{token}"), **fields},
        follow_redirects=False,
    )
