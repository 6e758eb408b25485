# WeChat identity on surveys and responses; SMS invitations (short codes, delivery receipts).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0014_more_question_types")]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="delivered at"),
        ),
        migrations.AddField(
            model_name="invitation",
            name="delivery",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Handed to the SMS provider"),
                    ("delivered", "Delivered to the phone"),
                    ("failed", "Not delivered"),
                ],
                max_length=10,
                verbose_name="delivery",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="provider_message_id",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="provider message id"
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="short_code_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="wechat_openid",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=64, verbose_name="WeChat openid"
            ),
        ),
        migrations.AddField(
            model_name="survey",
            name="wechat_identity",
            field=models.CharField(
                choices=[
                    ("off", "Not asked"),
                    ("record", "Record the WeChat openid"),
                    ("once", "One answer per WeChat user"),
                ],
                default="off",
                max_length=8,
                verbose_name="WeChat identity",
            ),
        ),
        migrations.AlterField(
            model_name="distribution",
            name="channel",
            field=models.CharField(
                choices=[("email", "Email"), ("link", "Link"), ("sms", "SMS")],
                default="email",
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="skip_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("unsubscribed", "Unsubscribed"),
                    ("frequency_cap", "Contacted recently"),
                    ("no_email", "No email address"),
                    ("no_consent", "No consent"),
                    ("no_phone", "No mobile number"),
                ],
                max_length=16,
                verbose_name="skip reason",
            ),
        ),
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
                ],
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=~models.Q(wechat_openid=""),
                fields=["survey", "wechat_openid"],
                name="response_wechat_openid",
            ),
        ),
    ]
