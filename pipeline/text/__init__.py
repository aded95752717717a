"""The text layer: Chinese dates and numbers, lexicons (package data), shared patterns.

No spaCy here and nothing from the layers above: readers, extraction, the extractors, the tracker, the
desk and the CLI all import from this layer, never the other way round.
"""
