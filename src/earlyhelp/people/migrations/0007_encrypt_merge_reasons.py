"""Encrypt the merge reasons already written in clear (0006 changed the type only).

Batched and rerunnable, like 0003: values already encrypted are left alone.
"""

from django.db import migrations

from earlyhelp.encryption import decrypt_columns, encrypt_columns


def encrypt(apps, schema_editor):
    encrypt_columns(apps.get_model("people", "PersonMerge"), ["reason"])


def decrypt(apps, schema_editor):
    decrypt_columns(apps.get_model("people", "PersonMerge"), ["reason"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("people", "0006_merge_reason_encrypted"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
