"""Settings from the environment and the database setup."""

import stat

import pytest

from models.db import database, open_database
from webapp.settings import DOCUMENTED, ROOT, Settings, SettingsError


def test_defaults_use_sqlite_in_the_data_dir_and_generate_a_key_once(tmp_path):
    env = {"TAFEL_DATA_DIR": str(tmp_path)}
    first = Settings.from_env(environ=env)
    assert first.database_url == f"sqlite:///{tmp_path / 'tafel.db'}"
    assert len(first.secret_key) >= 40
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Settings.from_env(environ=env).secret_key == first.secret_key
    assert not first.production and first.session_idle_minutes == 240


def test_environment_overrides(tmp_path):
    env = {
        "TAFEL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgresql://x@h/db",
        "TAFEL_SECRET_KEY": "k" * 50,
        "TAFEL_ENV": "production",
        "TAFEL_SESSION_IDLE_MINUTES": "30",
        "TAFEL_HTTPS": "1",
        "TAFEL_BASE_URL": "https://tafel.example.org",
    }
    settings = Settings.from_env(environ=env)
    assert settings.database_url == "postgresql://x@h/db"
    assert settings.secret_key == "k" * 50
    assert settings.production and settings.https and settings.session_idle_minutes == 30
    assert not (tmp_path / "secret_key").exists()
    assert Settings.from_env("sqlite:///other.db", environ=env).database_url == "sqlite:///other.db"


@pytest.mark.parametrize("value", ["soon", "0", "-5"])
def test_a_bad_idle_time_is_a_plain_error(tmp_path, value):
    env = {"TAFEL_DATA_DIR": str(tmp_path), "TAFEL_SESSION_IDLE_MINUTES": value}
    with pytest.raises(SettingsError, match="TAFEL_SESSION_IDLE_MINUTES"):
        Settings.from_env(environ=env)


@pytest.mark.parametrize(
    "base_url, https, missing",
    [
        (None, "1", "set TAFEL_BASE_URL"),
        ("tafel.example.org", "1", "full address"),
        ("https://tafel.example.org", None, "set TAFEL_HTTPS=1"),
        ("https://tafel.example.org", "0", "set TAFEL_HTTPS=1"),
        ("http://tafel.example.org", "1", "start with https://"),
    ],
)
def test_production_refuses_to_start_without_a_consistent_address(
    tmp_path, base_url, https, missing
):
    env = {"TAFEL_DATA_DIR": str(tmp_path), "TAFEL_ENV": "production", "TAFEL_SECRET_KEY": "k" * 50}
    env.update({"TAFEL_BASE_URL": base_url} if base_url else {})
    env.update({"TAFEL_HTTPS": https} if https else {})
    with pytest.raises(SettingsError, match=missing) as caught:
        Settings.from_env(environ=env)
    assert str(caught.value).count(".") >= 1 and "\n" not in str(caught.value)
    env.pop("TAFEL_ENV")
    assert not Settings.from_env(environ=env).production  # development starts as it is


def test_production_starts_with_https_on_both_sides_or_plain_http(tmp_path):
    env = {"TAFEL_DATA_DIR": str(tmp_path), "TAFEL_ENV": "production", "TAFEL_SECRET_KEY": "k" * 50}
    https = {"TAFEL_BASE_URL": "https://tafel.example.org", "TAFEL_HTTPS": "1"}
    assert Settings.from_env(environ=env | https).base_url == "https://tafel.example.org"
    assert Settings.from_env(environ=env | {"TAFEL_BASE_URL": "http://10.0.0.5:8000"}).production


