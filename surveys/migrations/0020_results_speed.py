# The results' per-response facts and coded cells with quality flags (#14, results speed):
# ResultCode, ResultFact, ResultCubeCell re-made (flags, code), ResultCube.speeder_threshold;
# the cube triggers also watch a response's duration and device key. By hand (HELPERS.md).
import django.db.models.deletion
from django.db import migrations, models

import surveys.models.results

# A response completing, changing or going away changes the duplicate flag of the later
# responses (higher id) of its device: when one of them is already aggregated, the
# survey's pre-aggregate is stale.
TRIGGERS = """
CREATE OR REPLACE FUNCTION surveys_result_cube_device(p_survey bigint, p_device text,
                                                      p_id bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE mark timestamptz;
BEGIN
  IF p_device IS NULL OR p_device = '' THEN RETURN; END IF;
  SELECT watermark INTO mark FROM surveys_resultcube WHERE survey_id = p_survey FOR SHARE;
  IF FOUND AND EXISTS (
      SELECT 1 FROM surveys_response WHERE survey_id = p_survey AND device_key = p_device
      AND id > p_id AND status = 'completed' AND completed_at < mark) THEN
    UPDATE surveys_resultcube SET stale = true WHERE survey_id = p_survey AND NOT stale;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION surveys_result_cube_response() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'completed' THEN
    PERFORM surveys_result_cube_touch(OLD.survey_id, OLD.completed_at);
    PERFORM surveys_result_cube_device(OLD.survey_id, OLD.device_key, OLD.id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'completed' THEN
    PERFORM surveys_result_cube_touch(NEW.survey_id, NEW.completed_at);
  END IF;
  -- A new row has the highest id of its device: no later response's flag depends on it,
  -- so the public submit's insert skips the device look-up.
  IF TG_OP = 'UPDATE' AND NEW.status = 'completed' THEN
    PERFORM surveys_result_cube_device(NEW.survey_id, NEW.device_key, NEW.id);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS result_cube_response_update ON surveys_response;
CREATE TRIGGER result_cube_response_update AFTER UPDATE ON surveys_response
  FOR EACH ROW WHEN ((OLD.status = 'completed' OR NEW.status = 'completed') AND (
    OLD.status, OLD.completed_at, OLD.started_at, OLD.survey_id, OLD.version_id, OLD.channel,
    OLD.store, OLD.invitation_id, OLD.nps_score, OLD.customer_id, OLD.device_key
  ) IS DISTINCT FROM (
    NEW.status, NEW.completed_at, NEW.started_at, NEW.survey_id, NEW.version_id, NEW.channel,
    NEW.store, NEW.invitation_id, NEW.nps_score, NEW.customer_id, NEW.device_key))
  EXECUTE FUNCTION surveys_result_cube_response();

-- The facts keep the customer's region: a changed region of an aggregated response's
-- customer makes the survey's pre-aggregate stale.
CREATE OR REPLACE FUNCTION surveys_result_cube_customer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE surveys_resultcube c SET stale = true WHERE NOT c.stale AND EXISTS (
    SELECT 1 FROM surveys_response r WHERE r.customer_id = NEW.id
    AND r.survey_id = c.survey_id AND r.status = 'completed' AND r.completed_at < c.watermark);
  RETURN NULL;
END $$;
CREATE TRIGGER result_cube_customer_region AFTER UPDATE OF region ON surveys_customer
  FOR EACH ROW WHEN (OLD.region IS DISTINCT FROM NEW.region)
  EXECUTE FUNCTION surveys_result_cube_customer();
UPDATE surveys_resultcube SET stale = true;
"""

UNDO_TRIGGERS = """
DROP TRIGGER IF EXISTS result_cube_customer_region ON surveys_customer;
DROP FUNCTION IF EXISTS surveys_result_cube_customer();
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
DROP TRIGGER IF EXISTS result_cube_response_update ON surveys_response;
CREATE TRIGGER result_cube_response_update AFTER UPDATE ON surveys_response
  FOR EACH ROW WHEN ((OLD.status = 'completed' OR NEW.status = 'completed') AND (
    OLD.status, OLD.completed_at, OLD.survey_id, OLD.version_id, OLD.channel, OLD.store,
    OLD.invitation_id, OLD.nps_score
  ) IS DISTINCT FROM (
    NEW.status, NEW.completed_at, NEW.survey_id, NEW.version_id, NEW.channel, NEW.store,
    NEW.invitation_id, NEW.nps_score))
  EXECUTE FUNCTION surveys_result_cube_response();
DROP FUNCTION IF EXISTS surveys_result_cube_device(bigint, text, bigint);
UPDATE surveys_resultcube SET stale = true;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def _survey():
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="surveys.survey"
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0019_distribution_audience")]

    operations = [
        migrations.AddField(
            model_name="resultcube",
            name="speeder_threshold",
            field=models.DurationField(blank=True, null=True, verbose_name="speeder threshold"),
        ),
        # The cells are re-made in the new shape; every pre-aggregate is rebuilt.
        migrations.DeleteModel(name="ResultCubeCell"),
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
                ("flags", models.SmallIntegerField(default=0)),
                ("code", models.IntegerField()),
                ("n", models.IntegerField()),
                ("survey", _survey()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("survey", "facet", "day", "flags", "code"),
                        name="result_cube_cell_unique",
                    )
                ]
            },
        ),
        migrations.CreateModel(
            name="ResultCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.IntegerField()),
                ("question_key", models.CharField(blank=True, max_length=64)),
                ("kind", models.PositiveSmallIntegerField()),
                ("value", models.TextField(blank=True)),
                ("survey", _survey()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("survey", "code"), name="result_code_unique"),
                    models.UniqueConstraint(
                        fields=("survey", "question_key", "kind", "value"),
                        name="result_code_value",
                    ),
                ]
            },
        ),
        migrations.CreateModel(
            name="ResultFact",
            fields=[
                ("response_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("day", models.DateField()),
                ("channel", models.CharField(max_length=10)),
                ("store", models.CharField(blank=True, max_length=64)),
                ("version", models.IntegerField()),
                ("distribution_id", models.BigIntegerField(null=True)),
                ("customer_id", models.BigIntegerField(null=True)),
                ("region", models.CharField(blank=True, max_length=100)),
                ("nps_score", models.SmallIntegerField(null=True)),
                ("flags", models.SmallIntegerField(default=0)),
                ("codes", surveys.models.results.CodeArrayField()),
                ("survey", _survey()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["survey", "day"], name="result_fact_day"),
                    models.Index(fields=["survey", "store", "day"], name="result_fact_store"),
                    models.Index(fields=["survey", "customer_id"], name="result_fact_customer"),
                    models.Index(
                        fields=["survey", "distribution_id"], name="result_fact_distribution"
                    ),
                ]
            },
        ),
        migrations.RunPython(_on_postgresql(TRIGGERS), _on_postgresql(UNDO_TRIGGERS)),
    ]
