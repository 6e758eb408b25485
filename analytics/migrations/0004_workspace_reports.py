# Reports: PDF, language, scheduled, emailed_to and the download log; the workspace's figures.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_alerts_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="format",
            field=models.CharField(
                choices=[("xlsx", "Excel"), ("pdf", "PDF"), ("html", "Printable HTML")],
                max_length=4,
                verbose_name="format",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="language",
            field=models.CharField(default="zh-hans", max_length=10, verbose_name="language"),
        ),
        migrations.AddField(
            model_name="report",
            name="scheduled",
            field=models.BooleanField(default=False, verbose_name="scheduled"),
        ),
        migrations.AddField(
            model_name="report",
            name="email_managers",
            field=models.BooleanField(default=False, verbose_name="email to managers"),
        ),
        migrations.AddField(
            model_name="report",
            name="emailed_to",
            field=models.PositiveIntegerField(default=0, verbose_name="emailed to"),
        ),
        migrations.CreateModel(
            name="ReportDownload",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("via", models.CharField(default="page", max_length=8, verbose_name="via")),
                (
                    "downloaded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="downloaded at"),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="downloads",
                        to="analytics.report",
                        verbose_name="report",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "report download",
                "verbose_name_plural": "report downloads",
                "ordering": ["-downloaded_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="WorkspaceFigures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("data", models.JSONField(default=dict, verbose_name="data")),
                ("computed_on", models.DateField(verbose_name="computed on")),
                (
                    "snapshot",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="workspace",
                        to="analytics.evaluationsnapshot",
                        verbose_name="evaluation snapshot",
                    ),
                ),
            ],
            options={
                "verbose_name": "workspace figures",
                "verbose_name_plural": "workspace figures",
            },
        ),
    ]
