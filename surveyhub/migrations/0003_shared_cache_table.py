"""The table of the database cache (surveyhub/security/shared_cache.py): the shared store of
the rate-limit and log-in counters when DEBUG is off and no CACHE_URL is set. Created always,
whatever the cache settings at migrate time, exactly as `createcachetable` makes it."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "surveyhub_cache"  # surveyhub.security.shared_cache.TABLE (migrations import no app)


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("surveyhub", "0002_api_tokens_and_login_lockouts")]

    operations = [migrations.RunPython(create_table, drop_table)]
