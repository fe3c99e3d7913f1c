"""The part every command shares: find the inputs, apply one text transform, write the outputs, report.

``common_options`` gives a command every input, output, batch and report option;
``run_transform`` does the work for any function from text to text (or to a
``PipelineResult``, whose edits then feed the summary, ``--explain`` and the reports).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Sequence

import click

from ..batch import (
    DEFAULT_PATTERNS, Boilerplate, ConcatSink, FileResult, Job, Render, Source, Transform, default_jobs, discover,
    finish_text, learn_batch_boilerplate, read_file_list, run_files,
)
from ..batch.learn import LINE_CHARS, MIN_DOCUMENTS, SAMPLE_DOCUMENTS
from ..config import load_config
from ..errors import CncleanError
from ..explain import Summary, edit_records, render_report, unified_diff, write_records
from ..explain.html import MAX_DOCUMENTS
from ..explain.inline import explain_runs
from ..io.atomic import atomic_open, atomic_write
from ..io.decode import ERRORS
from ..io.formats import gzip_writer, is_gzip_name
from ..pipeline import Pipeline

__all__ = ["EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "LEARN_OPTIONS", "Transform", "common_options", "error_line",
           "finish_text", "run_pipeline_command", "run_transform", "step_options"]

ENCODING_HELP = "Input encoding: auto (BOM, UTF-8, then GB18030 or Big5, judged on the text), or a codec name."

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130

ENGINES = ("local", "ray")

PROGRESS_MIN_FILES = 4


def _load_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Read the configuration file before the other options, so that it supplies their defaults."""
    try:
        config = load_config(value)
    except CncleanError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None
    ctx.default_map = {**(ctx.default_map or {}), **config.defaults}
    ctx.meta["cnclean.step_options"] = config.step_options


def step_options() -> dict[str, dict]:
    """The per-step options of the configuration file, for the command being run."""
    ctx = click.get_current_context(silent=True)
    return dict(ctx.meta.get("cnclean.step_options", {})) if ctx else {}


def _options(func, *specs):
    for decorator in reversed(specs):
        func = decorator(func)
    return func


ENGINE_OPTIONS = (
    click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                 help="local: this machine's processes; ray: Ray tasks, on this machine or a cluster "
                      "(pip install 'cnclean[ray]'). Same output either way."),
    click.option("--ray-address", metavar="ADDRESS", default=None,
                 help="With --engine ray, the cluster to join: auto (the one this machine is part of), "
                      "HOST:PORT or ray://HOST:10001  [default: start a Ray runtime on this machine]."),
)
"""``--engine`` and ``--ray-address``, for every command that can run on Ray."""


def check_engine(engine: str, ray_address: str | None) -> None:
    if ray_address is not None and engine != "ray":
        raise click.UsageError("--ray-address goes with --engine ray")


def input_options(folder_files: str) -> tuple:
    """The inputs: operands (files, folders, ``-``), which files of a folder (by default
    ``folder_files``), lists of names, their encoding."""
    return (
        click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True)),
        click.option("--glob", "patterns", multiple=True, metavar="PATTERN",
                     help=f"Which files of a folder to read (repeatable); default {folder_files}."),
        click.option("--files-from", type=click.Path(allow_dash=True, dir_okay=False), default=None,
                     metavar="LIST", help="Also read the files named in LIST (- for stdin), one per line."),
        click.option("-0", "--null", is_flag=True, help="Names in --files-from are NUL-separated (find -print0)."),
        click.option("-e", "--encoding", default="auto", show_default=True, help=ENCODING_HELP),
        click.option("--errors", type=click.Choice(ERRORS), default="strict", show_default=True,
                     help="Undecodable bytes: strict stops on the file (naming the byte); replace puts U+FFFD "
                          "in their place; surrogateescape writes them back unchanged (UTF-8 output)."),
    )


INPUT_OPTIONS = input_options("*.txt, *.jsonl and *.ndjson (only those of --format), also gzipped")

INPUT_FORMAT_OPTIONS = (
    click.option("--format", "format", type=click.Choice(["auto", "text", "jsonl"]), default="auto",
                 show_default=True, help="text: each file is a document; jsonl: one JSON record per line, only "
                 "--text-key changes; auto: jsonl for *.jsonl and *.ndjson (also .gz), text otherwise."),
    click.option("--text-key", default="text", show_default=True, metavar="KEY",
                 help="With --format jsonl, the field that holds the text."),
)
"""How an input file holds its documents."""

