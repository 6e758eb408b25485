# The answer trigger of the results pre-aggregate reads its response by primary key, one
# scalar look-up for OLD and one for NEW. It used `id IN (CASE … END, CASE … END)`: PL/pgSQL
# caches a generic plan per connection, and one made while the table was small chose the
# status index and filtered every completed response by id, so each answer the public
# submit inserted read the whole table (the load bench: 5,000 buffers per submit, half the
# database's CPU). A condition on the primary key alone has one plan whatever the
# statistics say; the status is checked after the read. By hand (HELPERS.md).
from django.db import migrations

ANSWER_TRIGGER = """
CREATE OR REPLACE FUNCTION surveys_result_cube_answer() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE survey bigint; done timestamptz; state text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT survey_id, completed_at, status INTO survey, done, state
      FROM surveys_response WHERE id = OLD.response_id;
    IF state = 'completed' THEN PERFORM surveys_result_cube_touch(survey, done); END IF;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.response_id <> OLD.response_id) THEN
    SELECT survey_id, completed_at, status INTO survey, done, state
      FROM surveys_response WHERE id = NEW.response_id;
    IF state = 'completed' THEN PERFORM surveys_result_cube_touch(survey, done); END IF;
  END IF;
  RETURN NULL;
END $$;
"""

PREVIOUS_ANSWER_TRIGGER = """
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
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("surveys", "0023_h3_results_day_bits")]

    operations = [
        migrations.RunPython(
            _on_postgresql(ANSWER_TRIGGER), _on_postgresql(PREVIOUS_ANSWER_TRIGGER)
        ),
    ]
