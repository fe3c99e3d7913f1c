"""Errors the library raises; the CLI turns each into one line on stderr."""


class CncleanError(Exception):
    """A problem with the input or the options, described so the user knows what to do."""


class InputError(CncleanError):
    """An input that cannot be read as text: missing, a folder, binary, undecodable."""


class ConfigError(CncleanError):
    """An unknown step, option or configuration key."""


class TimeLimit(CncleanError):
    """An input took longer than the time it was allowed (``--timeout``)."""


class PipelineError(CncleanError):
    """The pipeline did not reach a fixed point; this is a bug worth reporting."""
