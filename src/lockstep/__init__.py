"""lockstep: find networks of accounts that act in lockstep, and show the evidence.

The data flows ingest -> canonical tables (``lockstep.model``) -> store
(``lockstep.store``) -> signals -> coordination graph -> campaigns -> evidence.
"""

__version__ = "0.1.0"
