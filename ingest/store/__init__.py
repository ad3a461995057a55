"""What an index folder holds: the SQLite catalog, the source of truth (`catalog`), opened
with its search index as a `Store`; the ingest lock; near-duplicate signatures; and the
check that catalog and search index agree."""
