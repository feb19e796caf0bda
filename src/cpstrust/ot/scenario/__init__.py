"""Labelled OT traffic for training and evaluating detectors (issue 14, section 6).

A seed and a ``ScenarioConfig`` decide a factory/building network (hosts, PLCs, register
maps, BACnet devices, polling plans), its normal operation and the attack episodes; the
engine yields time-ordered Ethernet frames with the episode each belongs to, and the
ground truth. Pure: no I/O, the same seed and config give the same frames.
"""
