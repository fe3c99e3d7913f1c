"""The ``cnclean`` command: a thin click layer over the library.

Each command is its options plus one library call; errors become one line on stderr.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import CncleanError
from ..pipeline import ORDER, PRESETS, Pipeline
from ..registry import STEPS
from ..steps.convert import CONFIGS
from ..steps.noise import user_rules
from . import convert, dedup, split
from .run import LEARN_OPTIONS, common_options, option_groups, run_pipeline_command, run_transform, step_options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cnclean")
def main() -> None:
    """Repair Chinese text that PDF extractors, OCR and web scrapers damaged.

    `cnclean fix FILE` runs every repair; each repair is also a command of its own
    (`cnclean columns FILE | cnclean digits -`). Input is a file or - for stdin;
    output is UTF-8 with \\n line ends, one paragraph per line.

    Folders are read recursively and processed on every CPU (-o DIR mirrors them,
    --in-place rewrites them); --format jsonl cleans a corpus record by record.
    Defaults come from [tool.cnclean] in pyproject.toml or a cnclean.toml.
    Shell completion: eval "$(_CNCLEAN_COMPLETE=bash_source cnclean)".
    """


def selection_options(func):
    """The step selection of ``fix`` and ``check``: a preset or a list of steps, a script, extra noise rules,
    boilerplate learned from the inputs."""
    func = option_groups(LEARN_OPTIONS)(func)
    func = click.option("--rules", "rules_file", type=click.Path(dir_okay=False), default=None,
                        help="A file of extra noise rules, in the form of the shipped noise_rules.tsv.")(func)
    func = click.option("--to", "script", type=click.Choice(list(CONFIGS)), default=None,
                        help="Also convert the script (s, t, tw, twp, hk); turns the convert step on.")(func)
    func = click.option("--steps", "step_names", default=None, metavar="NAMES",
                        help=f"Comma-separated steps to run instead of the preset's ({', '.join(ORDER)}).")(func)
    func = click.option("--preset", type=click.Choice(sorted(PRESETS)), default="default", show_default=True,
                        help="default: every repair, no normalization; corpus: also width, punctuation, "
                             "simplified script.")(func)
    return func


def selected_pipeline(preset: str, step_names: str | None, script: str | None, rules_file: str | None) -> Pipeline:
    """The pipeline of a preset or a step list, with the configuration file's step options; flags win."""
    options = step_options()
    if script:
        options["convert"] = {**options.get("convert", {}), "to": script}
    if rules_file:
        options["noise"] = {**options.get("noise", {}), "rules_file": rules_file}
    try:
        if rules_file:
            user_rules(rules_file)
        pipeline = Pipeline.from_preset(preset, **options)
        if step_names:
            pipeline = Pipeline([name.strip() for name in step_names.split(",")], pipeline.options)
        if script and "convert" not in pipeline.steps:
            pipeline = Pipeline(pipeline.steps + ("convert",), pipeline.options)
    except CncleanError as error:
        raise click.UsageError(str(error)) from None
    return pipeline


@main.command()
@common_options
@selection_options
def fix(preset, step_names, script, rules_file, **io_options) -> None:
    """Run every repair: one paragraph per line, a blank line between pieces.

    \b
    cnclean fix page.txt                     clean text on stdout
    cnclean fix page.txt -o clean.txt        write a file (atomically)
    cnclean fix pages/ -o clean/             a folder, mirrored, on every CPU
    cnclean fix --learn-boilerplate site/    also the lines most of a site's pages share
    cnclean fix --in-place --backup-suffix .bak *.txt
    cnclean fix --format jsonl corpus.jsonl.gz -o clean.jsonl.gz
    pdftotext paper.pdf - | cnclean fix -
    """
    run_pipeline_command(selected_pipeline(preset, step_names, script, rules_file), **io_options)


@main.command()
@common_options
@selection_options
def check(preset, step_names, script, rules_file, **io_options) -> None:
    """Exit 1 if any repair would change the inputs, 0 if they are clean, 2 on error; writes nothing.

    For CI and pre-commit hooks. --diff or --explain show what would change.

    \b
    cnclean check corpus/ && echo clean
    """
    sys.exit(run_transform(selected_pipeline(preset, step_names, script, rules_file), check=True, **io_options))


def add_step_command(name: str) -> None:
    """Expose one registered step as ``cnclean NAME``, running that step alone."""

    @main.command(name=name, help=f"{STEPS[name].summary}\n\nRuns the '{name}' step alone.")
    @common_options
    @option_groups(LEARN_OPTIONS if name == "noise" else ())
    def command(**io_options) -> None:
        options = step_options()
        run_pipeline_command(Pipeline([name], {name: options[name]} if name in options else None), **io_options)


for _module in (convert, dedup, split):
    for _command in _module.COMMANDS:
        main.add_command(_command)

for _name in ORDER:
    if _name not in main.commands:
        add_step_command(_name)

