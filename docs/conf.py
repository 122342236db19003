"""Sphinx configuration for the tiktok documentation.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.
Every Python example in these pages is run against the sandbox by
``tests/docs/test_examples.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Document the working tree, installed or not.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tiktok  # noqa: E402

project = "tiktok"
author = "the tiktok contributors"
copyright = "the tiktok contributors"
release = tiktok.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]

# No network in CI: no intersphinx, no remote images.
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
language = "en"
pygments_style = "sphinx"
pygments_dark_style = "monokai"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_class_signature = "mixed"
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
}

html_theme = "furo"
html_title = f"tiktok {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
