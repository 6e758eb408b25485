# The results pre-aggregate (ResultCube, ResultCubeCell) with the PostgreSQL triggers that
# mark it stale, and Response.device_key (duplicate-device flag). By hand (see HELPERS.md).
import django.db.models.deletion
from django.db import migrations, models

# Marks a survey's pre-aggregate stale when a response it already counts changes. Every
# completion takes a share lock on the survey's cube row first, so a fold (which locks it
# FOR UPDATE before reading) either sees the completion or makes the trigger see its new
# watermark: no completion falls between the cells and the live tail.
TRIGGERS = """
CREATE OR REPLACE FUNCTION surveys_result_cube_touch(p_survey bigint, p_done timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE mark timestamptz;
BEGIN
  SELECT watermark INTO mark FROM surveys_resultcube WHERE survey_id = p_survey FOR SHARE;
  IF FOUND AND p_done < mark THEN
    UPDATE surveys_resultcube SET stale = true WHERE survey_id = p_survey AND NOT stale;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION surveys_result_cube_response() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'completed' THEN
    PERFORM surveys_result_cube_touch(OLD.survey_id, OLD.completed_at);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'completed' THEN
    PERFORM surveys_result_cube_touch(NEW.survey_id, NEW.completed_at);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION surveys_result_cube_answer() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT survey_id, completed_at FROM surveys_response
           WHERE status = 'completed' AND id IN (
             CASE WHEN TG_OP <> 'INSERT' THEN OLD.response_id END,
             CASE WHEN TG_OP <> 'DELETE' THEN NEW.response_id END)
  LOOP
    PERFORM surveys_result_cube_touch(r.survey_id, r.completed_at);
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION surveys_result_cube_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE surveys_resultcube SET stale = true WHERE NOT stale;
  RETURN NULL;
END $$;

CREATE TRIGGER result_cube_response_insert AFTER INSERT ON surveys_response
  FOR EACH ROW WHEN (NEW.status = 'completed')
  EXECUTE FUNCTION surveys_result_cube_response();
CREATE TRIGGER result_cube_response_update AFTER UPDATE ON surveys_response
  FOR EACH ROW WHEN ((OLD.status = 'completed' OR NEW.status = 'completed') AND (
    OLD.status, OLD.completed_at, OLD.survey_id, OLD.version_id, OLD.channel, OLD.store,
    OLD.invitation_id, OLD.nps_score
  ) IS DISTINCT FROM (
    NEW.status, NEW.completed_at, NEW.survey_id, NEW.version_id, NEW.channel, NEW.store,
    NEW.invitation_id, NEW.nps_score))
  EXECUTE FUNCTION surveys_result_cube_response();
CREATE TRIGGER result_cube_response_delete AFTER DELETE ON surveys_response
  FOR EACH ROW WHEN (OLD.status = 'completed')
  EXECUTE FUNCTION surveys_result_cube_response();
CREATE TRIGGER result_cube_answer_insert AFTER INSERT ON surveys_answer
  FOR EACH ROW EXECUTE FUNCTION surveys_result_cube_answer();
CREATE TRIGGER result_cube_answer_update AFTER UPDATE ON surveys_answer
  FOR EACH ROW WHEN ((OLD.response_id, OLD.question_key, OLD.number, OLD.choices)
    IS DISTINCT FROM (NEW.response_id, NEW.question_key, NEW.number, NEW.choices))
  EXECUTE FUNCTION surveys_result_cube_answer();
CREATE TRIGGER result_cube_answer_delete AFTER DELETE ON surveys_answer
  FOR EACH ROW EXECUTE FUNCTION surveys_result_cube_answer();
CREATE TRIGGER result_cube_response_truncate AFTER TRUNCATE ON surveys_response
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_result_cube_truncate();
CREATE TRIGGER result_cube_answer_truncate AFTER TRUNCATE ON surveys_answer
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_result_cube_truncate();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS result_cube_response_insert ON surveys_response;
DROP TRIGGER IF EXISTS result_cube_response_update ON surveys_response;
DROP TRIGGER IF EXISTS result_cube_response_delete ON surveys_response;
DROP TRIGGER IF EXISTS result_cube_response_truncate ON surveys_response;
DROP TRIGGER IF EXISTS result_cube_answer_insert ON surveys_answer;
DROP TRIGGER IF EXISTS result_cube_answer_update ON surveys_answer;
DROP TRIGGER IF EXISTS result_cube_answer_delete ON surveys_answer;
DROP TRIGGER IF EXISTS result_cube_answer_truncate ON surveys_answer;
DROP FUNCTION IF EXISTS surveys_result_cube_response();
DROP FUNCTION IF EXISTS surveys_result_cube_answer();
DROP FUNCTION IF EXISTS surveys_result_cube_truncate();
DROP FUNCTION IF EXISTS surveys_result_cube_touch(bigint, timestamptz);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("surveys", "0012_store_list")]

    operations = [
        migrations.AddField(
            model_name="response",
            name="device_key",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=64, verbose_name="device key"
            ),
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=models.Q(("device_key", ""), _negated=True),
                fields=["survey", "device_key"],
                name="response_survey_device",
            ),
        ),
        migrations.CreateModel(
            name="ResultCube",
            fields=[
                (
                    "survey",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="result_cube",
                        serialize=False,
                        to="surveys.survey",
                    ),
                ),
                ("watermark", models.DateTimeField(verbose_name="aggregated up to")),
                (
                    "time_zone",
                    models.CharField(max_length=64, verbose_name="time zone of the days"),
                ),
                ("stale", models.BooleanField(default=False, verbose_name="stale")),
                ("built_at", models.DateTimeField(verbose_name="built at")),
                (
                    "responses",
                    models.PositiveIntegerField(default=0, verbose_name="aggregated responses"),
                ),
            ],
            options={
                "verbose_name": "results pre-aggregate",
                "verbose_name_plural": "results pre-aggregates",
            },
        ),
        migrations.CreateModel(
            name="ResultCubeCell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.TextField()),
                ("day", models.DateField()),
                ("question_key", models.CharField(blank=True, max_length=64)),
                ("kind", models.PositiveSmallIntegerField()),
                ("value", models.TextField(blank=True)),
                ("n", models.IntegerField()),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.survey",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("survey", "facet", "day", "question_key", "kind", "value"),
                        name="result_cube_cell_unique",
                    )
                ]
            },
        ),
        migrations.RunPython(_on_postgresql(TRIGGERS), _on_postgresql(DROP_TRIGGERS)),
    ]
