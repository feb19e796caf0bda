"""Package identity, shared by every engine: ecosystems, package URLs, version ordering.

A leaf: it imports nothing of cpstrust but ``errors``.
"""
