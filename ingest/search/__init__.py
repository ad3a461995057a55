"""The search index: the engine-free contract every engine implements (`backend`: hits,
filters, facet counts, the query syntax, the registry of engines) and the engines
(`whoosh/`, the default).  Nothing outside an engine's package imports its library."""
