# Stores from imports: the store of a purchase, and the stores an import added to the list.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_workspace_reports"),
        ("surveys", "0017_store_from_imports"),
    ]

    operations = [
        migrations.AddField(
            model_name="purchase",
            name="store",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="purchases",
                to="surveys.store",
                verbose_name="store",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="stores_added",
            field=models.JSONField(blank=True, default=list, verbose_name="stores added"),
        ),
        migrations.AddIndex(
            model_name="purchase",
            index=models.Index(fields=["store", "ordered_at"], name="purchase_store_date"),
        ),
    ]
