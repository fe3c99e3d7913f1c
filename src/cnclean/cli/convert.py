"""The `cnclean convert` command."""

COMMANDS: list = []
