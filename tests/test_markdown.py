"""Markdown is rendered and sanitised: no script, handler or javascript: URL survives."""
import pytest

from crisisdesk.markdown import render_markdown

HOSTILE = [
    "<script>window.__xss()</script>",
    '<img src=x onerror="window.__xss()">',
    "[click](javascript:window.__xss())",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<<script>script>alert(1)<</script>/script>",
]


def test_renders_ordinary_markdown():
    html = render_markdown("## Tun\n\n- **ruhig** bleiben\n- [Website](https://example.org)")
    assert "<h2>Tun</h2>" in html
    assert "<strong>ruhig</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_input_never_survives(payload):
    html = str(render_markdown(payload)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onload" not in html
    assert "<iframe" not in html and "<svg" not in html and "style=" not in html
    assert "data:text/html" not in html


def test_tables_survive():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html
