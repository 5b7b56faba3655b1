"""Person events become append-only (ADR 0060): an undo names the event it ``reverses`` instead of
the original being updated with ``reversed_by``; on PostgreSQL a trigger refuses UPDATE and DELETE."""

import django.db.models.deletion
from django.db import migrations, models

from residenthub.core.triggers import append_only


def copy_reversals(apps, schema_editor):
    PersonEvent = apps.get_model("identity", "PersonEvent")
    for event in PersonEvent.objects.filter(reversed_by__isnull=False).only("pk", "reversed_by_id"):
        PersonEvent.objects.filter(pk=event.reversed_by_id).update(reverses=event.pk)
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now, so the ALTER TABLE that follows has no pending events.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_back(apps, schema_editor):
    PersonEvent = apps.get_model("identity", "PersonEvent")
    for undo in PersonEvent.objects.filter(reverses__isnull=False).only("pk", "reverses_id"):
        PersonEvent.objects.filter(pk=undo.reverses_id).update(reversed_by=undo.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_append_only"),
        ("identity", "0004_person_search_name_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="personevent",
            name="reverses",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversed_by_event",
                to="identity.personevent",
            ),
        ),
        migrations.RunPython(copy_reversals, copy_back),
        migrations.RemoveField(model_name="personevent", name="reversed_by"),
        migrations.AlterField(
            model_name="personevent",
            name="reverses",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversed_by",
                to="identity.personevent",
            ),
        ),
        migrations.AlterField(
            model_name="personevent",
            name="run",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="identity.linkagerun",
            ),
        ),
        append_only("identity_personevent"),
    ]
