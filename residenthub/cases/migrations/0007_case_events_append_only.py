"""Case timeline events refuse UPDATE and DELETE on PostgreSQL, even from raw SQL (ADR 0060)."""

from django.db import migrations

from residenthub.core.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_append_only"),
        ("cases", "0006_channel_phone_automated"),
    ]

    operations = [append_only("cases_caseevent")]
