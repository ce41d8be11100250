"""Column shaping between the readers and the standards.

The standards work on plain arrays; the readers produce an
:class:`~envplan_core.data.observation_set.ObservationSet`. This floor turns one into the other — the
hourly grid HJ 663 works on (:mod:`envplan_core.analysis.air`), the period means GB 3838 classifies
(:mod:`envplan_core.analysis.surface_water`) — so a command and an evaluator of the same file give the
same numbers.
"""
