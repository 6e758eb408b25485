# Placeholder (session 6): filled by the helper that owns it; empty until then.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("surveys", "0020_results_speed")]

    operations = []
