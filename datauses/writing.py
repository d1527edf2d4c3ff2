"""Help with writing plainly, in the entry editor: reading age, long sentences, passive voice, words to avoid.

Does not import datauses.models (the entry's edit handler imports this module)."""

import re
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import capfirst
from wagtail.admin.panels import Panel

with warnings.catch_warnings():
    # textstat 0.7.3 imports pkg_resources, which warns that it is deprecated. Later textstat versions download
    # a pronouncing dictionary on first use, which a server without internet access cannot do.
    warnings.simplefilter("ignore", DeprecationWarning)
    import textstat

# The reading age an entry aims for: a 12-year-old should understand it (the GOV.UK and NHS guidance for the
# public is a reading age of 9 to 12).
TARGET_READING_AGE = 12
# A sentence longer than this is hard to follow (GOV.UK style guide: 25 words at most).
LONG_SENTENCE_WORDS = 25

# The entry's text fields, in the order of the editor's tabs.
TEXT_FIELDS = (
    "title",
    "summary",
    "purpose",
    "not_used_for",
    "benefits",
    "alternatives_considered",
    "data_sources",
    "storage_location",
    "retention",
    "lawful_basis_detail",
    "algorithm_description",
    "human_review",
    "no_assessment_reason",
    "opt_out",
    "challenge_route",
    "challenge_offline",
    "change_note",
)
# A heading, not a sentence: the formula would score its few long words as a hard sentence.
NOT_SCORED_FOR_AGE = {"title"}

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# A sentence ends at ., ! or ? followed by a space; a line break or a blank line ends one too (lists).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")

# Passive voice, found by a simple rule: a form of "to be", perhaps one adverb ("is usually kept"), then a past
# participle: a word ending in -ed, or a common irregular one. It finds most passives and a few adjectives
# ("is interested"); it is a prompt to look again, not a verdict.
TO_BE = ("am", "is", "are", "was", "were", "be", "been", "being")
# Separated by spaces.
IRREGULAR_PARTICIPLES = (
    "begun born bought brought built caught chosen done drawn driven eaten fallen felt fought found forgotten "
    "forgiven frozen given gone grown heard held hidden hit hurt kept known laid led left lent lost made "
    "meant met paid put read rung run said seen sent set shown shut sold sought spent spoken spread stolen "
    "struck sung taken taught thought thrown told understood undertaken upheld withdrawn withheld won worn "
    "written"
)
# Words ending in -ed that are not past participles.
NOT_PARTICIPLES = {"bed", "feed", "hundred", "indeed", "need", "red", "seed", "shed", "speed", "sacred", "wicked"}
PASSIVE = re.compile(
    r"\b(?:{be})\s+(?:(?:not|never|also|only|then|often|\w+ly)\s+)?(\w+ed|{irregular})\b".format(
        be="|".join(TO_BE), irregular="|".join(IRREGULAR_PARTICIPLES.split())
    ),
    re.IGNORECASE,
)


def is_english(language_code):
    return (language_code or "").lower().startswith("en")


def reading_age(text, language_code):
    """The age at which a reader should understand the text, or None if it is empty or not in English.

    The Flesch-Kincaid grade level (textstat 0.7.3) plus 5: it gives a US school grade, and pupils in grade 1 are
    about 6, so grade 7 is about age 12. The formula counts words per sentence and syllables per word, which only
    means something in English, so other languages (Welsh) are never scored."""
    text = (text or "").strip()
    if not is_english(language_code) or not WORD.search(text):
        return None
    return max(5, round(textstat.flesch_kincaid_grade(text) + 5))


def hard_to_read(texts, language_code):
    """{field name: reading age} for the texts (field name -> text) that read above age 12. English only:
    for Welsh, or any language but English, it is always {} (see reading_age)."""
    ages = {name: reading_age(text, language_code) for name, text in texts.items()}
    return {name: age for name, age in ages.items() if age is not None and age > TARGET_READING_AGE}


