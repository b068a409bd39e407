"""Text fingerprints for tips: a MinHash signature of a text's character shingles.

Why MinHash and not a hash of the text: operations lightly edit the texts they repeat (an
emoji, a swapped word); a receiver compares signatures to estimate the Jaccard similarity of
the shingle sets, so near-duplicates match without the sender sharing every text. Character
shingles (spaces removed) treat every script alike, as ``signals.near_duplicates`` does, and
the signature is datasketch's, so anyone with datasketch and the declared parameters
(``METHOD``) computes the same numbers.
"""

from __future__ import annotations

from datasketch import MinHash

from lockstep.signals.near_duplicates import shingles

NUM_PERM = 64
SHINGLE = 3
SEED = 1
METHOD = f"minhash:datasketch-sha1_32:char-{SHINGLE}:perm-{NUM_PERM}:seed-{SEED}:lower,spaces-removed"


def normalise_text(text: str) -> str:
    """Lower case, runs of white space as one space, trimmed."""
    return " ".join(text.lower().split())


def fingerprint(text: str) -> tuple[str, ...]:
    """The signature of ``text`` as ``NUM_PERM`` hex words (8 hex digits each)."""
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch(shingles(normalise_text(text), SHINGLE))
    return tuple(f"{int(v):08x}" for v in m.hashvalues)


def similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when they are not comparable)."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)
