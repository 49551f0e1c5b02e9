"""Read Kazakhstan criminal verdicts and extract the facts amnesty screening needs."""

__version__ = "0.2.1"
