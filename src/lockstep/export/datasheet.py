"""The datasheet (README.md) every transparency release carries: what it holds, the hashing
rule, and what it cannot promise. Written from the release's own counts, never from raw
account data, so it cannot carry an identifier the check would have to catch."""

from __future__ import annotations

from typing import Any

from lockstep.export.hashing import MIN_FREE_TEXT


def datasheet(rel: dict[str, Any], n_profiles: int) -> str:
    """The README.md text for a release described by ``rel`` (release.json's content)."""
    kinds = ", ".join(f"{n} {k}" for k, n in rel["tweets_by_kind"].items()) or "none"
    t = rel["threshold"]
    return f"""# Transparency release: {rel['subject']}

Made by lockstep from detection run `{rel['run_id'] or 'unknown'}`. Accounts and actions of
one coordinated network, published so that people can study it, in the layout of the Twitter
Information Operations archive.

## Files

| file | what |
|---|---|
| `tweets.csv` | {rel['n_tweets']} posts, reposts, replies and quotes ({kinds}), one row each, with the author's profile columns |
| `users.csv` | {n_profiles} account profiles (of {rel['n_accounts']} accounts in the network) |
| `release.json` | the counts below, the follower threshold and the key fingerprint |
| `README.md` | this datasheet |

Columns and formats are those of the archive: `tweet_time` in UTC (`YYYY-MM-DD HH:MM`, or
with seconds where the source had them), list columns as `['a', 'b']`, `is_retweet` as
`True`/`False`, coordinates `absent`. Counts the source did not hold (`like_count`,
`quote_count`, `reply_count`, `retweet_count`) are empty, not zero. `lockstep ingest`
reads both files back (formats `io-tweets` and `io-users`).

## Hashing rule

Every account with fewer than {t} followers, or whose follower count is not known, is
replaced by a keyed hash: HMAC-SHA256 of its account id with a secret key that the
publisher keeps, written as 64 hexadecimal characters. The same hash replaces its id, its
screen name and its display name, in every column and place that can carry them:
`userid`, `user_screen_name`, `user_display_name`, `in_reply_to_userid`, `retweet_userid`,
`user_mentions`, and inside `tweet_text`, the profile fields, urls and hashtags. Ids and
handles named by the network's tweets but unknown to the publisher are hashed too.
Accounts with at least {t} followers keep their ids and names.

- {rel['n_hashed_accounts']} accounts are hashed; {rel['n_kept_accounts']} keep their ids.
- Key fingerprint `{rel['key_fingerprint']}`: releases with the same fingerprint used the
  same key, so a hash means the same account in all of them. Without the key, a hash
  cannot be reversed or recomputed from an id.
- Tweet ids are not hashed, as in the archive.

Before the files were published, a release check read back every byte of them and searched
for every raw id, handle and display name of a hashed account; it found none.

## Limits

- Display names shorter than {MIN_FREE_TEXT} characters, or that are part of a kept account's
  own name ({rel['short_names']} in this release), are hashed in their own columns but not
  searched for inside free text, where they would match ordinary words or hash a large
  account's name.
- Hashing errs toward hiding: a hashed account whose handle or display name is an ordinary
  word has that word replaced by its hash wherever it stands in the text.
- Matching is on whole words: an id or handle glued to other letters or digits is not
  treated as a mention. A small account named in an image, a link preview or an
  obfuscated spelling is not found.
- Follower counts are those the publisher's data held, not counts at the time of
  suspension.
- Likes, follows, group memberships and access logs (IP addresses, devices) are not part
  of the archive layout and are not released.
- Hashing hides names, not behaviour: timing, text and links can still point to a person.
"""
