"""The `cnclean split` command."""

COMMANDS: list = []
