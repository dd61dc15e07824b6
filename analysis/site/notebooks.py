"""Each chapter as a runnable, executed Jupyter notebook.

``python -m analysis.site.notebooks [NAME ...]`` (``make notebooks``; one chapter: ``make chapter NAME=trend``)
converts ``book/<NAME>.md`` (a MyST notebook) into ``.ipynb`` with MyST-NB's own reader, adds a
first cell that makes the repository's ``analysis`` package importable and a last cell that shows the
chapter's numbers, tables and figures (the page places them in its prose), executes it with nbclient
from the repository's root, validates it with nbformat and writes it to ``_build/notebooks/<NAME>.ipynb``
(and into ``_build/html/notebooks/`` when the site is built, where each chapter's footer links it).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from analysis import cli, paths
from analysis.site import citation
from analysis.site.website import NOTEBOOK_FOLDER, offer_downloads

OUT = paths.ROOT / "_build" / "notebooks"
SITE_FOLDER = NOTEBOOK_FOLDER  # inside _build/html

SETUP = '''# Doubling Time: this chapter as a notebook. Run it from a clone of the repository
# (https://github.com/doublingtime/report) with its environment (`make book` creates .venv).
import sys
from pathlib import Path

root = next((folder for folder in (Path.cwd(), *Path.cwd().parents) if (folder / "analysis" / "chapters").is_dir()), None)
if root is None:
    raise RuntimeError("run this notebook inside the Doubling Time repository: analysis/ was not found")
sys.path.insert(0, str(root))'''

EXPLORE = '''# The chapter's results, for exploring: every number as the text quotes it, then the tables and
# figures the page places in its prose (`result` is the chapter's ChapterResult).
import altair as alt
from IPython.display import display

# Jupyter draws Vega-Lite itself (JupyterLab, Notebook 7, VS Code): the outputs are the specs, no
# script from a CDN (the site draws charts with its own offline bundle).
mime = "application/vnd.vegalite.v" + alt.SCHEMA_VERSION.lstrip("v").split(".")[0] + "+json"
display(result.text())
for key, table in result.tables.items():
    print(key)
    display(table)
for key, chart in result.figures.items():
    display({mime: chart.to_dict(), "text/plain": f"<chart: {key}>"}, raw=True)'''


def chapters() -> list[str]:
    """The report's chapters (the numbered part of _toc.yml), as book file stems."""
    return [Path(page).stem for page, _, numbered in citation.chapters_in_toc() if numbered]


def notebook(name: str):
    """``book/<name>.md`` as an unexecuted notebook, with the setup and explore cells."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook

    source = paths.ROOT / "book" / f"{name}.md"
    nb = read_myst_markdown_notebook(source.read_text(encoding="utf-8"), path=source)
    nb.metadata.pop("source_map", None)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
    nb.cells.append(nbformat.v4.new_markdown_cell("## Explore the results"))
    nb.cells.append(nbformat.v4.new_code_cell(EXPLORE))
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{index}"
    return nb


def execute(nb, timeout: int = 600):
    """Run every cell from the repository's root with the python3 kernel; errors raise."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(paths.ROOT)}}).execute()
    return nb


def write(name: str, out: Path = OUT) -> Path:
    import nbformat

    nb = execute(notebook(name))
    nbformat.validate(nb)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.ipynb"
    temporary = target.with_suffix(".tmp")
    nbformat.write(nb, str(temporary))
    temporary.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m analysis.site.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"chapters (default: all): {', '.join(chapters())}")
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args
    names = args.names or chapters()
    unknown = sorted(set(names) - set(chapters()))
    if unknown:
        return cli.fail(f"not a chapter: {', '.join(unknown)} (chapters: {', '.join(chapters())})")
    site = paths.ROOT / "_build" / "html"
    for name in names:
        try:
            target = write(name)
        except Exception as error:  # a failing cell: one line, no traceback
            return cli.fail(f"book/{name}.md: {type(error).__name__}: "
                            f"{str(error).splitlines()[-1] if str(error) else ''}")

        def publish(target=target) -> str:
            if site.is_dir():
                (site / SITE_FOLDER).mkdir(exist_ok=True)
                shutil.copyfile(target, site / SITE_FOLDER / target.name)
            return f"{target.relative_to(paths.ROOT)}: executed"

        code = cli.run(publish, target)
        if code:
            return code
    if site.is_dir():
        offer_downloads(site)  # each chapter's footer now offers its notebook
    return 0


if __name__ == "__main__":
    sys.exit(main())
