"""The chain becomes keyed: each event names the audit key its HMAC-SHA256 was made with.

Events written before this were hashed with plain SHA-256 and are not rehashed: rehashing
would launder any change made to them before now. They keep key_id "" and verify as
SHA-256, but only up to the last of them, recorded here in the chain head (unkeyed_until),
and only once a person has anchored them with `earlyhelp audit anchor --vouch-unkeyed`
(the head is in the database, so it alone proves nothing); until then verify reports them.
Every later event must be keyed. A demo database can simply be made again (`make demo`).

On SQLite, adding a column rebuilds audit_event, which drops its triggers: they are made
again here exactly as migration 0002 made them (also after the reverse).
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("earlyhelp.audit.migrations.0002_append_only_triggers")


def remake_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        append_only.remove_triggers(apps, schema_editor)
        append_only.add_triggers(apps, schema_editor)


def record_unkeyed_events(apps, schema_editor):
    database = schema_editor.connection.alias
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    last = AuditEvent.objects.using(database).order_by("-id").values_list("id", flat=True).first()
    if last is not None:
        AuditChainHead.objects.using(database).filter(pk=1).update(unkeyed_until=last)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, remake_sqlite_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="unkeyed_until",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(record_unkeyed_events, migrations.RunPython.noop),
        migrations.RunPython(remake_sqlite_triggers, migrations.RunPython.noop),
    ]
