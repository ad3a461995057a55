"""The answers the CLI and the app show: user input to search filters and rows from the
store (`queries`), compare, commitment tracing, PDF page previews, and the labels and
rows both print (`presentation`)."""
