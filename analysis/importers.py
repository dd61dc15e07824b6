"""The importers' command lines, above the modules they drive (so none of those imports another's CLI).

``python -m analysis.metr``, ``python -m analysis.benchmarks`` and ``python -m analysis.epoch``
hand their arguments to ``metr_main``, ``benchmarks_main`` and ``epoch_main`` here. Every mistake,
argparse's own included, ends in one line ``error: ...`` on stderr and exit status 1 (``analysis.cli``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import benchmarks, cli, epoch, metr, paths, refresh, staging


def _commands(module, prog: str, data_dir: Path, *, import_help: str, refresh_help: str):
    """A parser with the three commands every importer has: ``import`` (its arguments added by the
    caller), ``refresh`` (its source added by the caller, with ``_refresh_options``) and ``recover``."""
    parser = cli.Parser(prog=prog, description=module.__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=cli.Parser)
    importer = commands.add_parser("import", help=import_help)
    refresher = commands.add_parser("refresh", help=refresh_help)
    recoverer = commands.add_parser("recover", help="finish or roll back an interrupted import")
    recoverer.add_argument("--data-dir", type=Path, default=data_dir)
    return parser, importer, refresher


def _refresh_options(parser, data_dir: Path, source_help: str, *, source_required: bool = True) -> None:
    parser.add_argument("--from", dest="source", required=source_required, default=None, help=source_help)
    parser.add_argument("--as-of", help="retrieval date, YYYY-MM-DD (default: today)")
    parser.add_argument("--allow-removals", action="store_true",
                        help=f"accept a release that drops more than {refresh.importing.MAX_REMOVED_SHARE:.0%} "
                             "of the known models")
    parser.add_argument("--data-dir", type=Path, default=data_dir)


def _recover(data_dir: Path) -> str:
    with staging.locked(data_dir):
        pass
    return f"{data_dir}: no interrupted import left"


def _dispatch(args, do_import, do_refresh) -> int:
    """Run the parsed command: one line on success, one ``error:`` line and exit 1 on any mistake."""
    def act() -> str:
        if args.command == "refresh":
            return do_refresh(args.source, data_dir=args.data_dir, as_of=args.as_of, allow_removals=args.allow_removals)
        if args.command == "recover":
            return _recover(args.data_dir)
        return do_import(args)

    return cli.run(act, getattr(args, "path", None) or args.data_dir)


# ------------------------------------------------------------------ METR


def metr_main(argv: list[str] | None = None) -> int:
    parser, importer, refresher = _commands(
        metr, "python -m analysis.metr", paths.METR_DATA,
        import_help="import a METR benchmark_results or task_results YAML into data/metr/",
        refresh_help="download METR's current files, validate, import and report changes")
    importer.add_argument("path", type=Path)
    importer.add_argument("--release", help="release id for a file not yet in sources.csv, e.g. v1.1_2026-07-01")
    importer.add_argument("--source-url", help="where the file was downloaded from")
    importer.add_argument("--as-of", help="publication or retrieval date, YYYY-MM-DD")
    importer.add_argument("--replace", action="store_true",
                          help="overwrite an existing release that holds other bytes (said in the output)")
    importer.add_argument("--data-dir", type=Path, default=paths.METR_DATA)
    _refresh_options(refresher, paths.METR_DATA,
                     "URL prefix or local folder holding benchmark_results_1_1.yaml and task_results_1_1.yaml "
                     "(default: METR's published assets)", source_required=False)
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args

    def do_import(args) -> str:
        with staging.locked(args.data_dir):
            before = metr.load_sources(args.data_dir / "sources.csv")
            release = metr.import_release(args.path, data_dir=args.data_dir, release=args.release,
                                          source_url=args.source_url, as_of=args.as_of, replace=args.replace)
            after = metr.load_sources(args.data_dir / "sources.csv")
        replaced = args.replace and release in set(before["release"]) and (
            before.set_index("release").loc[release, "sha256"] != after.set_index("release").loc[release, "sha256"])
        verb = "replaced release" if replaced else "as release"
        return f"imported {args.path} {verb} {release} into {args.data_dir}"

    return _dispatch(args, do_import, refresh.refresh)


# ------------------------------------------------------------------ Epoch's benchmark hub and the other benchmarks


def benchmarks_main(argv: list[str] | None = None) -> int:
    parser, importer, refresher = _commands(
        benchmarks, "python -m analysis.benchmarks", benchmarks.BENCH_DATA,
        import_help="re-create data/benchmarks/ from the upstream files",
        refresh_help="re-import Epoch's benchmark tables from a newer zip or folder")
    importer.add_argument("--from", dest="source", type=Path, default=benchmarks.SHARED_DATA)
    importer.add_argument("--data-dir", type=Path, default=benchmarks.BENCH_DATA)
    _refresh_options(refresher, benchmarks.BENCH_DATA,
                     "Epoch's benchmark_data.zip (URL or path), or a folder or URL prefix holding its CSV members")
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args

    def do_import(args) -> str:
        written = benchmarks.import_all(args.source, args.data_dir)
        return f"imported {len(written)} tables into {args.data_dir}: {', '.join(written)}"

    return _dispatch(args, do_import, refresh.refresh_benchmarks)


# ------------------------------------------------------------------ Epoch's "Data on AI Models"


def epoch_main(argv: list[str] | None = None) -> int:
    parser, importer, refresher = _commands(
        epoch, "python -m analysis.epoch", epoch.COMPUTE_DATA,
        import_help="import Epoch's training compute into data/compute/",
        refresh_help="re-import data/compute/ from a newer ai_models.zip or folder")
    importer.add_argument("--from", dest="shared", type=Path, default=epoch.SHARED_DATA,
                          help="folder that holds the upstream paths recorded in data/compute/sources.csv")
    importer.add_argument("--data-dir", type=Path, default=epoch.COMPUTE_DATA)
    _refresh_options(refresher, epoch.COMPUTE_DATA,
                     "Epoch's ai_models.zip (URL or path), or a folder or URL prefix holding its CSV members")
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args

    def do_import(args) -> str:
        written = epoch.import_compute(shared=args.shared, data_dir=args.data_dir)
        return "wrote " + ", ".join(str(path) for path in written)

    return _dispatch(args, do_import, refresh.refresh_compute)


MAINS = {"metr": metr_main, "benchmarks": benchmarks_main, "epoch": epoch_main}

if __name__ == "__main__":
    sys.exit(cli.fail("say which importer: python -m analysis.metr, analysis.benchmarks or analysis.epoch"))
