# Session 6 (H4): referral codes and referrals, customers' demographic profile, import notes.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analytics", "0005_purchase_store")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="notes",
            field=models.JSONField(blank=True, default=list, verbose_name="notes"),
        ),
        migrations.CreateModel(
            name="CustomerProfile",
            fields=[
                ("customer", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="profile", serialize=False, to="surveys.customer", verbose_name="customer")),
                ("gender", models.CharField(blank=True, choices=[("female", "Female"), ("male", "Male"), ("other", "Other")], max_length=6, verbose_name="gender")),
                ("birth_year", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="birth year")),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("member_level", models.CharField(blank=True, max_length=32, verbose_name="member level")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={
                "verbose_name": "customer profile",
                "verbose_name_plural": "customer profiles",
                "indexes": [models.Index(fields=["gender"], name="profile_gender"), models.Index(fields=["birth_year"], name="profile_birth_year"), models.Index(fields=["city"], name="profile_city"), models.Index(fields=["member_level"], name="profile_member_level")],
                "constraints": [models.CheckConstraint(condition=models.Q(("birth_year__isnull", True), models.Q(("birth_year__gte", 1900), ("birth_year__lte", 2100)), _connector="OR"), name="profile_birth_year_range")],
            },
        ),
        migrations.CreateModel(
            name="ReferralCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=16, unique=True, verbose_name="referral code")),
                ("visits", models.PositiveIntegerField(default=0, verbose_name="link visits")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("customer", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="referral_codes", to="surveys.customer", verbose_name="customer")),
                ("response", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="referral_codes", to="surveys.response", verbose_name="response")),
            ],
            options={
                "verbose_name": "referral code",
                "verbose_name_plural": "referral codes",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Referral",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(choices=[("link", "Referral link"), ("import", "Import")], max_length=10, verbose_name="source")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="referred at")),
                ("import_job", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="analytics.importjob")),
                ("referred", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="referral", to="surveys.customer", verbose_name="referred customer")),
                ("code", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="referrals", to="analytics.referralcode", verbose_name="referral code")),
            ],
            options={
                "verbose_name": "referral",
                "verbose_name_plural": "referrals",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.AddConstraint(
            model_name="referralcode",
            constraint=models.UniqueConstraint(condition=models.Q(("customer__isnull", False)), fields=("customer",), name="referralcode_one_per_customer"),
        ),
        migrations.AddConstraint(
            model_name="referralcode",
            constraint=models.UniqueConstraint(condition=models.Q(("response__isnull", False)), fields=("response",), name="referralcode_one_per_response"),
        ),
    ]
