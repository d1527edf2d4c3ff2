"""python manage.py reset_two_factor <username>: for someone who has lost the phone with their authenticator app."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp import devices_for_user


class Command(BaseCommand):
    help = (
        "Remove a person's authenticator app and backup codes, for when they have lost their phone. The next time "
        "they sign in to the admin, after their password, they are asked to set up an app again. Any session "
        "they already have open needs a code again too. Check who is asking before you run this."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The username they sign in to the admin with.")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        if devices:
            self.stdout.write(
                f"Removed {username}'s authenticator app and backup codes. They will set up a new app "
                "the next time they sign in."
            )
        else:
            self.stdout.write(f"{username} had no authenticator app or backup codes; nothing to remove.")
