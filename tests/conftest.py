"""Fixtures: a real SQLite file in a temporary data directory, the app, a client, live kiosks."""

import functools

import pytest

from kiosk.app import create_app
from kiosk.hub import open_hub_db
from kiosk.store import credentials, migrations
from kiosk.store import db as kdb
from tests.helpers.credentials import HUB_SECRETS, TEST_SECRETS
from tests.helpers.hub import HubProcess
from tests.helpers.servers import LiveKiosk


@pytest.fixture(scope="session", autouse=True)
def password_hashes_computed_once():
    """Each test app stores the same test secrets, and scrypt costs a quarter of a second by
    design: in this process, a password's hash (salt included) is computed once and reused,
    and a check of the same hash and password is answered from memory. The hashes stay real
    scrypt hashes; the servers the tests start in subprocesses are not affected."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(credentials, "generate_password_hash", functools.cache(credentials.generate_password_hash))
        patch.setattr(credentials, "check_password_hash", functools.cache(credentials.check_password_hash))
        yield


@pytest.fixture
def data_dir(tmp_path):
    """An empty data directory for the kiosk."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def db(tmp_path):
    """A real SQLite file with the kiosk's schema, for tests below the web layer."""
    database = kdb.connect(tmp_path / "kiosk.db")
    migrations.migrate(database)
    yield database
    database.conn.close()


@pytest.fixture
def make_app(data_dir):
    """Build an app with settings overrides, on the temporary data directory."""

    def make(overrides=None, config_file=None):
        app = create_app(
            config_file=config_file,
            data_dir=data_dir,
            overrides=overrides,
            environ=TEST_SECRETS,
            announce=lambda _text: None,
        )
        app.config.update(TESTING=True)
        return app

    return make


@pytest.fixture
def app(make_app):
    """The demo kiosk's app with the default settings."""
    return make_app()


@pytest.fixture
def station_app(make_app, tmp_path):
    """A station's kiosk: started with a settings file (empty: the defaults), so its admin
    pages open without sending the admin to the first-start setup."""
    settings = tmp_path / "station.toml"
    settings.write_text("", encoding="utf-8")
    return make_app(config_file=settings)


@pytest.fixture
def client(app):
    """Flask's test client on `app`."""
    return app.test_client()


@pytest.fixture
def start_kiosk(tmp_path):
    """Start real kiosk servers; each is stopped at the end of the test."""
    started = []

    def start(config_text=None, env=None):
        data = tmp_path / f"kiosk-data-{len(started)}"
        data.mkdir()
        config_file = None
        if config_text is not None:
            config_file = tmp_path / f"kiosk-{len(started)}.toml"
            config_file.write_text(config_text, encoding="utf-8")
        kiosk = LiveKiosk(data, config_file, env)
        started.append(kiosk)
        return kiosk

    def restart(kiosk):
        """The same data directory and settings, a new process (after a crash, say)."""
        again = LiveKiosk(kiosk.data_dir, kiosk.config_file, kiosk.env)
        started.append(again)
        return again

    start.restart = restart
    yield start
    for kiosk in started:
        kiosk.stop()


@pytest.fixture
def hub_factory(tmp_path):
    """Start real hubs; each is stopped at the end of the test."""
    started = []

    def start(name="hub", **kwargs):
        hub = HubProcess(tmp_path / name, **kwargs)
        started.append(hub)
        return hub

    yield start
    for hub in started:
        hub.stop()


@pytest.fixture
def hub(tmp_path):
    """A hub app in process (Flask's test client), its data in tmp_path/hub."""
    app = create_app("hub", data_dir=tmp_path / "hub", environ=HUB_SECRETS, announce=lambda _t: None)
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def hub_db(hub):
    """The hub's database, open beside the app."""
    db = open_hub_db(hub.config["DATA_DIR"])
    yield db
    db.conn.close()
