# Slider, region, image choice, file upload and hidden-field questions (issue #17).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0013_results_device_key")]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="type",
            field=models.CharField(
                choices=[
                    ("nps", "NPS 0–10"),
                    ("csat", "CSAT 1–5"),
                    ("ces", "CES 1–7"),
                    ("rating", "Star rating 1–5"),
                    ("single", "Single choice"),
                    ("multiple", "Multiple choice"),
                    ("dropdown", "Dropdown"),
                    ("short_text", "Short text"),
                    ("long_text", "Long text"),
                    ("consent", "Consent checkbox"),
                    ("matrix", "Matrix (rows on a 1–5 scale)"),
                    ("ranking", "Ranking"),
                    ("date", "Date"),
                    ("slider", "Slider"),
                    ("region", "Region (province / city / district)"),
                    ("image_single", "Image choice (one)"),
                    ("image_multi", "Image choice (several)"),
                    ("file", "File upload"),
                    ("hidden", "Hidden field (from the link)"),
                ],
                max_length=12,
                verbose_name="type",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="config",
            field=models.JSONField(blank=True, default=dict, verbose_name="type settings"),
        ),
        migrations.RemoveConstraint(model_name="answer", name="answer_number_range"),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("number__isnull", True),
                    models.Q(("number__gte", -10000), ("number__lte", 10000)),
                    _connector="OR",
                ),
                name="answer_number_range",
            ),
        ),
        migrations.CreateModel(
            name="ResponseFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),  # noqa: E501
                ("token", models.CharField(max_length=40, unique=True, verbose_name="token")),
                ("question_key", models.SlugField(max_length=40, verbose_name="question key")),
                ("name", models.CharField(max_length=200, verbose_name="file name")),
                ("content_type", models.CharField(max_length=100, verbose_name="content type")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("data", models.BinaryField(verbose_name="data")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "response",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="files",
                        to="surveys.response",
                    ),
                ),
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
                "verbose_name": "uploaded file",
                "verbose_name_plural": "uploaded files",
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("response__isnull", True)),
                        fields=["created_at"],
                        name="file_unclaimed",
                    )
                ],
            },
        ),
    ]
