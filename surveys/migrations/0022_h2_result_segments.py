# The customer's segments on the results' per-response facts and what they were read for
# on the pre-aggregate (#14, results speed: value tier and RFM segment read from the cells).
# Existing pre-aggregates have no basis: segment filters count from the customers until the
# next refresh rebuilds them. By hand (HELPERS.md).
from django.db import migrations, models

import surveys.models.results


class Migration(migrations.Migration):
    dependencies = [("surveys", "0021_respondent_channels")]

    operations = [
        migrations.AddField(
            model_name="resultcube",
            name="segments_basis",
            field=models.TextField(blank=True, default="", verbose_name="customer segments of"),
        ),
        migrations.AddField(
            model_name="resultfact",
            name="segments",
            field=surveys.models.results.SegmentArrayField(null=True),
        ),
    ]
