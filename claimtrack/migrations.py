"""The schema, as a list of small named migrations applied once each, in the order of their numbers.

The steps themselves live by what they make: claimtrack.migrations_record (the record), claimtrack.migrations_search
(the search index) and claimtrack.migrations_desk (sources kept, verifications, sync, the web view); here they
are registered in order, and an upgrade runs them.

Imported only when a database is created or upgraded: the everyday read path
checks `PRAGMA user_version` against SCHEMA_VERSION (in claimtrack.store) instead.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from claimtrack import migrations_desk, migrations_record, migrations_search
from claimtrack.change_log import drop_log_triggers, log_triggers

migrations = Migrations("claimtrack")

# Every step, in the order of its number (a database records them by name; new ones go at the end).
STEPS = (
    migrations_record.m001_initial,
    migrations_record.m002_evidence_and_history,
    migrations_record.m003_archived_urls,
    migrations_record.m004_text_fingerprints,
    migrations_record.m005_meta,
    migrations_record.m006_partial_indexes,
    migrations_record.m007_evidence_changes,
    migrations_record.m008_changes_trash_retraction,
    migrations_search.m009_search_vocabulary,
    migrations_desk.m012_source_snapshots,
    migrations_search.m013_search_prefixes,
    migrations_search.m014_evidence_search,
    migrations_search.m015_search_every_script,
    migrations_desk.m016_archives_and_link_checks,
    migrations_desk.m017_verifications,
    migrations_desk.m018_sync_and_authors,
    migrations_search.m019_readable_views,
    migrations_desk.m020_claim_list_without_joins,
    migrations_desk.m021_speaker_verdicts,
)
for step in STEPS:
    migrations()(step)


# Migrations that rewrite rows already there: a backup copy is made before they run.
REWRITING = {"m004_text_fingerprints", "m008_changes_trash_retraction"}


def rewrites_pending(db: Database) -> bool:
    """True when an upgrade would rewrite existing rows."""
    return any(m.name in REWRITING for m in migrations.pending(db))


def upgrade(db: Database) -> None:
    """Apply every pending migration, then make the change-logging triggers for the schema as it now is."""
    from claimtrack.store.base import SCHEMA_VERSION

    drop_log_triggers(db)
    migrations.apply(db)
    # Migrations are applied by name, so one numbered lower but added later (m010 after m012) runs last
    # on a database that had the others: the version is the schema's, not the last migration's own.
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    log_triggers(db)
