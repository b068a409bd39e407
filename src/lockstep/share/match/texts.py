"""Near-duplicate texts: MinHash signatures of character shingles, ours against the tip's.

Why character 3-shingles over a normalised text (NFKC, case-folded, links and spacing
removed): operations post one template with small edits (an emoji, "!" or "！", a
different link per post) in scripts without word boundaries; the detection stage's
near-duplicate signal uses the same shingles and the same datasketch signatures
(``lockstep.signals.near_duplicates``), so "near-duplicate" means the same here and there.
A tip has tens of texts, so each is compared with every one of our distinct texts directly
(the share of equal signature rows estimates Jaccard similarity); an LSH index would only
pay off with thousands of tip texts.

A tip may carry a fingerprint (MinHash hex words, :mod:`lockstep.share.fingerprint`) besides
a sample. Both are compared and the higher similarity counts: the sample with our
normalisation (links removed: an operation gives every post its own link, which would
dilute the shingles), the fingerprint in its writer's own method (``METHOD`` there) when it
has that method's length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from lockstep.share import fingerprint as FP
from lockstep.signals.near_duplicates import _signatures, shingles

K = 3
NUM_PERM = 128
SEED = 1
THRESHOLD = 0.5  # estimated Jaccard at or above which two texts are near-duplicates
_LINK = re.compile(r"(?:https?://|hxxps?://|www\.)\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_RETWEET = re.compile(r"^\s*rt\s+@[\w.]+:?\s*", re.IGNORECASE)  # a repost's prefix names the reposted, not the text


def normal_text(text: str) -> str:
    """The text as shingled: NFKC, no repost prefix (``RT @name:``), case-folded, without links,
    single-spaced."""
    t = _RETWEET.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return _SPACE.sub(" ", _LINK.sub(" ", t)).strip()


def signatures(texts: Sequence[str]) -> np.ndarray:
    """One MinHash signature row per text (``NUM_PERM`` unsigned words)."""
    if not texts:
        return np.zeros((0, NUM_PERM), dtype=np.uint64)
    return np.asarray(_signatures([shingles(normal_text(t), K) for t in texts], NUM_PERM, SEED))


def fingerprint_signatures(texts: Sequence[str]) -> np.ndarray:
    """Signatures of our texts in the tip writers' fingerprint method
    (:mod:`lockstep.share.fingerprint`: its normalisation, shingles, permutations and seed)."""
    if not texts:
        return np.zeros((0, FP.NUM_PERM), dtype=np.uint64)
    return np.asarray(_signatures([shingles(FP.normalise_text(t), FP.SHINGLE) for t in texts], FP.NUM_PERM, FP.SEED))


def from_fingerprint(words: Sequence[str]) -> np.ndarray | None:
    """A signature row from a tip's fingerprint, or None when it was not made by
    :mod:`lockstep.share.fingerprint`'s method (another length, not hex words)."""
    if len(words) != FP.NUM_PERM:
        return None
    try:
        return np.array([int(w, 16) for w in words], dtype=np.uint64)
    except (TypeError, ValueError, OverflowError):
        return None


def best_matches(ours: np.ndarray, tips: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of our rows: the index of the most similar tip row, and that similarity."""
    if len(ours) == 0 or len(tips) == 0:
        return np.zeros(len(ours), dtype=np.int64), np.zeros(len(ours))
    best = np.zeros(len(ours))
    which = np.zeros(len(ours), dtype=np.int64)
    for j, row in enumerate(tips):
        sim = np.count_nonzero(ours == row.astype(ours.dtype), axis=1) / float(ours.shape[1])
        better = sim > best
        best[better], which[better] = sim[better], j
    return which, best
