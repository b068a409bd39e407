"""Network cases: investigations that grow over detection runs, decisions on their accounts,
pages and groups, appeals and reversals, all as events in the tamper-evident ledger
(:mod:`lockstep.store.ledger`); the current state of every subject is derived from them."""

from lockstep.cases.policy import Policy, load_policy

__all__ = ["Policy", "load_policy"]
