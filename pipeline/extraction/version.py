"""The record's schema name and the extractor version: light constants (no spaCy), so that the tracker
can decide what to re-extract without loading the pipeline."""

SCHEMA = "duban.record/1"
# bump when extraction output changes, so the tracker re-extracts everything
EXTRACTOR_VERSION = "0.5.1"
