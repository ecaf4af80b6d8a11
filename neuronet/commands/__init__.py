"""Subcommands of the ``neuronet`` CLI, one module each (see cli.py)."""
