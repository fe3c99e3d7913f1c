"""The `cnclean dedup` command."""

COMMANDS: list = []