@pytest.mark.once
def test_a_production_host_takes_its_keys_and_the_receipt_store_from_the_environment(tmp_path):
    """Issue 25: hosts share one key, so a production host refuses to start without it rather
    than make its own into its (possibly read-only) data folder; TAFEL_RECEIPTS is checked."""
    data = tmp_path / "data"
    env = {"TAFEL_DATA_DIR": str(data), "TAFEL_ENV": "production",
           "TAFEL_BASE_URL": "https://tafel.example.org", "TAFEL_HTTPS": "1"}  # fmt: skip
    with pytest.raises(SettingsError, match="so set TAFEL_SECRET_KEY"):
        Settings.from_env(environ=env)
    assert not data.exists()  # nothing made on the host
    for bad in ("s3://", "s3:/bucket", "folder", "s3://bucket?region=x"):
        with pytest.raises(SettingsError, match="TAFEL_RECEIPTS must be database or s3://"):
            Settings.from_env(environ=env | {"TAFEL_SECRET_KEY": "k" * 50, "TAFEL_RECEIPTS": bad})
    settings = Settings.from_env(
        environ=env | {"TAFEL_SECRET_KEY": "k" * 50, "TAFEL_RECEIPTS": "s3://bon/tafel"}
    )
    assert settings.receipts == "s3://bon/tafel" and not data.exists()


@pytest.mark.once
def test_a_push_key_that_is_no_key_refuses_the_start_with_a_sentence(tmp_path):
    """A mistyped TAFEL_VAPID_PRIVATE_KEY stopped the app later with a traceback from the
    key's decoding (webapp/news/setup.py); it is a setting like the others (review21)."""
    env = {"TAFEL_DATA_DIR": str(tmp_path)}
    for bad in ("not a key!", "AAAA", "A" * 43, "_" * 43, "k" * 50):
        with pytest.raises(SettingsError, match="TAFEL_VAPID_PRIVATE_KEY"):
            Settings.from_env(environ=env | {"TAFEL_VAPID_PRIVATE_KEY": bad})
    good = Settings.from_env(environ=env).vapid_private_key  # made in development
    assert Settings.from_env(environ=env | {"TAFEL_VAPID_PRIVATE_KEY": good}).vapid_private_key


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in DOCUMENTED:
        assert f"`{name}`" in readme, f"{name} is not in the README's configuration table"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with database.connection_context():
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_an_unknown_database_url_is_refused():
    with pytest.raises(ValueError, match="DATABASE_URL"):
        open_database("mysql://root@localhost/x")


@pytest.mark.parametrize("value", ["prod", "Production", "staging", "test"])
def test_an_unknown_environment_is_refused_not_read_as_development(tmp_path, value):
    env = {"TAFEL_DATA_DIR": str(tmp_path), "TAFEL_ENV": value}
    with pytest.raises(SettingsError, match="TAFEL_ENV must be production or development"):
        Settings.from_env(environ=env)
    assert not Settings.from_env(environ={"TAFEL_DATA_DIR": str(tmp_path)}).production


def test_in_development_links_follow_the_address_served(tmp_path):
    """`PORT=8611 make run`: invite links, slips and the calendar address say port 8611;
    `HOST=0.0.0.0`: this machine's address on the network; production keeps its base URL."""
    env = {"TAFEL_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(environ=env).public_url == "http://127.0.0.1:8000"
    assert Settings.from_env(environ=env | {"PORT": "8611"}).public_url == ("http://127.0.0.1:8611")
    on_network = Settings.from_env(environ=env | {"HOST": "0.0.0.0", "PORT": "8611"})
    assert on_network.public_url.startswith("http://") and ":8611" in on_network.public_url
    assert "0.0.0.0" not in on_network.public_url
    served = env | {"TAFEL_SERVED_URL": "http://192.168.1.20:9000", "PORT": "8611"}
    assert Settings.from_env(environ=served).public_url == "http://192.168.1.20:9000"
    assert Settings.from_env(
        environ=served | {"TAFEL_BASE_URL": "http://tafel.lan"}
    ).public_url == ("http://tafel.lan")
    production = env | {
        "TAFEL_ENV": "production",
        "TAFEL_BASE_URL": "http://10.0.0.5:8000",
        "TAFEL_SECRET_KEY": "k" * 50,
    }
    assert Settings.from_env(environ=production | {"PORT": "8611"}).public_url == (
        "http://10.0.0.5:8000"
    )
