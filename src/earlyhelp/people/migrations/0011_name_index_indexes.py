import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0010_index_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='namekey',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='name_keys', to='people.person'),
        ),
        migrations.AddIndex(
            model_name='namekey',
            index=models.Index(fields=['key', 'person'], name='people_name_key_f0912b_idx'),
        ),
    ]
