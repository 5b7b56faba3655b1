"""PostgreSQL triggers that make append-only tables refuse UPDATE and DELETE, even from raw SQL.

The function raises unless the transaction set ``residenthub.allow_erasure`` to ``on``, which only
``core.models.erasure_allowed()`` does (the retention app's audited erasure). SQLite has no such
trigger: there the ORM guard of ``AppendOnlyModel`` is the only one. Migrations import from here so
that every app's append-only table uses the same function (ADR 0060).
"""

from __future__ import annotations

from django.db import migrations

FUNCTION = "residenthub_append_only"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('residenthub.allow_erasure', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows are append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}();"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def create_function() -> migrations.RunPython:
    """The operation creating the shared trigger function (core migration 0004)."""
    return migrations.RunPython(_on_postgresql(CREATE_FUNCTION), _on_postgresql(DROP_FUNCTION))


def append_only(table: str) -> migrations.RunPython:
    """The operation making ``table`` append-only on PostgreSQL; needs ``("core", "0004_append_only")``."""
    name = f"{table}_append_only"
    create = (
        f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();"
    )
    drop = f"DROP TRIGGER IF EXISTS {name} ON {table};"
    return migrations.RunPython(_on_postgresql(create), _on_postgresql(drop))
