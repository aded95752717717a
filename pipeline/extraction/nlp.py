"""The extraction pipeline, assembled from its config (pipeline/extraction/pipeline.cfg): a blank
spaCy ``zh`` Language with one token per character, the structure analysis first, one component
per field (extractors/, found through the ``spacy_factories`` entry points), the record builder last.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pipeline.extraction.components  # noqa: F401  (the tokenizer, duban_structure, duban_record)


def pipeline_config():
    """The pipeline's spaCy config (order of the components and their settings)."""
    from spacy.util import load_config_from_str

    return load_config_from_str(resources.files("pipeline.extraction").joinpath("pipeline.cfg").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def get_nlp():
    """The pipeline, built once per process. Its length limit is the readers' (pipeline.readers.MAX_CHARS,
    $DUBAN_MAX_CHARS): a text the readers let through is never refused by spaCy (E088)."""
    import spacy

    from pipeline.readers.document import MAX_CHARS

    nlp = spacy.blank("zh", config=pipeline_config())
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1000)
    return nlp
