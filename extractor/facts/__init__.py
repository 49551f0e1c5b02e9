"""Adapters from spaCy spans to the pydantic facts of ``models``; spaCy objects stop here."""
