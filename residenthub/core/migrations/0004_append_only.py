"""The database half of AppendOnlyModel: the shared trigger function, attached to the audit trail.

Other apps attach it to their own append-only tables in their migrations (core/triggers.py).
"""

from django.db import migrations

from residenthub.core.triggers import append_only, create_function


class Migration(migrations.Migration):
    dependencies = [("core", "0003_address_ward")]
    operations = [create_function(), append_only("core_auditentry")]
