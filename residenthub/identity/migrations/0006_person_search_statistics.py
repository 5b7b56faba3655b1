"""Person search (ADR 0070): statistics on the standard record's search keys, so PostgreSQL plans
``standard ->> 'email' = x`` for the three rows it finds rather than guessing 0.5% of the table.

The expression indexes of migrations 0002 and 0004 are partial (``WHERE NOT removed``), and PostgreSQL
keeps no statistics for a partial index's expression: it guessed about 5,000 rows of a million for
any key and started parallel workers to read a handful, which was most of a search's time (measured
in benchmarks/person_search.py). Expression statistics (PostgreSQL 14+) give it each key's real
distribution; ANALYZE fills them now and autovacuum keeps them. PostgreSQL only; a no-op on SQLite.
"""

from django.db import migrations

KEYS = ("postcode", "dob", "email", "phone", "street", "first_name_canon", "last_name")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in KEYS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS identity_record_{key}_stats "
            f"ON ((standard ->> '{key}')) FROM identity_sourcerecord"
        )
    schema_editor.execute("ANALYZE identity_sourcerecord")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in KEYS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS identity_record_{key}_stats")


class Migration(migrations.Migration):
    dependencies = [("identity", "0005_person_events_append_only")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
