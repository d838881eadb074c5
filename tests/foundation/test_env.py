"""Settings from the environment fail loudly on bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from shequ.common.env import ImproperlyConfiguredEnv, database_from_url, env_bool, env_int


def test_it_refuses_yes_as_a_boolean(monkeypatch):
    monkeypatch.setenv("SHEQU_X", "yes")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_bool("SHEQU_X", default=False)


def test_it_reads_true_and_false(monkeypatch):
    monkeypatch.setenv("SHEQU_X", "true")
    assert env_bool("SHEQU_X", default=False) is True
    monkeypatch.setenv("SHEQU_X", "0")
    assert env_bool("SHEQU_X", default=True) is False


def test_it_refuses_a_non_integer(monkeypatch):
    monkeypatch.setenv("SHEQU_N", "five")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_int("SHEQU_N", default=1)


def test_it_parses_database_urls():
    pg = database_from_url("postgres://postgres@127.0.0.1:5432/test", base_dir=Path("/x"))
    assert (pg["ENGINE"], pg["NAME"], pg["PORT"]) == ("django.db.backends.postgresql", "test", "5432")
    assert database_from_url("sqlite:///var/a.sqlite3", base_dir=Path("/x"))["NAME"] == "/x/var/a.sqlite3"
    assert database_from_url("sqlite:////tmp/a.sqlite3", base_dir=Path("/x"))["NAME"] == "/tmp/a.sqlite3"
    with pytest.raises(ImproperlyConfiguredEnv):
        database_from_url("mysql://x/y", base_dir=Path("/x"))
