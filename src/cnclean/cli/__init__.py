"""The ``cnclean`` command: a thin click layer over the library.

Each command is its options plus one library call; errors become one line on stderr.
"""

from __future__ import annotations

import click

from .. import __version__
from ..errors import CncleanError
from ..pipeline import ORDER, PRESETS, Pipeline
from ..registry import STEPS
from ..steps.convert import CONFIGS
from ..steps.noise import user_rules
from . import convert, dedup, split
from .run import common_options, run_pipeline_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cnclean")
def main() -> None:
    """Repair Chinese text that PDF extractors, OCR and web scrapers damaged.

    `cnclean fix FILE` runs every repair; each repair is also a command of its own
    (`cnclean columns FILE | cnclean digits -`). Input is a file or - for stdin;
    output is UTF-8 with \\n line ends, one paragraph per line.
    """


@main.command()
@common_options
@click.option("--preset", type=click.Choice(sorted(PRESETS)), default="default", show_default=True,
              help="default: every repair, no normalization; corpus: also width, punctuation, simplified script.")
@click.option("--steps", "step_names", default=None, metavar="NAMES",
              help=f"Comma-separated steps to run instead of the preset's ({', '.join(ORDER)}).")
@click.option("--to", "script", type=click.Choice(list(CONFIGS)), default=None,
              help="Also convert the script (s, t, tw, twp, hk); turns the convert step on.")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), default=None,
              help="A file of extra noise rules, in the form of the shipped noise_rules.tsv.")
def fix(preset, step_names, script, rules_file, **io_options) -> None:
    """Run every repair: one paragraph per line, a blank line between pieces.

    \b
    cnclean fix page.txt                 clean text on stdout
    cnclean fix page.txt -o clean.txt    write a file (atomically)
    pdftotext paper.pdf - | cnclean fix -
    """
    options = {}
    if script:
        options["convert"] = {"to": script}
    if rules_file:
        options["noise"] = {"rules_file": rules_file}
    try:
        if rules_file:
            user_rules(rules_file)
        pipeline = Pipeline.from_preset(preset, **options)
        if step_names:
            pipeline = Pipeline(step_names.split(","), pipeline.options)
        if script and "convert" not in pipeline.steps:
            pipeline = Pipeline(pipeline.steps + ("convert",), pipeline.options)
    except CncleanError as error:
        raise click.UsageError(str(error)) from None
    run_pipeline_command(pipeline, **io_options)


def add_step_command(name: str) -> None:
    """Expose one registered step as ``cnclean NAME``, running that step alone."""

    @main.command(name=name, help=f"{STEPS[name].summary}\n\nRuns the '{name}' step alone.")
    @common_options
    def command(**io_options) -> None:
        run_pipeline_command(Pipeline([name]), **io_options)


for _module in (convert, dedup, split):
    for _command in _module.COMMANDS:
        main.add_command(_command)

for _name in ORDER:
    if _name not in main.commands:
        add_step_command(_name)

