"""An Atom feed of the answers councils publish to residents' feedback ("You said, we did"), for the whole
partnership and for each council."""

from django.urls import reverse
from django.utils.translation import gettext as _

from datauses.feeds import FEED_ITEMS, CouncilFeed

from .you_said_we_did import in_this_language, published_answers


class AnswersFeed(CouncilFeed):
    anchor = "answer"

    def title(self, organisation):
        if organisation is None:
            return _("You said, we did: the councils' answers to feedback")
        return _("You said, we did: %(council)s") % {"council": organisation.name}

    def subtitle(self, organisation):
        return _("What people told the councils about their use of data, and what the councils did.")

    def link(self, organisation):
        if organisation is None:
            return reverse("you_said_we_did")
        return reverse("you_said_we_did_council", args=[organisation.slug])

    def items(self, organisation):
        answers = list(published_answers(organisation)[:FEED_ITEMS])
        in_this_language(answers)
        return answers

    def item_title(self, answer):
        return answer.entry_here.title

    def item_description(self, answer):
        return _("You said: %(you_said)s\n\nWe did: %(we_did)s") % {
            "you_said": answer.you_said,
            "we_did": answer.we_did,
        }

    def item_link(self, answer):
        return answer.entry_here.get_url(self.request)

    def item_pubdate(self, answer):
        return answer.first_published_at

    def item_updateddate(self, answer):
        return answer.last_published_at or answer.first_published_at

    def item_author_name(self, answer):
        return answer.entry.organisation.name
