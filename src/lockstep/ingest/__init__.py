"""Ingest: read platform files (IO archive, twarc2, Jetstream, CooRTweet, ...) into a workspace.

``ingest_paths(ws, paths)`` is the API; ``lockstep ingest`` the command. One module per
concern: ``source`` (opening, gzip, pre-pass), ``detect`` (format by header / first JSON
line), ``formats/`` (one module per format family), ``csvscan``/``csvpipe`` (streaming CSV
through DuckDB), ``jsonrecords``/``jsonpipe`` (JSON in any layout, Parquet), ``report``, ``quarantine`` and ``progress``.
"""

from lockstep.ingest.api import IngestOptions, ingest_paths
from lockstep.ingest.report import FileReport, IngestReport
from lockstep.ingest.formats import FORMATS

__all__ = ["FORMATS", "FileReport", "IngestOptions", "IngestReport", "ingest_paths"]
