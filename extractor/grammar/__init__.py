"""Small named grammars for the pieces verdicts are written in: numbers, dates, article references, terms."""