def sentences(text):
    return [part.strip() for part in SENTENCE_END.split(text or "") if part.strip()]


def long_sentences(text):
    """[(number of words, sentence)] for each sentence of more than 25 words."""
    counted = ((len(WORD.findall(sentence)), sentence) for sentence in sentences(text))
    return [(words, sentence) for words, sentence in counted if words > LONG_SENTENCE_WORDS]


def passive_phrases(text):
    """The phrases that look like the passive voice ("is kept", "were shared"), in the order they appear."""
    return [match.group(0) for match in PASSIVE.finditer(text or "") if match.group(1).lower() not in NOT_PARTICIPLES]


def words_used(text, words_to_avoid):
    """The words to avoid (objects with .word and .instead) that the text uses, as whole words in any case."""
    found = []
    for avoid in words_to_avoid:
        written = r"\s+".join(re.escape(part) for part in avoid.word.split())
        if written and re.search(rf"(?<![\w-]){written}(?![\w-])", text or "", re.IGNORECASE):
            found.append(avoid)
    return found


@dataclass
class FieldReport:
    """What the panel says about one text field."""

    name: str
    label: str
    reading_age: int | None = None
    long_sentences: list = field(default_factory=list)
    passive: list = field(default_factory=list)
    words_to_avoid: list = field(default_factory=list)

    @property
    def too_hard(self):
        return self.reading_age is not None and self.reading_age > TARGET_READING_AGE

    @property
    def needs_attention(self):
        return self.too_hard or bool(self.long_sentences or self.passive or self.words_to_avoid)


def check_writing(texts, language_code, words_to_avoid=(), labels=None):
    """A FieldReport for each text (field name -> text) that is not empty, in the order given. Reading age and
    passive voice only for English."""
    labels = labels or {}
    english = is_english(language_code)
    words_to_avoid = list(words_to_avoid)
    reports = []
    for name, text in texts.items():
        text = (text or "").strip()
        if not text:
            continue
        reports.append(
            FieldReport(
                name=name,
                label=labels.get(name, name),
                reading_age=None if name in NOT_SCORED_FOR_AGE else reading_age(text, language_code),
                long_sentences=long_sentences(text),
                passive=passive_phrases(text) if english else [],
                words_to_avoid=words_used(text, words_to_avoid),
            )
        )
    return reports


def entry_texts(entry):
    """The entry's text fields, field name -> text, in the order of TEXT_FIELDS."""
    return {name: getattr(entry, name, "") or "" for name in TEXT_FIELDS}


class WritingPanel(Panel):
    """Per field of the entry: reading age, long sentences, passive voice and the council's words to avoid.

    It reads the entry it is bound to: in the editor, the last saved version (or what was just sent, when the
    editor shows the form again with its errors)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "datauses/admin/writing_panel.html"

        def language_code(self):
            locale_id = getattr(self.instance, "locale_id", None)
            return self.instance.locale.language_code if locale_id else settings.LANGUAGE_CODE

        def words_to_avoid(self):
            if not getattr(self.instance, "organisation_id", None):
                return []
            return list(self.instance.organisation.words_to_avoid.all())

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            texts = entry_texts(self.instance)
            context["has_text"] = any(text.strip() for text in texts.values())
            if not context["has_text"]:
                return context
            language = self.language_code()
            labels = {name: capfirst(self.instance._meta.get_field(name).verbose_name) for name in texts}
            reports = check_writing(texts, language, self.words_to_avoid(), labels)
            context.update(
                reports=reports,
                english=is_english(language),
                language_name=self.instance.locale.get_display_name() if self.instance.locale_id else "",
                target_age=TARGET_READING_AGE,
                long_sentence_words=LONG_SENTENCE_WORDS,
                too_hard=[report for report in reports if report.too_hard],
                to_look_at=[report for report in reports if report.needs_attention],
                has_words_to_avoid=bool(getattr(self.instance, "organisation_id", None)),
            )
            return context