OUTPUT_OPTIONS = (
    click.option("-o", "--output", type=click.Path(), default=None,
                 help="Write to this file (atomically) instead of stdout; a folder (existing, ending in /, "
                      "or when an input is a folder) receives one file per input, mirroring the input tree."),
    click.option("-i", "--in-place", is_flag=True, help="Rewrite each input file (atomically; mode, encoding, "
                 "line ends and a missing final newline kept; unchanged files are not touched)."),
    click.option("--backup-suffix", metavar="SUFFIX", default=None,
                 help="With --in-place, keep the original of each rewritten file as FILE+SUFFIX (e.g. .bak)."),
    click.option("--keep-bom", is_flag=True, help="Write a UTF-8 BOM when the input had a BOM."),
)
"""Where the cleaned text goes."""

BATCH_OPTIONS = (
    click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                 help="Files processed in parallel (with --engine ray: the CPUs of a local Ray runtime)  "
                      "[default: number of CPUs]."),
    *ENGINE_OPTIONS,
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
                 help="Give up on a file that takes longer than this (reported as failed, naming the step; "
                      "the other files go on)  [default: no limit]."),
    click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr; errors only."),
)
"""How the files are shared out, and what is said about it on stderr."""

REPORT_OPTIONS = (
    click.option("--explain", is_flag=True, help="Print, step by step, each change as an inline character diff "
                 "(今年[-\\n\\n-]3月) instead of the text; files given by -o or --in-place are still written."),
    click.option("--diff", is_flag=True, help="Print a unified diff instead of the text; files given by -o or "
                 "--in-place are still written."),
    click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.jsonl",
                 help="Write every edit (file, document, round, step, rule, offsets, old, new) as JSON lines."),
    click.option("--report-html", "report_html", type=click.Path(dir_okay=False), default=None,
                 metavar="FILE.html", help="Write a page to review: input and output side by side, changes marked."),
)
"""What changed, shown or written down."""

LEARN_OPTIONS = (
    click.option("--learn-boilerplate", is_flag=True,
                 help="Before cleaning, read the inputs once more and learn the lines most of them share (a "
                      "site's furniture: 返回新闻列表页面, 打印本页); remove those lines where they stand alone. "
                      f"The first reading costs time: every document, or in a larger batch an evenly spread sample "
                      f"of {SAMPLE_DOCUMENTS:,} (only lines of up to {LINE_CHARS} characters count). Not with stdin."),
    click.option("--boilerplate-share", type=click.FloatRange(min=0, max=1, min_open=True), default=0.6,
                 show_default=True, metavar="SHARE",
                 help="With --learn-boilerplate, the share of the documents a line must be in to be learned "
                      f"(and in {MIN_DOCUMENTS} of them at least)."),
)
"""Learning a batch's boilerplate before cleaning it, for the commands that run the noise step."""

CONFIG_OPTION = click.option(
    "--config", type=click.Path(dir_okay=False, exists=True), default=None, is_eager=True, expose_value=False,
    callback=_load_config,
    help="Configuration file  [default: nearest cnclean.toml or pyproject.toml with [tool.cnclean]].")


def option_groups(*groups):
    """A decorator giving a command the options of ``groups`` (tuples of click decorators), in order."""
    return lambda func: _options(func, *(spec for group in groups for spec in group))


def common_options(func):
    """Options every text command takes: inputs, outputs, formats, batch, reports and configuration."""
    return option_groups(INPUT_OPTIONS, INPUT_FORMAT_OPTIONS, OUTPUT_OPTIONS, BATCH_OPTIONS, REPORT_OPTIONS,
                         (CONFIG_OPTION,))(func)


def run_pipeline_command(pipeline: Pipeline, **io_options) -> None:
    """Run ``pipeline`` over the inputs that ``common_options`` collected, then exit with the status."""
    sys.exit(run_transform(pipeline, **io_options))


def error_text(name: str, message: str) -> str:
    """The error line of one input: its name and what went wrong."""
    return f"cnclean: error: {name}: {message}"


def error_line(name: str, message: str) -> None:
    """Print the error line of one input on stderr."""
    click.echo(error_text(name, message), err=True)


def _gather(inputs: Sequence[str], files_from: str | None, null: bool, patterns: Sequence[str], fmt: str,
            ) -> tuple[list[Source], bool]:
    operands = list(inputs)
    if files_from is not None:
        if files_from == "-" and "-" in operands:
            raise click.UsageError("stdin cannot be both the list of files (--files-from -) and an input")
        try:
            operands += read_file_list(files_from, null)
        except CncleanError as error:
            raise click.UsageError(str(error)) from None
    elif not operands:
        operands = ["-"]
    has_folder = any(op != "-" and os.path.isdir(op) for op in operands)
    return discover(operands, tuple(patterns) or DEFAULT_PATTERNS[fmt]), has_folder


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _outside(sources: list[Source], folder: str) -> list[Source]:
    """The sources that are not in the output folder (``cnclean fix . -o clean/`` must not read clean/)."""
    root = os.path.realpath(folder) + os.sep
    return [source for source in sources
            if source.path == "-" or not os.path.realpath(source.path).startswith(root)]


