# Stores from imports: where a listed store came from, and a customer's home store.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0016_inpage_surveys")]

    operations = [
        migrations.AddField(
            model_name="store",
            name="source",
            field=models.CharField(
                choices=[("admin", "Added by hand"), ("import", "Added by an import")],
                default="admin",
                max_length=10,
                verbose_name="added",
            ),
        ),
        migrations.AddField(
            model_name="customer",
            name="store",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="customers",
                to="surveys.store",
                verbose_name="home store",
            ),
        ),
    ]
