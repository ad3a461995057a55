"""Structure: a file's blocks cut into the documents it bundles (`split`: agenda packs,
appendices, minutes), and each document's blocks into sections under their heading paths
(`sections`)."""