def _check_targets(sources: Sequence[Source], job: Job, output: str | None) -> None:
    """Refuse to write an output over one of the inputs (that is what --in-place is for), or two inputs
    to the same output file. A render that writes files names them itself."""
    if job.mode not in ("stream", "mirror") or output in (None, "-"):
        return
    if job.mode == "mirror" and job.render is not None:
        return
    seen: dict[str, str] = {}
    for source in sources:
        target = output if job.mode == "stream" else os.path.join(output, source.relative)
        if source.path != "-" and _same_file(source.path, target):
            raise click.UsageError(f"{target} is also an input; use --in-place to rewrite a file")
        if job.mode == "mirror" and seen.setdefault(target, source.name) != source.name:
            raise click.UsageError(f"{seen[target]} and {source.name} would both be written to {target}; "
                                   "give their folder instead, to mirror it")


def _is_folder_output(output: str, has_folder: bool) -> bool:
    return has_folder or os.path.isdir(output) or output.endswith(("/", os.sep))


@contextlib.contextmanager
def _stream_target(output: str | None) -> Iterator[BinaryIO]:
    """Where concatenated output goes: stdout, or a file written atomically (gzipped for .gz)."""
    if output is None or output == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(output) as handle:
        if is_gzip_name(output):
            with gzip_writer(handle) as compressed:
                yield compressed
        else:
            yield handle


class _NothingWritten(Exception):
    """Every input failed: the output file is not created."""


class _Progress:
    """A progress bar on stderr, only on a terminal and for more than a few files."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        self.started = False
        if enabled and total >= PROGRESS_MIN_FILES and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("files", total=total)

    def __enter__(self) -> "_Progress":
        return self

    def advance(self) -> None:
        if self.bar is not None:
            if not self.started:  # after the first result: the worker processes are forked by then, not beside a thread
                self.bar.start()
                self.started = True
            self.bar.advance(self.task)

    def echo(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line, err=True)

    def __exit__(self, *exc) -> None:
        if self.started:
            self.bar.stop()


def _describe(result: FileResult, index: int) -> str:
    return result.source.name + (f":{index}" if index else "")


MARKS = re.compile(r"\[-.*?-\]|\{\+.*?\+\}")


def _colour_enabled() -> bool:
    """Colour on stdout only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _coloured(line: str, explain: bool) -> str:
    if explain:
        if line.startswith(("==", "--")):
            return click.style(line, bold=True)
        return MARKS.sub(lambda m: click.style(m.group(0), fg="red" if m.group(0)[0] == "[" else "green"), line)
    if line.startswith(("+++", "---", "@@")):
        return click.style(line, bold=True)
    return click.style(line, fg={"+": "green", "-": "red"}.get(line[:1]))


def _print_preview(result: FileResult, explain: bool, diff: bool) -> None:
    colour = _colour_enabled()
    lines: list[str] = []
    for change in result.changes:
        name = _describe(result, change.index)
        if explain:
            lines.append(f"== {name}")
            lines.extend(explain_runs(change.before, change.runs))
        if diff:
            lines.extend(line.rstrip("\n") for line in unified_diff(change.before, change.after, name))
    for line in lines:
        click.echo(_coloured(line, explain) if colour else line, color=colour)


