"""Owners' private replies to one resident, by email, sent by the worker (feedback.tasks.send_private_reply)."""

from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import PrivateReply, ReplyContact
from .notifications import entry_in


def send(reply):
    """Email the reply to the address the person left, in the language they wrote in, and mark it sent. If the
    address has been deleted since (the retention period ended), it is marked as never to be sent. A mail
    server that fails raises OSError, so the worker tries again."""
    submission = reply.submission
    contact = ReplyContact.objects.filter(submission=submission).first()
    if contact is None:
        reason = "The person's address was deleted before the reply could be sent."
        PrivateReply.objects.filter(pk=reply.pk).update(not_sent_reason=reason)
        return 0
    language = submission.language or None
    with translation.override(language):
        entry = entry_in(submission.entry, language) if language else submission.entry
        council = entry.organisation.name
        subject = _("A reply from %(council)s about '%(title)s'") % {"council": council, "title": entry.title}
        body = _(
            "%(reply)s\n\n"
            "You are getting this email because you left your address when you gave your views on '%(title)s': "
            "%(url)s\n\n"
            "This reply was written to you only. We have not published it or shared your address, and we delete "
            "your address with your comment.\n\n%(council)s\n"
        ) % {"reply": reply.body, "title": entry.title, "url": entry.full_url or "", "council": council}
    sent = send_mail(subject, body, None, [contact.email])
    reply.sent_at = timezone.now()
    PrivateReply.objects.filter(pk=reply.pk).update(sent_at=reply.sent_at)
    return sent
