"""A member of council staff as the demo makes them: may use the admin, is not a superuser."""

import pytest
from django.contrib.auth.models import Group, Permission

PASSWORD = "a long enough password"


@pytest.fixture
def staff(django_user_model):
    group = Group.objects.create(name="Bristol City Council editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user = django_user_model.objects.create_user("bristol-editor", email="editor@example.org", password=PASSWORD)
    user.groups.add(group)
    return user


def sign_in(client, username="bristol-editor", password=PASSWORD, **extra):
    """The admin's sign-in form, posted as a browser would."""
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)
