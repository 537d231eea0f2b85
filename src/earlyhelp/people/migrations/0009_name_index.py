# The table alone: its indexes come in 0011, after 0010 has filled it (building an index
# once over sorted rows is far faster than keeping it up to date row by row).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0008_household_member_may_rejoin'),
    ]

    operations = [
        migrations.CreateModel(
            name='NameKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64)),
                ('person', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='name_keys', to='people.person')),
            ],
        ),
    ]