def _interrupt(signum: int, frame) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``timeout``, a job scheduler) stops a run the way Ctrl-C does: cleanly."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_transform(
    transform: Pipeline | Transform,
    *,
    inputs: Sequence[str],
    output: str | None = None,
    encoding: str = "auto",
    errors: str = "strict",
    in_place: bool = False,
    backup_suffix: str | None = None,
    format: str = "auto",
    text_key: str = "text",
    patterns: Sequence[str] = (),
    files_from: str | None = None,
    null: bool = False,
    jobs: int | None = None,
    keep_bom: bool = False,
    explain: bool = False,
    diff: bool = False,
    report_path: str | None = None,
    report_html: str | None = None,
    quiet: bool = False,
    check: bool = False,
    engine: str = "local",
    ray_address: str | None = None,
    render: Render | None = None,
    timeout: float | None = None,
    learn_boilerplate: bool = False,
    boilerplate_share: float = 0.6,
) -> int:
    """Transform every input as the options say; returns the exit status.

    ``transform`` is a ``Pipeline`` (which either engine can run) or any function from text
    to text or to a ``PipelineResult`` (the local engine only). With ``render``, each file's
    cleaned text becomes what it makes: files in the folder ``output``, or parts concatenated
    into ``output`` (a file, or stdout) even when an input is a folder.
    0: all went well (with ``check``: nothing would change); 1: some file failed (with
    ``check``: something would change); 2: a usage error, or the only input failed
    (with ``check``: any input failed). With ``learn_boilerplate``, the lines that recur in
    ``boilerplate_share`` of the documents are learned first and go to the noise step.
    """
    check_engine(engine, ray_address)
    if learn_boilerplate and (not isinstance(transform, Pipeline) or "noise" not in transform.steps):
        raise click.UsageError("--learn-boilerplate gives its lines to the noise step; add noise to --steps")
    if engine == "ray" and not isinstance(transform, Pipeline):
        raise click.UsageError("this command runs on the local engine only; drop --engine ray")
    if in_place and output is not None:
        raise click.UsageError("--in-place rewrites the inputs; it cannot be combined with -o")
    if backup_suffix is not None and not in_place:
        raise click.UsageError("--backup-suffix goes with --in-place")
    if in_place and check:
        raise click.UsageError("check writes nothing; drop --in-place")
    sources, has_folder = _gather(inputs, files_from, null, patterns, format)
    if in_place and any(source.path == "-" for source in sources):
        raise click.UsageError("--in-place needs files, not stdin")
    if learn_boilerplate and any(source.path == "-" for source in sources):
        raise click.UsageError("--learn-boilerplate reads the inputs twice, but stdin can be read only once; "
                               "save it to a file and name that")
    if backup_suffix == "":
        raise click.UsageError("--backup-suffix must not be empty")
    if engine == "ray" and any(source.path == "-" for source in sources):
        if not quiet:
            click.echo("cnclean: stdin cannot be sent to Ray workers; cleaning on the local engine", err=True)
        engine = "local"

    previews = explain or diff
    if check:
        mode, output = "none", None
    elif in_place:
        mode = "in-place"
    elif render is not None:
        mode = "mirror" if render.files else "stream"
    elif output is not None and output != "-" and _is_folder_output(output, has_folder):
        if os.path.isfile(output):
            raise click.UsageError(f"-o {output} is a file, but an input is a folder: give -o a folder to mirror "
                                   "it into, or write to stdout to gather the texts in one file")
        mode = "mirror"
    elif previews and (output is None or output == "-"):
        mode, output = "none", None
    else:
        mode = "stream"
    spool_dir = tempfile.mkdtemp(prefix="cnclean-") if mode == "stream" and len(sources) > 1 else None
    job = Job(mode=mode, output_dir=output if mode == "mirror" else None, format=format, text_key=text_key,
              encoding=encoding, errors=errors, backup_suffix=backup_suffix, keep_bom=keep_bom,
              collect=bool(previews or report_path or report_html), spool_dir=spool_dir, render=render,
              timeout=timeout)
    _check_targets(sources, job, output)
    if mode == "mirror":
        sources = _outside(sources, output)
    try:
        if learn_boilerplate:
            assert isinstance(transform, Pipeline)
            learned = learn_batch_boilerplate(sources, job, min_share=boilerplate_share)
            if not quiet:
                click.echo(_learned_line(learned, boilerplate_share), err=True)
            transform = _with_learned(transform, learned.lines)
        try:
            started = _engine(engine, sources, job, transform, jobs, ray_address)
        except CncleanError as error:  # the Ray engine is not installed, or its cluster cannot be reached
            click.echo(f"cnclean: error: {error}", err=True)
            return EXIT_USAGE
        with _terminate_as_interrupt():  # after the engine started: Ray installs its own SIGTERM handler
            summary = _run(sources, job, started, output, quiet, check, explain, diff, report_path, report_html)
    except BrokenPipeError:  # the reader went away (cnclean fix big.txt | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        click.echo("cnclean: interrupted; files not yet written are as they were", err=True)
        return EXIT_INTERRUPTED
    finally:
        if spool_dir is not None:
            shutil.rmtree(spool_dir, ignore_errors=True)
    if check:
        return EXIT_USAGE if summary.failed else (EXIT_SOME_FAILED if summary.changed else EXIT_OK)
    if not summary.failed:
        return EXIT_OK
    return EXIT_USAGE if len(sources) == 1 else EXIT_SOME_FAILED


SHOWN_LINES, SHOWN_CHARS = 5, 30
"""How many learned lines the line on stderr shows, and how much of each."""


