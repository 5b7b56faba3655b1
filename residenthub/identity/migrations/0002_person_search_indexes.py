"""Indexes for person search (ADR 0070): the source key alone (everywhere) and, on PostgreSQL,
expression indexes on the standard record's keys plus trigram (pg_trgm GIN) indexes on surnames.
No model changes: SQLite gets the plain index and nothing else (its JSON paths are not indexed)."""

from django.db import migrations

KEYS = ("postcode", "dob", "email", "phone", "street", "first_name_canon")


def forwards(apps, schema_editor):
    run = schema_editor.execute
    run("CREATE INDEX IF NOT EXISTS identity_record_source_key ON identity_sourcerecord (source_key)")
    if schema_editor.connection.vendor != "postgresql":
        return
    run("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for key in KEYS:
        run(
            f"CREATE INDEX IF NOT EXISTS identity_record_{key} "
            f"ON identity_sourcerecord ((standard ->> '{key}')) WHERE NOT removed"
        )
    run(
        "CREATE INDEX IF NOT EXISTS identity_record_last_trgm ON identity_sourcerecord "
        "USING gin ((standard ->> 'last_name') gin_trgm_ops) WHERE NOT removed"
    )


def backwards(apps, schema_editor):
    run = schema_editor.execute
    run("DROP INDEX IF EXISTS identity_record_source_key")
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in KEYS:
        run(f"DROP INDEX IF EXISTS identity_record_{key}")
    run("DROP INDEX IF EXISTS identity_record_last_trgm")


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
