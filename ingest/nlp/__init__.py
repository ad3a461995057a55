"""What the sections say: the spaCy pipeline (`entities`) of initiatives and partners
(linked to canonical names by `linking`), figures, themes, priorities and commitments."""
