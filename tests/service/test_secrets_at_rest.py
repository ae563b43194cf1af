"""Secrets are never stored as given: passwords as argon2id hashes, API tokens and session
cookies as hashes; a token's secret is shown once, in the answer that creates it."""

from __future__ import annotations

from sqlalchemy import text

from tests.service.conftest import World

PASSWORD = "correct horse battery staple 42"


def _dump(w: World) -> str:
    """Every row of the account tables, as text."""
    rows = []
    with w.store.engine.connect() as conn:
        for table in ("users", "api_tokens", "web_sessions", "audit_log"):
            rows += [repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}"))]
    return "\n".join(rows)


def test_passwords_tokens_and_sessions_are_stored_hashed(world: World) -> None:
    w = world
    r = w.client.post(
        "/api/v1/users", json={"name": "nina", "password": PASSWORD}, headers=w.h("root")
    )
    assert r.status_code == 201, r.text
    with w.store.engine.connect() as conn:
        stored = conn.scalar(text("SELECT password_hash FROM users WHERE name = 'nina'"))
    assert stored.startswith("$argon2id$")
    signed_in = w.client.post("/api/v1/session", json={"username": "nina", "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    cookie = signed_in.cookies.get("steward_session")
    csrf = signed_in.json()["csrf_token"]
    assert cookie
    made = w.client.post(
        "/api/v1/tokens",
        json={"name": "ci", "scopes": ["read"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    # stw_<hex id>_<secret>: the secret is base64url and may itself contain "_"
    secret = token.split("_", 2)[2]
    assert len(secret) >= 32, token
    listed = w.client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    assert (
        listed.status_code == 200 and secret not in listed.text and "token" not in listed.json()[0]
    )
    at_rest = _dump(w)
    for value in (PASSWORD, secret, cookie):
        assert value not in at_rest
    w.client.cookies.clear()
