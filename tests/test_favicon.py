"""The desk's icon: the SVG the pages link, and /favicon.ico for browsers that ask anyway."""


def test_favicon_svg_is_served(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data


def test_favicon_ico_leads_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/static/favicon.svg")
    followed = client.get("/favicon.ico", follow_redirects=True)
    assert followed.status_code == 200 and followed.mimetype == "image/svg+xml"


def test_pages_link_the_icon(client):
    assert b'href="/static/favicon.svg"' in client.get("/login").data
