"""One reader module per tip layout (STIX 2.1, Meta's CSV/TSV, Meta's JSON), each turning a
file into :class:`lockstep.share.tip.Tip`; ``lockstep.share.read.read_tip`` picks one."""
