"""Profile signals: what an account looks like, before it does anything.

These are the signals that still work for an amplifier that acted once: Twitter's
200,000 amplifiers were created in bursts after the first suspensions, with generated
handles, empty profiles and almost no followers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from lockstep.accounts.base import AccountSignal, Finding, Param, pct, register
from lockstep.store.queries import profile as q
from lockstep.store.workspace import Workspace


@register
class CreationBurst(AccountSignal):
    name = "creation_burst"
    explanation = ("Many accounts created in the same hour (or day, when only dates are known),"
                   " far more than the usual rate around that time: mass creation.")
    parameters = (Param("min_size", int, 5, "Fewest accounts created in one bin.", min=1),
                  Param("min_ratio", float, 5.0, "Least ratio of the bin's count to the usual rate around it.",
                        min=1),
                  Param("context_days", int, 30, "Days either side that set the usual rate.", min=1))

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        # Day bins when creation times are dates only (IO archive users files).
        unit = q.creation_unit(ws)
        if unit is None:
            return []
        bins_in_context = 2 * p["context_days"] * (1 if unit == "day" else 24)
        rows = q.crowded_creation_bins(ws, unit, p["context_days"], p["min_size"])
        out: list[Finding] = []
        for acc, bin_, n, around in rows:
            expected = around / bins_in_context
            ratio = n / (expected + 1.0)
            if ratio < p["min_ratio"]:
                continue
            strength = min(1.0, math.log(ratio) / math.log(100.0))
            when = bin_.strftime("%Y-%m-%d") if unit == "day" else bin_.strftime("%Y-%m-%d %H:00 UTC")
            out.append(Finding(acc, self.name, strength,
                               f"created {when} together with {n - 1} other accounts in the same"
                               f" {unit} (usual rate around then: {expected:.1f} per {unit})",
                               {"bin": when, "unit": unit, "n_same_bin": int(n),
                                "expected": round(expected, 2), "ratio": round(ratio, 1)}))
        return out


_NAME_DIGITS = re.compile(r"^([A-Za-z_]*[A-Za-z])_?(\d{4,})$")
_RANDOM = re.compile(r"^[A-Za-z0-9]{12,15}$")


@register
class HandlePattern(AccountSignal):
    name = "handle_pattern"
    explanation = ("Handle is a name followed by a long run of digits (the pattern of handles a"
                   " platform suggests, or a script generates), e.g. 'Jessica38562743'.")
    parameters = (Param("min_digits", int, 4, "Fewest trailing digits after a name.", min=1),)

    def compute(self, ws: Workspace, account_ids: Sequence[str] | None = None) -> list[Finding]:
        """Findings for every account, or only ``account_ids`` (``lockstep watch``)."""
        rows = q.handles(ws, account_ids)
        out: list[Finding] = []
        for acc, handle in rows:
            m = _NAME_DIGITS.match(handle)
            if m and len(m.group(2)) >= self.params["min_digits"]:
                digits = len(m.group(2))
                strength = {4: 0.3, 5: 0.4, 6: 0.6, 7: 0.7}.get(digits, 0.9)
                out.append(Finding(acc, self.name, strength,
                                   f"handle @{handle} is a name plus {digits} digits",
                                   {"handle": handle, "digits": digits}))
            elif (_RANDOM.match(handle) and sum(c.isdigit() for c in handle) >= 4
                  and sum(c.isupper() for c in handle) >= 3 and handle.lower() != handle):
                out.append(Finding(acc, self.name, 0.5, f"handle @{handle} looks randomly generated",
                                   {"handle": handle}))
        return out


@register
class EmptyProfile(AccountSignal):
    name = "empty_profile"
    explanation = ("Profile left empty or at the platform default: no description, no link,"
                   " default picture or theme, display name equal to the handle.")
    parameters = (Param("min_missing", int, 2, "Fewest empty or default profile fields.", min=1, max=5),)

    def compute(self, ws: Workspace, account_ids: Sequence[str] | None = None) -> list[Finding]:
        """Findings for every account, or only ``account_ids`` (``lockstep watch``)."""
        rows = q.profile_gaps(ws, account_ids, self.params["min_missing"])  # fewer are skipped below
        out: list[Finding] = []
        for acc, no_desc, no_url, def_img, def_theme, name_is_handle, no_flags in rows:
            parts = {"no description": no_desc, "no link": no_url, "default picture": def_img,
                     "default theme": def_theme, "display name = handle": name_is_handle}
            missing = [k for k, v in parts.items() if v]
            if len(missing) < self.params["min_missing"]:
                continue
            # When the source has no default-profile flags, 3 fields were checked, not 5.
            checked = 3 if no_flags else 5
            strength = min(1.0, len(missing) / checked) * (0.8 if no_desc else 0.5)
            out.append(Finding(acc, self.name, strength,
                               f"empty profile: {', '.join(missing)} ({len(missing)} of {checked} checks)",
                               {"missing": missing, "checked": checked}))
        return out


@register
class FollowerShape(AccountSignal):
    name = "follower_shape"
    explanation = ("Follower/following shape of a throwaway or follow-back account: no or almost"
                   " no followers, or following far more accounts than follow it.")
    parameters = (Param("max_followers", int, 3, "Most followers of a throwaway account.", min=0),
                  Param("min_ratio", float, 20.0, "Least following/followers ratio of a follow-back account.",
                        min=1))

    def compute(self, ws: Workspace, account_ids: Sequence[str] | None = None) -> list[Finding]:
        """Findings for every account, or only ``account_ids`` (``lockstep watch``)."""
        # only accounts that can pass one of the two tests below (few followers, or >= 100 followed)
        rows = q.follow_counts(ws, account_ids, self.params["max_followers"], 100)
        out: list[Finding] = []
        for acc, fol, fing in rows:
            fing = fing or 0
            ratio = fing / max(fol, 1)
            if fol <= self.params["max_followers"]:
                strength = 0.7 if fol == 0 else 0.5
                out.append(Finding(acc, self.name, strength,
                                   f"{fol} followers, following {fing}",
                                   {"followers": fol, "following": fing}))
            elif ratio >= self.params["min_ratio"] and fing >= 100:
                out.append(Finding(acc, self.name, 0.4,
                                   f"follows {fing} accounts but only {fol} follow back"
                                   f" ({ratio:.0f}x)", {"followers": fol, "following": fing}))
        return out


def share(n: int, total: int) -> str:
    return pct(n / total) if total else "0%"
