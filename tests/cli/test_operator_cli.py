"""`users create --operator` and `apikeys create --operator`: the machine's owner names
the server's operator (ADR 0029), whose key alone may import into the advisory database
every tenant shares; a key of a user that is no operator cannot carry that power."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from clirun import Home, ok, run

from cpstrust.app.identity import authenticate
from cpstrust.app.services import Services
from cpstrust.settings import Settings


def test_the_owner_makes_an_operator_whose_key_alone_carries_the_power(
        home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    where = home("server")
    monkeypatch.setenv("OPS_PW", "correct horse battery")
    said = ok("users", "create", "ops", "--org", "Hosting", "--role", "admin",
              "--password-env", "OPS_PW", "--operator")
    assert "ops is the server's operator" in said
    ok("users", "create", "alice", "--org", "Hokuriku Controls", "--role", "admin",
       "--password-env", "OPS_PW")
    operator_key = ok("apikeys", "create", "--user", "ops", "--operator").strip()
    plain_key = ok("apikeys", "create", "--user", "ops").strip()
    code, out, err = run("apikeys", "create", "--user", "alice", "--operator")
    assert code == 2 and out == ""
    assert "users create --operator" in err
    code, _, err = run("--lang", "ja", "apikeys", "create", "--operator", "--org", "Hosting",
                       "--role", "admin")
    assert code == 2 and "オペレータ" in err
    listed = json.loads(ok("apikeys", "list", "--format", "json"))["api_keys"]
    assert [(k["user"], k["operator"]) for k in listed] == [("ops", True), ("ops", False)]
    services = Services(Settings(home=where, database_url=f"sqlite:///{where / 'cpstrust.db'}"))
    try:
        now = datetime.now(UTC)
        assert authenticate(services, operator_key, now).operator
        assert not authenticate(services, plain_key, now).operator
    finally:
        services.close()
