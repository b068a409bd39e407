"""State-media advertising policy: who may buy ads, with the reason, and which running ads break it.

Stages, in the order the data flows: ``domains``/``names`` (normalisation), ``registry``,
``importer`` and ``local`` (the registry of state-affiliated media and how it is built),
``policy`` (the versioned TOML rules), ``matching`` and ``decide`` (advertiser -> decision),
``check`` (an advertisers file -> decisions.csv) and ``scan`` (an ads file -> ads to take down).
See docs/ads.md.
"""
