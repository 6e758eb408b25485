from analytics.management.commands._import_command import ImportCommand
from analytics.models import ImportKind


class Command(ImportCommand):
    help = "Import purchases from a CSV or XLSX file (same rules as the API); prints a summary."
    kind = ImportKind.PURCHASES
