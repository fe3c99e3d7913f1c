"""The repair steps, one module each; importing this package registers them all."""

from . import columns, convert, dedup, digits, noise, pieces, punct, reflow, spaces, untangle, vertical, width  # noqa: F401
