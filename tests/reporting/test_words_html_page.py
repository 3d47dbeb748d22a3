"""A Markdown result as an HTML page (hrta.reporting.words.html_page)."""

from hrta.reporting.words.html_page import page


def test_tables_become_html_and_the_title_is_escaped():
    html = page("# Claims\n\n| a | b |\n|---|---:|\n| x | 1 |\n", "claims & tables")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">') and '<meta charset="utf-8">' in html
    assert "<title>claims &amp; tables</title>" in html
    assert "<h1>Claims</h1>" in html and "<table>" in html and '<td style="text-align: right;">1</td>' in html
