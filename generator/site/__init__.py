"""Site out: the resolved model to pages and data files, their links checked, written in
place all at once."""
