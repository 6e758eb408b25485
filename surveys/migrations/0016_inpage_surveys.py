# In-page surveys (surveys/inpage/): their configuration, per-device contacts, and the
# "in_page" channel of a response.
import django.db.models.deletion
from django.db import migrations, models

import surveys.inpage.models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0015_wechat_sms_channels")]

    operations = [
        migrations.AlterField(
            model_name="response",
            name="channel",
            field=models.CharField(
                choices=[
                    ("email", "Email"),
                    ("link", "Link"),
                    ("qr", "QR code"),
                    ("wechat", "WeChat"),
                    ("sms", "SMS"),
                    ("api", "App / API"),
                    ("in_page", "In-page survey"),
                ],
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.CreateModel(
            name="InPageSurvey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "key",
                    models.CharField(
                        default=surveys.inpage.models.new_site_key,
                        max_length=32,
                        unique=True,
                        verbose_name="site key",
                    ),
                ),
                ("enabled", models.BooleanField(default=True, verbose_name="enabled")),
                ("allowed_origins", models.TextField(verbose_name="allowed origins")),
                (
                    "trigger",
                    models.CharField(
                        choices=[
                            ("event", "When the site reports an event"),
                            ("page_views", "After a number of page views"),
                        ],
                        default="event",
                        max_length=10,
                        verbose_name="trigger",
                    ),
                ),
                (
                    "event_name",
                    models.CharField(blank=True, max_length=64, verbose_name="event name"),
                ),
                (
                    "page_views",
                    models.PositiveSmallIntegerField(default=3, verbose_name="page views"),
                ),
                (
                    "url_pattern",
                    models.CharField(blank=True, max_length=200, verbose_name="page path pattern"),
                ),
                (
                    "attribute_rules",
                    models.TextField(blank=True, verbose_name="customer attributes"),
                ),
                (
                    "recontact_days",
                    models.PositiveSmallIntegerField(
                        default=30, verbose_name="re-contact after (days)"
                    ),
                ),
                (
                    "follow_up",
                    models.BooleanField(
                        default=True, verbose_name="ask the follow-up text question"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="in_page",
                        to="surveys.survey",
                        verbose_name="survey",
                    ),
                ),
            ],
            options={"verbose_name": "in-page survey", "verbose_name_plural": "in-page surveys"},
        ),
        migrations.CreateModel(
            name="InPageContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("device_id", models.CharField(max_length=64, verbose_name="device id")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("answered", "Answered"),
                            ("dismissed", "Closed without answering"),
                        ],
                        max_length=10,
                        verbose_name="outcome",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="last contact")),
                (
                    "in_page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contacts",
                        to="surveys.inpagesurvey",
                    ),
                ),
            ],
            options={
                "verbose_name": "in-page survey contact",
                "verbose_name_plural": "in-page survey contacts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("in_page", "device_id"), name="inpage_contact_device"
                    )
                ],
            },
        ),
    ]
