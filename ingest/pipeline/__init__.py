"""Running ingests: one file through every stage (`extract`), many files into a store with
a status each (`ingest`), each file in a worker that can be killed (`isolation`), locally
or on Dask (`distributed`), and the app's uploads."""