def _learned_line(learned: Boilerplate, share: float) -> str:
    """What was learned, on one line: how many lines, from what, the first few.

    >>> _learned_line(Boilerplate(["打印本页面内容", "返回新闻列表页面"], 1200, 1200, 1200, 1200), 0.6)
    'cnclean: learned 2 boilerplate lines from 1,200 documents: 打印本页面内容, 返回新闻列表页面'
    """
    source = f"{learned.documents:,} document{'s' * (learned.documents != 1)}"
    if learned.files_read < learned.files:
        source += f", an evenly spread sample of {learned.files:,} files"
    elif learned.documents < learned.read:
        source = f"{learned.documents:,} of {learned.read:,} documents, evenly spread"
    if not learned.lines:
        return (f"cnclean: learned no boilerplate lines from {source} (a line must be in {share:.0%} of them "
                f"and in {MIN_DOCUMENTS} at least)")
    shown = [line if len(line) <= SHOWN_CHARS else line[:SHOWN_CHARS] + "…" for line in learned.lines[:SHOWN_LINES]]
    more = ", …" if len(learned.lines) > SHOWN_LINES else ""
    count = len(learned.lines)
    return f"cnclean: learned {count:,} boilerplate line{'s' * (count != 1)} from {source}: {', '.join(shown)}{more}"


def _with_learned(pipeline: Pipeline, lines: Sequence[str]) -> Pipeline:
    """The pipeline, its noise step also removing ``lines`` (after those the configuration file lists)."""
    noise = pipeline.options.get("noise", {})
    learned = [*noise.get("learned", ()), *lines]
    return Pipeline(pipeline.steps, {**pipeline.options, "noise": {**noise, "learned": learned}})


@dataclasses.dataclass(frozen=True)
class _Engine:
    """Where the files are cleaned: ``results(direct)`` yields every source's result, in order;
    ``direct`` is the handle a single input writes its stream output to, if the engine can."""

    results: Callable[[BinaryIO | None], Iterable[FileResult]]
    writes_direct: bool


def _engine(name: str, sources: list[Source], job: Job, transform: Pipeline | Transform, jobs: int | None,
            ray_address: str | None) -> _Engine:
    """The chosen engine, started: a Ray runtime is up (or an error raised) before any output is opened."""
    if name == "ray":
        from ..engines import TransformSpec
        from ..engines.ray_engine import run_files_ray

        assert isinstance(transform, Pipeline)
        results = run_files_ray(sources, job, TransformSpec.of(transform), address=ray_address, num_cpus=jobs)
        return _Engine(lambda direct: results, writes_direct=False)
    run = transform.run if isinstance(transform, Pipeline) else transform
    return _Engine(lambda direct: run_files(sources, job, run, jobs or default_jobs(), direct), writes_direct=True)


def _run(sources: list[Source], job: Job, engine: _Engine, output: str | None, quiet: bool, check: bool,
         explain: bool, diff: bool, report_path: str | None, report_html: str | None) -> Summary:
    summary = Summary()
    reviewed: list[FileResult] = []
    reviewed_documents = 0
    with contextlib.suppress(_NothingWritten), contextlib.ExitStack() as stack:
        sink = direct = None
        if job.mode == "stream":
            target = stack.enter_context(_stream_target(output))
            if len(sources) == 1 and engine.writes_direct:
                direct = target
            else:
                sink = ConcatSink(target, job.render.joint if job.render is not None else None)
        report = stack.enter_context(atomic_open(report_path)) if report_path else None
        progress = stack.enter_context(_Progress(len(sources), not quiet))
        for result in engine.results(direct):
            progress.advance()
            summary.add(result)
            if not quiet:
                for note in result.notes:
                    progress.echo(f"cnclean: note: {result.source.name}: {note}")
            if result.failed:
                progress.echo(error_text(result.source.name, result.error or ""))
                continue
            if sink is not None:
                sink.add(result)
            if check and result.changed and not quiet:
                progress.echo(f"cnclean: would change {result.source.name}")
            if explain or diff:
                _print_preview(result, explain, diff)
            if report is not None:
                write_records(report, edit_records(result))
            if report_html and result.changes and reviewed_documents <= MAX_DOCUMENTS:
                reviewed.append(result)
                reviewed_documents += len(result.changes)
        if report_html:
            atomic_write(report_html, render_report(reviewed, summary).encode("utf-8"))
        if job.mode == "stream" and output not in (None, "-") and len(summary.failed) == summary.files:
            raise _NothingWritten  # leaves no output file behind
    if not quiet and summary.files > 1:  # one input: its error line, if any, says it all
        for line in summary.lines("would change" if check else "changed"):
            click.echo(line, err=True)
    return summary
