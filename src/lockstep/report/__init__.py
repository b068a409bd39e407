"""Disclosure reports: what a campaign or case is (counts, reach, time span, attribution,
behaviours, examples, evidence, pictures) as self-contained HTML with Markdown and JSON twins,
and as PDF through headless Chromium."""
