"""Encrypt the restriction reasons already written in clear (0007 changed the type only).

Batched and rerunnable, like cases 0003: values already encrypted are left alone.
"""

from django.db import migrations

from earlyhelp.encryption import decrypt_columns, encrypt_columns


def encrypt(apps, schema_editor):
    encrypt_columns(apps.get_model("access", "Restriction"), ["reason"])


def decrypt(apps, schema_editor):
    decrypt_columns(apps.get_model("access", "Restriction"), ["reason"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("access", "0007_restriction_reason_encrypted"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
