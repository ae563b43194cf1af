"""Migrations: an empty database upgraded to head has exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from steward.store.engine import make_engine
from steward.store.migrate import current_revision, head_revision, upgrade
from steward.store.models import Base


def test_upgrade_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    upgrade(engine)  # idempotent
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    engine.dispose()


def test_0002_keeps_published_cases_public_and_profiles(db_url: str) -> None:
    """A database made by revision 0001 keeps its meaning after the service schema arrives."""
    from alembic import command
    from sqlalchemy import text

    from steward.store.migrate import alembic_config

    engine = make_engine(db_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisations (id, slug, name, country, is_steward) VALUES "
                "(1, 'default', 'ACME GmbH', 'DE', false), (2, 'bare', 'bare', NULL, false)"
            )
        )
        conn.execute(
            text("INSERT INTO projects (id, organisation_id, slug, name) VALUES (1, 1, 'p', 'p')")
        )
        for case_id, state in ((1, "published"), (2, "received")):
            conn.execute(
                text(
                    "INSERT INTO cases (id, public_id, project_id, kind, title, created_at, "
                    "created_by, state, last_seq, updated_at, embargo_active) VALUES "
                    f"({case_id}, 'STW-2026-000{case_id}', 1, 'vulnerability', 't', "
                    f"'2026-11-01 10:00:00', 'me', '{state}', 1, '2026-11-01 10:00:00', false)"
                )
            )
        conn.execute(
            text(
                "INSERT INTO case_events (case_id, seq, kind, occurred_at, recorded_at, actor, "
                "data) VALUES (1, 1, 'published', '2026-11-02 10:00:00', "
                "'2026-11-02 10:00:00', 'me', '{}')"
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        published = dict(conn.execute(text("SELECT public_id, published_at FROM cases")).all())
        profiles = dict(
            conn.execute(text("SELECT slug, profile_updated_at FROM organisations")).all()
        )
    assert published["STW-2026-0001"] is not None and published["STW-2026-0002"] is None
    assert profiles["default"] is not None and profiles["bare"] is None
    engine.dispose()
