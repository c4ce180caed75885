"""Content in: each file read, loaded with its positions, checked against its model, and
resolved into the typed model the rest of the pipeline reads."""
