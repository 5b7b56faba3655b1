"""Monthly roll-ups (docs/adr/0085-monthly-rollups.md), filled from the daily ones already built."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """Sum the daily rows already built into months (a copy of ``actions.rebuild_months`` as it
    was when this migration was written: migrations must not follow later code)."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    cell = ("service_id", "team_id", "ward", "channel")
    daily = apps.get_model("insights", "DailyCaseStat")
    monthly = apps.get_model("insights", "MonthlyCaseStat")
    monthly.objects.bulk_create(
        (
            monthly(**row)
            for row in daily.objects.annotate(month=TruncMonth("day"))
            .values("month", *cell)
            .annotate(
                received=Sum("received"),
                closed=Sum("closed"),
                closed_in_time=Sum("closed_in_time"),
                reopened=Sum("reopened"),
                duplicates=Sum("duplicates"),
            )
            .order_by()
        ),
        batch_size=5000,
    )
    close = apps.get_model("insights", "DailyCloseTime")
    monthly_close = apps.get_model("insights", "MonthlyCloseTime")
    monthly_close.objects.bulk_create(
        (
            monthly_close(**row)
            for row in close.objects.annotate(month=TruncMonth("day"))
            .values("month", *cell, "working_days")
            .annotate(count=Sum("count"))
            .order_by()
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_report_period_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyCaseStat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("service_id", models.IntegerField()),
                ("team_id", models.IntegerField()),
                ("ward", models.CharField(max_length=100)),
                ("channel", models.CharField(max_length=16)),
                ("received", models.PositiveIntegerField(default=0)),
                ("closed", models.PositiveIntegerField(default=0)),
                ("closed_in_time", models.PositiveIntegerField(default=0)),
                ("reopened", models.PositiveIntegerField(default=0)),
                ("duplicates", models.PositiveIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["month", "service_id"], name="insights_mstat_month")],
            },
        ),
        migrations.CreateModel(
            name="MonthlyCloseTime",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("service_id", models.IntegerField()),
                ("team_id", models.IntegerField()),
                ("ward", models.CharField(max_length=100)),
                ("channel", models.CharField(max_length=16)),
                ("working_days", models.IntegerField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["month", "service_id"], name="insights_mclose_month")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
