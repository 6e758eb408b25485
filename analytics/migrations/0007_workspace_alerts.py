# Placeholder (session 6): filled by the helper that owns it; empty until then.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0006_referrals_demographics")]

    operations = []
