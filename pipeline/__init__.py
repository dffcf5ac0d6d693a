"""edgar-ie: entities and relations from SEC EDGAR filings, as a spaCy pipeline."""
__version__ = "0.1.0"
