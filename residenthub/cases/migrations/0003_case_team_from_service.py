"""Every case gets the team that owns its service, then the team becomes required."""

import django.db.models.deletion
from django.db import migrations, models


def fill_team(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Service = apps.get_model("services", "Service")
    for service_id, team_id in Service.objects.values_list("id", "team_id"):
        Case.objects.filter(service_id=service_id, team__isnull=True).update(team_id=team_id)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_back_office"),
        ("services", "0002_service_remind_at_share_service_response_templates"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_team, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="team",
            field=models.ForeignKey(
                help_text="The team dealing with the case (the service's team unless assigned on).",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="accounts.team",
            ),
        ),
    ]
