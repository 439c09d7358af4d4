"""disclosure_check: find and score the evidence in modern slavery statements."""

__version__ = "0.1.0"
