"""The admin as staff see it: nothing on its pages loads from another site (no Gravatar avatars)."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def outside_addresses(html):
    """Every image or stylesheet address in the page that points at another host."""
    soup = BeautifulSoup(html, "html.parser")
    addresses = [img.get("src", "") for img in soup.find_all("img")]
    addresses += [
        part.split()[0]
        for img in soup.find_all(["img", "source"])
        for part in img.get("srcset", "").split(",")
        if part.strip()
    ]
    addresses += [link.get("href", "") for link in soup.find_all("link")]
    return [a for a in addresses if urlsplit(a).netloc not in ("", "testserver")]


@pytest.mark.parametrize("role", ["comms", "owner", "admin"])
def test_admin_pages_show_avatars_without_asking_gravatar(client, world, role):
    user = world["users"][role]
    user.email = f"{role}@example.org"  # an address Gravatar would know the person by
    user.save()
    client.force_login(user)
    for url in ["/admin/", "/admin/account/", "/admin/feedback/sentiment/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "gravatar" not in html.lower(), url
        assert outside_addresses(html) == [], url
