import sqlite3

import pytest

from kiosk.store import credentials, db, migrations


def test_new_database_is_wal_and_at_the_latest_schema(tmp_path):
    database = db.connect(tmp_path / "k.db")
    assert migrations.migrate(database) == len(migrations.MIGRATIONS)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert {"meta", "credentials"} <= set(database.table_names())


def test_migration_runs_only_the_missing_steps(tmp_path, monkeypatch):
    path = tmp_path / "k.db"
    database = db.connect(path)
    migrations.migrate(database)
    ran = []
    monkeypatch.setattr(
        migrations, "MIGRATIONS", migrations.MIGRATIONS + [lambda d: ran.append(d) or d["extra"].create({"x": int})]
    )
    assert migrations.migrate(db.connect(path)) == len(migrations.MIGRATIONS)
    assert migrations.migrate(db.connect(path)) == len(migrations.MIGRATIONS)
    assert len(ran) == 1


def test_failed_migration_leaves_the_version_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "k.db"
    database = db.connect(path)
    before = migrations.migrate(database)

    def broken(d):
        d["half"].create({"x": int})
        raise sqlite3.OperationalError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [broken])
    with pytest.raises(sqlite3.OperationalError, match="boom"):
        migrations.migrate(database)
    assert migrations.schema_version(database) == before
    assert "half" not in database.table_names()


def test_generated_secrets_are_announced_once_and_stored_hashed(tmp_path):
    database = db.connect(tmp_path / "k.db")
    migrations.migrate(database)
    said = []
    generated = credentials.ensure_secrets(database, {}, announce=said.append)
    assert set(generated) == {"admin_password", "duty_pin", "api_token"}
    assert len(generated["duty_pin"]) == 6 and generated["duty_pin"].isdigit()
    assert generated["api_token"] in said[0]
    stored = [row[0] for row in database.execute("SELECT hash FROM credentials")]
    assert not any(secret in "".join(stored) for secret in generated.values())
    assert credentials.verify(database, "duty_pin", generated["duty_pin"])
    assert not credentials.verify(database, "duty_pin", "000000x")
    assert credentials.ensure_secrets(database, {}, announce=said.append) == {}
    assert len(said) == 1


def test_given_secret_replaces_the_stored_one(tmp_path):
    database = db.connect(tmp_path / "k.db")
    migrations.migrate(database)
    credentials.ensure_secrets(database, {"api_token": "first-token"}, announce=lambda _t: None)
    credentials.ensure_secrets(database, {"api_token": "second-token"}, announce=lambda _t: None)
    assert credentials.verify(database, "api_token", "second-token")
    assert not credentials.verify(database, "api_token", "first-token")
