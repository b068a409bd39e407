"""Named queries: every question a later stage (account signals, roles, stats, explain,
watch) asks of the workspace tables, as a typed, documented function.

Why here and not in the callers: only ``store/``, ``engine/`` and ``ingest/`` may hold SQL or
touch a database connection, so a second store (or a cluster engine) has one list of
questions to answer, and each caller keeps only its Python logic. A query takes the
workspace and plain Python or Arrow inputs and returns small typed rows; where it needs a
temporary table (a campaign's members, a list of ids) it registers and drops it itself.

Modules, by topic: ``activity`` (when and how accounts act), ``profile`` (what accounts look
like, when they were created), ``infrastructure`` (access logs, links), ``engagement`` (the
one definition of engaging a campaign's core, and engagement received), ``synchrony``
(acting on the core's items within seconds), ``stats`` (what the workspace holds),
``watch`` (rows a streamed chunk stored). Recorded runs: ``lockstep.store.runs``.
"""

from lockstep.store.queries.base import has_rows

__all__ = ["has_rows"]
