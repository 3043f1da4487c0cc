"""The members export round trip through LibreOffice in Dutch (issue 22, section 2): exported,
opened and saved again as a Dutch LibreOffice does, imported: nothing changes."""

from models.people.exchange import import_members
from models.people.members_file import members_csv
from tests.conftest import post
from tests.libreoffice import needs_libreoffice, resave_in_dutch
from tests.people.conftest import grant
from tests.web.test_access import snapshot

NOTHING = {"people": 0, "projects": 0, "memberships": 0, "changed": 0}


@needs_libreoffice
def test_every_members_export_saved_again_by_libreoffice_imports_back_unchanged(db, tmp_path):
    """The command's export (every answer in it) in English and Dutch, plain and for Excel."""
    files = {
        f"members-{language}{'-excel' if excel else ''}.csv": members_csv(
            None, language, excel
        ).encode("utf-8")
        for language in ("en", "nl")
        for excel in (False, True)
    }
    saved = resave_in_dutch(tmp_path, files)
    for name, raw in saved.items():
        assert raw != files[name], f"{name} was not written again"
    before = snapshot()
    for name, raw in saved.items():
        assert import_members(raw) == NOTHING, name
    assert snapshot() == before


@needs_libreoffice
def test_the_coordinator_s_download_saved_by_libreoffice_uploads_back_unchanged(
    db, as_viewer, tmp_path
):
    """Through the pages: the coordinator's export (answers left out) and the privacy
    right's (answers in), for Excel, saved again, uploaded: no answer erased, nothing to
    confirm, nothing changed."""
    coordinator = as_viewer("coordinator")
    files = {"coordinator.csv": coordinator.get("/people/export/members.csv?excel=1").content}
    grant("coordinator", "privacy")
    files["privacy.csv"] = coordinator.get("/people/export/members.csv?excel=1").content
    saved = resave_in_dutch(tmp_path, files)
    before = snapshot()
    for name, raw in saved.items():
        page = post(coordinator, "/people/import", files={"file": (name, raw, "text/csv")})
        assert page.status_code == 200, (name, page.text[-1500:])
        assert 'name="content"' not in page.text and "0 veranderd" in page.text
    assert snapshot() == before  # not even a line in the audit log
