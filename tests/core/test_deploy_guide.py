"""docs/deploy.md's settings file stays true: every line the guide puts into
/etc/tafel/tafel.env is a setting Tafel reads, written so that both readers of that file take
it as meant (systemd's EnvironmentFile= for the service, `sh` for `tafel-as-tafel`), and the
settings a host of "Several hosts" ends up with are accepted as they stand.

Found following the guide by hand (issue 25): a comment at the end of a line is part of the
value for systemd, and Tafel then refused TAFEL_RECEIPTS. No database, no server: a few
milliseconds."""

import re

from models.db import build_database
from webapp.settings import DOCUMENTED, ROOT, Settings

GUIDE = (ROOT / "docs" / "deploy.md").read_text()
SETTINGS_FILE = "/etc/tafel/tafel.env"
BLOCK = re.compile(r"cat >>? /etc/tafel/tafel\.env <<'END'\n(.*?\n)END\n", re.S)
ECHO = re.compile(r'echo "([A-Z_]+)=[^"]*" >> /etc/tafel/tafel\.env')
# The object store's client reads these (models/budget/receipt_store.py); the README's table
# names them with TAFEL_RECEIPTS.
STORE_NAMES = set(re.findall(r"AWS_[A-Z_]+", DOCUMENTED["TAFEL_RECEIPTS"]))


def as_systemd_reads(block: str) -> dict[str, str]:
    """The variables of a settings block as systemd's EnvironmentFile= reads them: lines
    starting with # are comments, and the value is everything after the first = (only the
    whitespace around it dropped), a `# …` at its end included."""
    found = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        name, equals, value = line.partition("=")
        assert equals and re.fullmatch(r"[A-Z_]+", name), f"not NAME=value: {line!r}"
        found[name] = value.strip()
    return found


def section(title: str) -> str:
    """The guide's text from the heading `title` to the next heading of that level or above
    (## or ###: a single # starts a comment in the commands)."""
    start = GUIDE.index(f"\n{title}\n") + 1
    body = start + len(title)
    level = len(title.split(" ")[0])
    end = re.compile(rf"^#{{2,{level}}} ", re.M).search(GUIDE, body)
    return GUIDE[start : end.start() if end else len(GUIDE)]


def test_every_line_the_guide_puts_in_the_settings_file_is_a_setting_read_as_meant():
    blocks = BLOCK.findall(GUIDE)
    echoed = ECHO.findall(GUIDE)
    assert len(blocks) >= 3 and "TAFEL_SECRET_KEY" in echoed
    names = set(echoed)
    for block in blocks:
        for name, value in as_systemd_reads(block).items():
            names.add(name)
            # sh would drop a trailing comment, systemd keeps it: the two would differ.
            assert not re.search(r"\s#", value), f"{name}: a comment after the value"
    unknown = names - set(DOCUMENTED) - STORE_NAMES
    assert not unknown, f"the guide sets {sorted(unknown)}, which Tafel does not read"


def test_the_settings_of_a_host_of_several_hosts_are_accepted_as_systemd_reads_them():
    """Section 4's file with the database machine's address, its secret key, and the object
    store's lines: a production host with receipts in the bucket, every value whole."""
    settings4 = BLOCK.search(section("## 4. Settings"))[1]
    machine = section("### The database machine")
    printed = re.search(r'echo "DATABASE_URL=([^"]+)"', machine)[1]
    store = BLOCK.search(section("### The object store"))[1]
    env = as_systemd_reads(settings4) | as_systemd_reads(store)
    env["DATABASE_URL"] = printed.replace("$password", "0f" * 24)
    env["TAFEL_SECRET_KEY"] = "k" * 64  # section 4's echo makes one
    env = {name: value.replace("…", "x") for name, value in env.items()}
    settings = Settings.from_env(environ=env)
    assert settings.production and settings.https
    assert settings.public_url == "https://tafel.example.org"
    assert settings.receipts == "s3://tafel-bonnen/tafel"
    assert env["AWS_ENDPOINT_URL"] == "https://s3.example.org"
    database = build_database(settings.database_url)
    assert database.database == "tafel"
    assert database.connect_params["host"] == "10.0.0.10"
    assert database.connect_params["password"] == "0f" * 24
    # "Test a restore": the scratch address is the settings' DATABASE_URL + _restore_test.
    assert "DATABASE_URL=//p' /etc/tafel/tafel.env)_restore_test" in GUIDE
    assert build_database(settings.database_url + "_restore_test").database == (
        "tafel_restore_test"
    )
    # pg_hba.conf lets the hosts into both databases.
    assert "host  tafel,tafel_restore_test  tafel  10.0.0.11/32  scram-sha-256" in machine
