"""The `notices` subcommands that need more than a few lines, one module each (cli.py runs them)."""
