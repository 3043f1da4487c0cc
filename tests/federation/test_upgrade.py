"""An existing single-organisation install upgrades by `tafel migrate` with nothing to change
(issue 24): its rows become the first organisation's, and the app sees them as before."""

from playhouse.migrations import Runner

from models import schema, tenancy
from models.db import database, open_database
from models.organisation import Organisation, Project
from models.person import Person
from tests.conftest import APP_ROLE, BACKEND, owner_url

BEFORE = "0014_speed_people_order"


def test_an_existing_install_upgrades_with_nothing_to_change(
    databases, data_dir, monkeypatch, capsys
):
    from webapp.cli import main

    url = databases.fresh()  # empty; on PostgreSQL as its owner
    open_database(url)
    with database.connection_context():
        Runner(database.obj, str(schema.MIGRATIONS)).up(target=BEFORE)
        Person.create(display_name="Anouk")  # neither table changes in 0015
        Project.create(name="Woordwerk")
    database.close()
    app_url = url
    if BACKEND == "postgresql":  # the app's own role; the command migrates as the owner
        app_url = url.replace(owner_url(url).split("@")[0], f"postgresql://{APP_ROLE}:{APP_ROLE}")
        assert app_url != url
        monkeypatch.setenv("TAFEL_MIGRATE_DATABASE_URL", url)
    monkeypatch.setenv("DATABASE_URL", app_url)
    # The command an administrator runs, as they run it (today's migrations, 0015 among them).
    assert main(["migrate"]) == 0, capsys.readouterr().err
    said = capsys.readouterr().out
    assert said.startswith("applied ") and "0015_federation_tenancy" in said
    assert BEFORE not in said
    open_database(app_url)  # from now on as the app (on PostgreSQL under row-level security)
    with database.connection_context():  # no organisation chosen: the only one
        (only,) = tenancy.directory.entries(fresh=True)
        assert Organisation.current().id == only.id and only.host is None
        assert [p.display_name for p in Person.select()] == ["Anouk"]
        assert [p.name for p in Project.select()] == ["Woordwerk"]
    database.close()
    assert main(["migrate"]) == 0  # run again: nothing left to do
    assert capsys.readouterr().out.strip() == "applied 0 migration(s)"
    database.close()
    databases.discard(url)
