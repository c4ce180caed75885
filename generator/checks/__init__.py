"""Checks: every notice against what the law says it must contain, and the editors' rules."""
