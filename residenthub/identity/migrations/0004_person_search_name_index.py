"""Person search (ADR 0070): a btree expression index on (surname, canonical given name), so a name
typed correctly is answered by an index range scan; trigram similarity stays the fallback for
misspellings. PostgreSQL only; a no-op on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS identity_record_name ON identity_sourcerecord "
        "((standard ->> 'last_name'), (standard ->> 'first_name_canon')) WHERE NOT removed"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS identity_record_name")


class Migration(migrations.Migration):
    dependencies = [("identity", "0003_household_sources")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
