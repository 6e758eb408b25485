# Session 6, issue #18: the audience built in a task, the staff's own email, the status
# of a distribution in words (building / ready / …).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0018_builder_editing")]

    operations = [
        migrations.AddField(
            model_name="distribution",
            name="audience_built_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="audience built at"),
        ),
        migrations.AddField(
            model_name="distribution",
            name="email_body",
            field=models.TextField(blank=True, max_length=5000, verbose_name="email body"),
        ),
        migrations.AddField(
            model_name="distribution",
            name="email_subject",
            field=models.CharField(blank=True, max_length=200, verbose_name="email subject"),
        ),
        migrations.AddField(
            model_name="distribution",
            name="send_requested",
            field=models.BooleanField(
                default=False, verbose_name="send when the audience is built"
            ),
        ),
        migrations.AddField(
            model_name="distribution",
            name="status_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="status note"),
        ),
        migrations.AlterField(
            model_name="distribution",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("building", "Building the audience"),
                    ("ready", "Audience ready"),
                    ("scheduled", "Scheduled"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("cancelled", "Cancelled"),
                ],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
