"""Person search (ADR 0133): one GIN index on (canonical given name, surname trigrams), so a name with
the given name right and the surname misspelt ("Jennifer Eastsone", "Eastsone, Jennifer") is found
from the few index entries that meet both, not the thousands of records whose surnames alone share
trigrams (75 ms against 10 ms at a million records, EXPLAIN ANALYZE in docs/benchmarks.md). A plain
value in a GIN index needs ``btree_gin`` (a trusted extension shipped with PostgreSQL, like
``pg_trgm``). PostgreSQL only; a no-op on SQLite, whose search reads the surname's first letters.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS identity_record_given_last_trgm ON identity_sourcerecord USING gin "
        "((standard ->> 'first_name_canon'), (standard ->> 'last_name') gin_trgm_ops) WHERE NOT removed"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS identity_record_given_last_trgm")


class Migration(migrations.Migration):
    dependencies = [("identity", "0006_person_search_statistics")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
