"""Configuration files: ``[tool.cnclean]`` in pyproject.toml, or a cnclean.toml.

The nearest file up the tree from the current folder is used (in one folder, cnclean.toml
wins over pyproject.toml; a pyproject.toml without ``[tool.cnclean]`` is passed over), or
the one given with ``--config``. Keys are the long options of the commands (``jobs``,
``format``, ``text-key``…), the step selection (``steps``, ``preset``), and one table per
step for its options::

    [tool.cnclean]
    preset = "corpus"
    jobs = 4

    [tool.cnclean.convert]
    to = "s"

Flags on the command line override the file. An unknown key is an error that names the
key and the file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import ConfigError
from .pipeline import PRESETS, Pipeline
from .registry import STEPS

FILE_NAMES = ("cnclean.toml", "pyproject.toml")

FORMATS = ("auto", "text", "jsonl")

OPTION_KEYS: dict[str, tuple[str, type | tuple[type, ...]]] = {
    "jobs": ("jobs", int),
    "format": ("format", str),
    "text-key": ("text_key", str),
    "glob": ("patterns", (list, str)),
    "encoding": ("encoding", str),
    "errors": ("errors", str),
    "timeout": ("timeout", (int, float)),
    "keep-bom": ("keep_bom", bool),
    "backup-suffix": ("backup_suffix", str),
    "quiet": ("quiet", bool),
    "steps": ("step_names", (list, str)),
    "preset": ("preset", str),
    "learn-boilerplate": ("learn_boilerplate", bool),
    "boilerplate-share": ("boilerplate_share", (int, float)),
}
"""Keys of the file that set a command-line option: key → (option's parameter name, type)."""


@dataclass(frozen=True)
class Config:
    """A loaded configuration: option defaults for the commands and options for the steps."""

    path: Path | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    step_options: dict[str, dict[str, Any]] = field(default_factory=dict)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest cnclean.toml, or pyproject.toml with a ``[tool.cnclean]`` table, from ``start`` up."""
    folder = (start or Path.cwd()).resolve()
    for candidate_folder in (folder, *folder.parents):
        for name in FILE_NAMES:
            candidate = candidate_folder / name
            if candidate.is_file() and (name == "cnclean.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return "cnclean" in _read(pyproject).get("tool", {})
    except ConfigError:
        return False


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """Load ``path``, or the nearest configuration file; an empty ``Config`` when there is none."""
    found = Path(path) if path is not None else find_config(start)
    if found is None:
        return Config()
    data = _read(found)
    if found.name == "pyproject.toml" or "tool" in data:
        table, where = data.get("tool", {}).get("cnclean", {}), "[tool.cnclean]"
    else:
        table, where = data, "the top level"
    return parse_config(table, found, where)


def parse_config(table: Mapping[str, Any], path: Path, where: str = "[tool.cnclean]") -> Config:
    """Check the keys and values of a configuration table and sort them into option defaults and step options."""
    defaults: dict[str, Any] = {}
    step_options: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key in STEPS:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: {key!r} must be a table of options for the {key} step")
            step_options[key] = dict(value)
            continue
        if key.replace("_", "-") not in OPTION_KEYS:
            known = ", ".join([*OPTION_KEYS, *sorted(STEPS)])
            raise ConfigError(f"{path}: unknown key {key!r} in {where} (known keys: {known})")
        name, kind = OPTION_KEYS[key.replace("_", "-")]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):  # true is an int too
            raise ConfigError(f"{path}: {key!r} has the wrong type ({type(value).__name__})")
        if key == "steps":
            names = value.split(",") if isinstance(value, str) else value
            value = ",".join(str(step) for step in names)
        if key == "glob":
            value = [value] if isinstance(value, str) else list(value)
        if key == "format" and value not in FORMATS:
            raise ConfigError(f"{path}: unknown format {value!r} (the formats: {', '.join(FORMATS)})")
        if key.replace("_", "-") == "boilerplate-share" and not 0 < value <= 1:
            raise ConfigError(f"{path}: {key!r} must be a share above 0 and at most 1 (0.6: 60% of the documents)")
        if key == "preset" and value not in PRESETS:
            raise ConfigError(f"{path}: unknown preset {value!r} (the presets: {', '.join(PRESETS)})")
        defaults[name] = value
    try:
        Pipeline(defaults.get("step_names", "").split(",") if defaults.get("step_names") else (), step_options)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    return Config(path, defaults, step_options)
