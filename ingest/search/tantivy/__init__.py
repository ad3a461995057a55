"""The tantivy engine: `ingest.search.backend.SearchBackend` on tantivy, for indexes of
national size (`csp ingest --backend tantivy`)."""
