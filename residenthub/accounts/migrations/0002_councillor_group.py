"""The read-only "councillor" role: a group, not a team membership, so councillors see the insights
dashboards and reports but no case, queue or resident record (docs/adr/0080-insights.md)."""

from django.db import migrations

COUNCILLOR_GROUP = "councillor"


def add_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=COUNCILLOR_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=COUNCILLOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(add_group, remove_group)]
