"""Packaged templates (jinja2) and the files `casefile init` writes; a desk overrides any of them in its own templates/ folder."""
