"""cpstrust: build, prove and keep a chain of trust across an industrial supply chain."""

__version__ = "0.1.0"
