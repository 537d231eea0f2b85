"""Encrypt the free text already written in clear (0002 changed the fields' type only).

In batches, one transaction each (the migration itself is not atomic): stopped half
way, it is run again and finishes, since values already encrypted are left alone.
Needs the field key (`earlyhelp keys init`) only when there are rows to encrypt.
"""

from django.db import migrations

from earlyhelp.encryption import decrypt_columns, encrypt_columns

FREE_TEXT = {
    "Case": ["reason"],
    "Assessment": ["family_views", "strengths", "needs", "summary"],
    "PlanGoal": ["goal", "actions"],
    "Contact": ["note"],
}


def encrypt(apps, schema_editor):
    for model, names in FREE_TEXT.items():
        encrypt_columns(apps.get_model("cases", model), names)


def decrypt(apps, schema_editor):
    for model, names in FREE_TEXT.items():
        decrypt_columns(apps.get_model("cases", model), names)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0002_free_text_encrypted"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
