"""One module per record field, each a spaCy pipeline component over the shared Doc."""
