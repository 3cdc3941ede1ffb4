"""The SQLite store: all of claimtrack's SQL lives in this package.

Reads run on the standard library's sqlite3 connection; sqlite-utils is imported
only for writes and migrations, so everyday read commands start fast.
"""

from __future__ import annotations

from claimtrack.store.archives import ArchivesMixin
from claimtrack.store.base import SCHEMA_VERSION, Connection, now, open_store
from claimtrack.store.changes import ChangesMixin
from claimtrack.store.claims import ClaimsMixin
from claimtrack.store.edits import EditsMixin
from claimtrack.store.export import ExportMixin
from claimtrack.store.extracted import ExtractedMixin
from claimtrack.store.interchange import InterchangeMixin
from claimtrack.store.maintenance import MaintenanceMixin
from claimtrack.store.merging import MergingMixin
from claimtrack.store.report import ReportMixin
from claimtrack.store.retraction import RetractionMixin
from claimtrack.store.search import SearchMixin, to_fts_query
from claimtrack.store.snapshots import SnapshotsMixin
from claimtrack.store.speakers import SpeakersMixin
from claimtrack.store.standing import StandingMixin
from claimtrack.store.sync import SyncMixin
from claimtrack.store.trash import TrashMixin
from claimtrack.store.verifications import VerificationsMixin


class Store(ClaimsMixin, SearchMixin, EditsMixin, SpeakersMixin, StandingMixin, ExportMixin, InterchangeMixin,
            MergingMixin, ReportMixin, MaintenanceMixin, TrashMixin, ChangesMixin, RetractionMixin, SnapshotsMixin,
            ArchivesMixin, ExtractedMixin, SyncMixin, VerificationsMixin, Connection):
    """A claimtrack database: queries return model objects, writes take drafts and patches."""


__all__ = ["SCHEMA_VERSION", "Store", "now", "open_store", "to_fts_query"]
