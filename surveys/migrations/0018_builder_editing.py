# Builder editing (session 6): skip logic on questions, the question bank, undo snapshots.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0017_store_from_imports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="jumps",
            field=models.JSONField(blank=True, default=list, verbose_name="skip logic"),
        ),
        migrations.CreateModel(
            name="QuestionBankItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=500, verbose_name="question")),
                ("type", models.CharField(choices=[("nps", "NPS 0–10"), ("csat", "CSAT 1–5"), ("ces", "CES 1–7"), ("rating", "Star rating 1–5"), ("single", "Single choice"), ("multiple", "Multiple choice"), ("dropdown", "Dropdown"), ("short_text", "Short text"), ("long_text", "Long text"), ("consent", "Consent checkbox"), ("matrix", "Matrix (rows on a 1–5 scale)"), ("ranking", "Ranking"), ("date", "Date"), ("slider", "Slider"), ("region", "Region (province / city / district)"), ("image_single", "Image choice (one)"), ("image_multi", "Image choice (several)"), ("file", "File upload"), ("hidden", "Hidden field (from the link)")], max_length=12, verbose_name="type")),
                ("spec", models.JSONField(verbose_name="question")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "question bank item",
                "verbose_name_plural": "question bank",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="QuestionsSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("change", models.CharField(choices=[("add", "adding a question"), ("edit", "editing a question"), ("delete", "deleting a question"), ("move", "moving questions"), ("duplicate", "duplicating a question"), ("bank", "inserting from the question bank"), ("questions", "changing the questions")], max_length=10, verbose_name="change")),
                ("questions", models.JSONField(verbose_name="questions")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("survey", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="surveys.survey")),
            ],
            options={
                "verbose_name": "questions snapshot",
                "verbose_name_plural": "questions snapshots",
                "ordering": ["-id"],
                "indexes": [models.Index(fields=["survey", "-id"], name="snapshot_survey_latest")],
            },
        ),
    ]
