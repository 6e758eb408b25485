# Session 6, issue #16 "Speed": the at-risk list's page is one ordered index range per band;
# each run keeps its segments' figures (the segment pages then only count the NPS answers).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analytics", "0007_workspace_alerts")]

    operations = [
        migrations.AddField(
            model_name="clvrun",
            name="segment_figures",
            field=models.JSONField(blank=True, default=list, verbose_name="segment figures"),
        ),
        migrations.AddIndex(
            model_name="customervalue",
            index=models.Index(
                fields=["run", "churn_band", "-value_at_stake", "-clv", "customer"],
                name="customervalue_at_risk",
            ),
        ),
    ]
