"""A Markdown result (claims, tables) as a standalone HTML page, which the Snakemake report
shows inline (it offers other text files for download only)."""

import html

import markdown

STYLE = """
body { font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.45; margin: 1.2em 2em;
       color: #1e293b; max-width: 80em; }
h1 { font-size: 1.45em; } h2 { font-size: 1.2em; margin-top: 1.6em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.6em 0 1em; max-width: 100%; }
th, td { border: 1px solid #cbd5e1; padding: 0.2em 0.55em; overflow-wrap: anywhere; }  /* fits its frame */
th { background: #f1f5f9; }
tr:nth-child(even) td { background: #f8fafc; }
code { font-size: 0.95em; }
"""


def page(text: str, title: str) -> str:
    """The HTML document of a Markdown text (GitHub-style tables kept), titled ``title``."""
    body = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
