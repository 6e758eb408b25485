from django.db import migrations, models

# One statement, valid on PostgreSQL and SQLite: the items made before the column existed get
# their response's 0–10 answer.
FILL = """
UPDATE feedback_feedbackitem
SET nps_score = (
    SELECT surveys_response.nps_score FROM surveys_response
    WHERE surveys_response.id = feedback_feedbackitem.response_id
)
WHERE response_id IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("surveys", "0003_distribution_follows_up_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedbackitem",
            name="nps_score",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="NPS score of the response"
            ),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop, elidable=True),
    ]
