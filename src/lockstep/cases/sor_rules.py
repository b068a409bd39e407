"""The DSA transparency database's rules for a statement of reasons, as a validator.

Provenance: github.com/digital-services-act/transparency-database at commit
69e80a0bc8eb3cbfbe8246e898194c3bdf490a4b (2026-06-24): app/Http/Requests/
StatementStoreRequest.php (rules()), app/Models/Statement.php (the enums),
app/Services/EuropeanCountriesService.php (EUROPEAN_COUNTRY_CODES) and
EuropeanLanguagesService.php (ALL_LANGUAGES). Only the rules are restated here, field by
field; a statement that passes :func:`validate` passes their request validation.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

DECISION_VISIBILITIES = ("DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
                         "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
                         "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
                         "DECISION_VISIBILITY_CONTENT_LABELLED", "DECISION_VISIBILITY_OTHER")
DECISION_MONETARIES = ("DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER")
DECISION_PROVISIONS = ("DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
                       "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION")
DECISION_ACCOUNTS = ("DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED")
ACCOUNT_TYPES = ("ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE")
DECISION_GROUNDS = ("DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT")
INCOMPATIBLE_CONTENT_ILLEGALS = ("Yes", "No")
CONTENT_TYPES = ("CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
                 "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER")
SOURCE_TYPES = ("SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY")
AUTOMATED_DETECTIONS = ("Yes", "No")
AUTOMATED_DECISIONS = ("AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
                       "AUTOMATED_DECISION_NOT_AUTOMATED")
CATEGORIES = tuple("STATEMENT_CATEGORY_" + c for c in (
    "ANIMAL_WELFARE", "CONSUMER_INFORMATION", "CYBER_VIOLENCE", "CYBER_VIOLENCE_AGAINST_WOMEN",
    "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "ILLEGAL_OR_HARMFUL_SPEECH", "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", "NOT_SPECIFIED_NOTICE", "OTHER_VIOLATION_TC",
    "PROTECTION_OF_MINORS", "RISK_FOR_PUBLIC_SECURITY", "SCAMS_AND_FRAUD", "SELF_HARM",
    "UNSAFE_AND_PROHIBITED_PRODUCTS", "VIOLENCE"))
KEYWORDS = tuple("KEYWORD_" + k for k in (
    "ADULT_SEXUAL_MATERIAL AGE_SPECIFIC_RESTRICTIONS AGE_SPECIFIC_RESTRICTIONS_MINORS ANIMAL_HARM"
    " BIOMETRIC_DATA_BREACH BULLYING_AGAINST_GIRLS CHILD_SEXUAL_ABUSE_MATERIAL CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE"
    " CONTENT_PROMOTING_EATING_DISORDERS COORDINATED_HARM COPYRIGHT_INFRINGEMENT CYBER_BULLYING_INTIMIDATION"
    " CYBER_HARASSMENT CYBER_HARASSMENT_AGAINST_WOMEN CYBER_INCITEMENT CYBER_STALKING CYBER_STALKING_AGAINST_WOMEN"
    " DATA_FALSIFICATION DEFAMATION DESIGN_INFRINGEMENT DISCRIMINATION FEMALE_GENDERED_DISINFORMATION"
    " GEOGRAPHIC_INDICATIONS_INFRINGEMENT GEOGRAPHICAL_REQUIREMENTS GOODS_SERVICES_NOT_PERMITTED"
    " GROOMING_SEXUAL_ENTICEMENT_MINORS HATE_SPEECH HIDDEN_ADVERTISEMENT HUMAN_EXPLOITATION HUMAN_TRAFFICKING"
    " ILLEGAL_ORGANIZATIONS IMPERSONATION_ACCOUNT_HIJACKING INAUTHENTIC_ACCOUNTS INAUTHENTIC_LISTINGS"
    " INAUTHENTIC_USER_REVIEWS INCITEMENT_AGAINST_WOMEN INCITEMENT_VIOLENCE_HATRED"
    " INSUFFICIENT_INFORMATION_ON_TRADERS LANGUAGE_REQUIREMENTS MISINFORMATION_DISINFORMATION"
    " MISLEADING_INFO_CONSUMER_RIGHTS MISLEADING_INFO_GOODS_SERVICES MISSING_PROCESSING_GROUND"
    " NON_CONSENSUAL_IMAGE_SHARING NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN NON_CONSENSUAL_MATERIAL_DEEPFAKE"
    " NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN NONCOMPLIANCE_PRICING NUDITY PATENT_INFRINGEMENT PHISHING"
    " PROHIBITED_PRODUCTS PYRAMID_SCHEMES RIGHT_TO_BE_FORGOTTEN RISK_ENVIRONMENTAL_DAMAGE RISK_PUBLIC_HEALTH"
    " SELF_MUTILATION STALKING SUICIDE TERRORIST_CONTENT TRADE_SECRET_INFRINGEMENT TRADEMARK_INFRINGEMENT"
    " TRAFFICKING_WOMEN_GIRLS UNLAWFUL_SALE_ANIMALS UNSAFE_CHALLENGES UNSAFE_PRODUCTS VIOLATION_EU_LAW"
    " VIOLATION_NATIONAL_LAW OTHER").split())
COUNTRIES = tuple("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split())
LANGUAGES = tuple((
    "AB AA AF AK SQ AM AR AN HY AS AV AE AY AZ BM BA EU BE BN BH BI BS BR BG MY CA KM CH CE NY ZH CU CV KW CO CR"
    " HR CS DA DV NL DZ EN EO ET EE FO FJ FI FR FF GD GL LG KA DE KI EL KL GN GU HT HA HE HZ HI HO HU IS IO IG ID"
    " IA IE IU IK GA IT JA JV KN KR KS KK RW KV KG KO KJ KU KY LO LA LV LB LI LN LT LU MK MG MS ML MT GV MI MR MH"
    " RO MN NA NV ND NG NE SE NO NB NN II OC OJ OR OM OS PI PA PS FA PL PT QU RM RN RU SM SG SA SC SR SN SD SI SK"
    " SL SO ST NR ES SU SW SS SV TL TY TG TA TT TE TH BO TI TO TS TN TR TK TW UG UK UR UZ VE VI VO WA CY FY WO XH"
    " YI YO ZA ZU").split())
PUID = re.compile(r"^[a-zA-Z0-9-_]+$")
_DECISIONS = ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")


def _date(v: Any, lo: str | None, hi: str) -> str | None:
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return "does not match the format YYYY-MM-DD"
    try:
        d = date.fromisoformat(v)
    except ValueError:
        return "is not a date"
    if lo and d < date.fromisoformat(lo):
        return f"must be on or after {lo}"
    if d > date.fromisoformat(hi):
        return f"must be on or before {hi}"
    return None


def _one_of(errs: list[str], sor: dict[str, Any], key: str, allowed: tuple[str, ...], array: bool = False) -> None:
    v = sor.get(key)
    if v is None:
        return
    vals = v if array and isinstance(v, list) else [v]
    if array and not isinstance(v, list):
        errs.append(f"{key}: must be an array")
        return
    for x in vals:
        if x not in allowed:
            errs.append(f"{key}: {x!r} is not one of the allowed values")


def _max(errs: list[str], sor: dict[str, Any], key: str, n: int) -> None:
    v = sor.get(key)
    if v is not None and len(str(v)) > n:
        errs.append(f"{key}: longer than {n} characters")


def validate(sor: dict[str, Any]) -> list[str]:
    """Every rule the statement breaks, as 'field: what' lines (empty when valid)."""
    errs: list[str] = []
    known = {"decision_visibility", "decision_visibility_other", "decision_monetary", "decision_monetary_other",
             "decision_provision", "decision_account", "account_type", "category_specification",
             "category_specification_other", "decision_ground", "decision_ground_reference_url",
             "illegal_content_legal_ground", "illegal_content_explanation", "incompatible_content_ground",
             "incompatible_content_explanation", "incompatible_content_illegal", "content_type",
             "content_type_other", "category", "category_addition", "territorial_scope", "content_language",
             "content_date", "application_date", "end_date_account_restriction", "end_date_monetary_restriction",
             "end_date_service_restriction", "end_date_visibility_restriction", "decision_facts", "source_type",
             "source_identity", "automated_detection", "automated_decision", "puid", "content_id",
             "content_id_ean"}
    errs += [f"{k}: not a field of the statement-of-reasons schema" for k in sor if k not in known]
    if all(sor.get(k) in (None, []) for k in _DECISIONS):
        errs.append("decision_*: one of decision_visibility, decision_monetary, decision_provision,"
                    " decision_account is required")
    for key in ("decision_ground", "content_type", "category", "content_date", "application_date",
                "decision_facts", "source_type", "automated_detection", "automated_decision", "puid"):
        if sor.get(key) in (None, "", []):
            errs.append(f"{key}: required")
    _one_of(errs, sor, "decision_visibility", DECISION_VISIBILITIES, array=True)
    _one_of(errs, sor, "decision_monetary", DECISION_MONETARIES)
    _one_of(errs, sor, "decision_provision", DECISION_PROVISIONS)
    _one_of(errs, sor, "decision_account", DECISION_ACCOUNTS)
    _one_of(errs, sor, "account_type", ACCOUNT_TYPES)
    _one_of(errs, sor, "category_specification", KEYWORDS, array=True)
    _one_of(errs, sor, "decision_ground", DECISION_GROUNDS)
    _one_of(errs, sor, "content_type", CONTENT_TYPES, array=True)
    _one_of(errs, sor, "category", CATEGORIES)
    _one_of(errs, sor, "category_addition", CATEGORIES, array=True)
    _one_of(errs, sor, "territorial_scope", COUNTRIES, array=True)
    _one_of(errs, sor, "content_language", LANGUAGES)
    _one_of(errs, sor, "source_type", SOURCE_TYPES)
    _one_of(errs, sor, "automated_detection", AUTOMATED_DETECTIONS)
    _one_of(errs, sor, "automated_decision", AUTOMATED_DECISIONS)
    vis = sor.get("decision_visibility") or []
    if "DECISION_VISIBILITY_OTHER" in vis and not sor.get("decision_visibility_other"):
        errs.append("decision_visibility_other: required when decision_visibility is other")
    if sor.get("decision_monetary") == "DECISION_MONETARY_OTHER" and not sor.get("decision_monetary_other"):
        errs.append("decision_monetary_other: required when decision_monetary is other")
    if "CONTENT_TYPE_OTHER" in (sor.get("content_type") or []) and not sor.get("content_type_other"):
        errs.append("content_type_other: required when content_type is other")
    ground = sor.get("decision_ground")
    for g, fields in (("DECISION_GROUND_ILLEGAL_CONTENT", ("illegal_content_legal_ground", "illegal_content_explanation")),
                      ("DECISION_GROUND_INCOMPATIBLE_CONTENT",
                       ("incompatible_content_ground", "incompatible_content_explanation"))):
        for f in fields:
            if ground == g and not sor.get(f):
                errs.append(f"{f}: required when decision_ground is {g}")
            if ground != g and sor.get(f) is not None:
                errs.append(f"{f}: only allowed when decision_ground is {g}")
    if sor.get("incompatible_content_illegal") is not None:
        if ground != "DECISION_GROUND_INCOMPATIBLE_CONTENT":
            errs.append("incompatible_content_illegal: only allowed with incompatible content")
        _one_of(errs, sor, "incompatible_content_illegal", INCOMPATIBLE_CONTENT_ILLEGALS)
    if sor.get("source_type") == "SOURCE_VOLUNTARY" and sor.get("source_identity") is not None:
        errs.append("source_identity: excluded when source_type is SOURCE_VOLUNTARY")
    for key, n in (("decision_visibility_other", 500), ("decision_monetary_other", 500),
                   ("category_specification_other", 500), ("decision_ground_reference_url", 500),
                   ("illegal_content_legal_ground", 500), ("illegal_content_explanation", 2000),
                   ("incompatible_content_ground", 500), ("incompatible_content_explanation", 2000),
                   ("content_type_other", 500), ("decision_facts", 5000), ("source_identity", 500), ("puid", 500)):
        _max(errs, sor, key, n)
    url = sor.get("decision_ground_reference_url")
    if url is not None and not re.fullmatch(r"https?://[^\s/$.?#].[^\s]*", str(url)):
        errs.append("decision_ground_reference_url: not a URL")
    if sor.get("puid") and not PUID.fullmatch(str(sor["puid"])):
        errs.append("puid: format is invalid (letters, digits, '-' and '_' only)")
    for key, lo in (("content_date", "2000-01-01"), ("application_date", "2020-01-01")):
        if sor.get(key) is not None and (m := _date(sor[key], lo, "2038-01-01")):
            errs.append(f"{key}: {m}")
    for key in ("end_date_account_restriction", "end_date_monetary_restriction", "end_date_service_restriction",
                "end_date_visibility_restriction"):
        if sor.get(key) is not None and (m := _date(sor[key], None, "2038-01-01")):
            errs.append(f"{key}: {m}")
    return errs
