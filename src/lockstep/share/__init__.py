"""Cross-platform tips: export a network's indicators in standard formats, and match a tip against this platform's data."""
