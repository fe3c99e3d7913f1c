"""The `cnclean convert` command: traditional and simplified Chinese, by OpenCC."""

from __future__ import annotations

import click

from ..pipeline import Pipeline
from ..steps.convert import CONFIGS
from .run import common_options, run_pipeline_command


@click.command()
@common_options
@click.option("--to", "target", type=click.Choice(list(CONFIGS)), required=True,
              help="s: simplified; t: traditional; tw: Taiwan; twp: Taiwan with its phrases; hk: Hong Kong.")
@click.option("--all", "force", is_flag=True,
              help="Convert every line, not only the lines mostly in the other script.")
def convert(target, force, **io_options) -> None:
    """Convert between traditional and simplified Chinese (OpenCC).

    A line is converted when most of its script-specific characters are of the other
    script, so quotations and the other part of a mixed document stay as written.

    \b
    cnclean convert --to s page.txt
    cnclean convert --to tw page.txt -o page.tw.txt
    """
    run_pipeline_command(Pipeline(["convert"], {"convert": {"to": target, "force": force}}), **io_options)


COMMANDS = [convert]
