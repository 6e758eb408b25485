# The results' day bitmaps (#14, results speed: two facets or more at once read from them
# instead of scanning the facts). Existing pre-aggregates are marked stale so that the next
# refresh (every 5 minutes) rebuilds them with their bitmaps. By hand (HELPERS.md).
import django.db.models.deletion
from django.db import migrations, models

import surveys.models.results


def _rebuild_cubes(apps, schema_editor):
    apps.get_model("surveys", "ResultCube").objects.update(stale=True)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0022_h2_result_segments")]

    operations = [
        migrations.AddField(
            model_name="resultcube",
            name="day_bits",
            field=models.BooleanField(default=False, verbose_name="day bitmaps complete"),
        ),
        migrations.CreateModel(
            name="ResultDayBits",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.TextField()),
                ("day", models.DateField()),
                ("bits", surveys.models.results.BitStringField()),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.survey",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["survey", "day"], name="result_day_bits_day")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("survey", "facet", "day"), name="result_day_bits_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(_rebuild_cubes, migrations.RunPython.noop),
    ]
