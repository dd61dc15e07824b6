"""The machinery that turns the chapters' results into the website: the Sphinx extensions (``execution``
runs every page from one warm process; ``website`` serves the offline chart bundle, build-time chart
images, downloads and citations), the whole-book PDF (``pdf``), chapters as notebooks (``notebooks``),
citations (``citation``), the versions table (``environment``) and the build benchmark (``speed``).

Data flow is one way: the site imports chapters and charts, never the other way round, so a chapter
runs in a plain notebook with no Sphinx in sight.
"""
