"""The accessibility statement, in the order of the GOV.UK model statement for the Public Sector Bodies (Websites
and Mobile Applications) (No. 2) Accessibility Regulations 2018.

A default for the partnership to edit: its contact details, its own test results and the dates. The testing it
describes is what tests/browser/ does (axe-core on every public page type in English and Welsh, keyboard use,
JavaScript turned off), plus the checks at 390 and 1280 pixels wide made when the statement was prepared.
"""

from . import link_list

SLUG = "accessibility-statement"
TITLE = "Accessibility statement"
INTRO = (
    "This statement applies to this Data Use Register website. We want as many people as possible to be able to use it."
)
BODY = [
    ("heading", "Using this website"),
    (
        "paragraph",
        "<p>This website is run by the councils in the partnership. Each council writes and looks after its own "
        "entries.</p>"
        "<p>You should be able to:</p>"
        "<ul>"
        "<li>change colours, contrast levels and fonts using your browser or device settings</li>"
        "<li>zoom in up to 400% without the text spilling off the screen</li>"
        "<li>move around the website using just a keyboard</li>"
        "<li>move around the website using speech recognition software</li>"
        "<li>listen to the website using a screen reader</li>"
        "<li>use the register, search and the forms with JavaScript turned off</li>"
        "<li>read the register in English or Welsh</li>"
        "</ul>"
        "<p>We have also made the text as simple as possible to understand.</p>",
    ),
    (
        "links",
        link_list(
            (
                "AbilityNet: making your device easier to use if you have a disability",
                "https://mcmw.abilitynet.org.uk/",
            ),
        ),
    ),
    ("heading", "How accessible this website is"),
    (
        "paragraph",
        "<p>We know some parts of this website are not fully accessible:</p>"
        "<ul>"
        "<li>some entries link to documents on councils' own websites, such as impact assessments, and some of "
        "these are PDF files that may not work well with assistive technology</li>"
        "<li>the editing area that council staff use may not be fully accessible, because we have not tested it "
        "as fully as the pages the public reads</li>"
        "<li>some pages in Welsh have not been translated yet: they show the English, with a note in Welsh, and "
        "the English is marked so that screen readers read it in English</li>"
        "</ul>",
    ),
    ("heading", "Feedback and contact information"),
    (
        "paragraph",
        "<p>If you need information on this website in a different format, like large print, easy read, audio "
        "recording or braille, contact the council that wrote the entry. Its contact details are under 'Who is "
        "responsible' at the end of each entry. The council will tell you how long it will take to reply.</p>",
    ),
    ("heading", "Reporting accessibility problems with this website"),
    (
        "paragraph",
        "<p>We are always looking to improve the accessibility of this website. If you find a problem that is not "
        "listed on this page, or you think we are not meeting accessibility requirements, tell us:</p>"
        "<ul>"
        "<li>about an entry: contact the council that wrote it, using the details under 'Who is responsible', or "
        "use the form 'Is something on this page wrong or unclear?' at the end of the entry</li>"
        "<li>about the website as a whole: contact any of the councils in the partnership, which will pass your "
        "message on</li>"
        "</ul>",
    ),
    ("heading", "Enforcement procedure"),
    (
        "paragraph",
        "<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies "
        "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility "
        "regulations').</p>"
        "<p>If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support "
        "Service (EASS) if you live in England, Scotland or Wales. If you live in Northern Ireland, contact the "
        "Equality Commission for Northern Ireland (ECNI).</p>",
    ),
    (
        "links",
        link_list(
            ("Equality Advisory and Support Service (EASS)", "https://www.equalityadvisoryservice.com/"),
            ("Equality Commission for Northern Ireland (ECNI)", "https://www.equalityni.org/"),
            ("Equality and Human Rights Commission (EHRC)", "https://www.equalityhumanrights.com/"),
        ),
    ),
    ("heading", "Technical information about this website's accessibility"),
    (
        "paragraph",
        "<p>The councils in the partnership are committed to making this website accessible, in line with the "
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>",
    ),
    ("heading", "Compliance status"),
    (
        "paragraph",
        "<p>This website is partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2 "
        "AA standard, because of the non-compliance listed below.</p>"
        "<p>We do not know of any problem with the pages the public reads: the register, its entries, search, "
        "the forms and these information pages. We say 'partially' because we have not yet checked the editing "
        "area for council staff against the standard, and because the website has not yet had an independent "
        "accessibility audit.</p>",
    ),
    ("heading", "Non-accessible content"),
    ("paragraph", "<p>The content listed below is not accessible for the following reasons.</p>"),
    ("heading", "Non-compliance with the accessibility regulations"),
    (
        "paragraph",
        "<p>The editing area that council staff use is built with Wagtail, a content management system. Its "
        "makers test it for accessibility and publish their own report. We have not yet checked our editing "
        "area against WCAG 2.2 AA ourselves, so some of its screens may not meet it. This does not affect the "
        "pages the public reads. We plan to check it by 1 December 2027.</p>",
    ),
    ("heading", "Disproportionate burden"),
    (
        "paragraph",
        "<p>We are not claiming that fixing any accessibility problem on this website would be a disproportionate "
        "burden.</p>",
    ),
    ("heading", "Content that's not within the scope of the accessibility regulations"),
    (
        "paragraph",
        "<p>Some entries link to documents on councils' own websites, such as impact assessments. Some of these "
        "are PDF files, and they may not be accessible. They are not part of this website. The council that "
        "published them is responsible for them, and its own accessibility statement covers them. If you need a "
        "document in a different format, contact the council that wrote the entry.</p>"
        "<p>Links to other organisations' websites, such as the Information Commissioner's Office, go to pages "
        "we do not control.</p>",
    ),
    ("heading", "What we're doing to improve accessibility"),
    (
        "paragraph",
        "<p>Every change to this website is tested before it goes live. The tests open every type of public page "
        "in a web browser and check it with axe-core, a tool that finds common accessibility problems. The tests "
        "fail if it finds one.</p>"
        "<p>The editing area shows council staff the reading age of what they write in English, and points out "
        "long sentences and words to avoid, so that entries stay in plain language.</p>",
    ),
    ("heading", "Preparation of this accessibility statement"),
    (
        "paragraph",
        "<p>This statement was prepared on 1 December 2026. It was last reviewed on 1 December 2026. We will "
        "review it again by 1 December 2027, or sooner if the website changes a lot.</p>"
        "<p>This website was last tested on 1 December 2026 against the WCAG 2.2 AA standard, by the team that "
        "builds it. We tested:</p>"
        "<ul>"
        "<li>every type of public page with automated axe-core checks in a web browser, as part of the tests "
        "that run on every change, and the register, entries and forms in Welsh as well as English</li>"
        "<li>using the skip link, the search suggestions and the forms with only a keyboard</li>"
        "<li>using the register, search, the glossary and the forms with JavaScript turned off</li>"
        "<li>pages at 390 pixels wide, the size of a phone screen, and 1280 pixels wide, the size of a laptop "
        "screen</li>"
        "</ul>",
    ),
]
PAGE = (SLUG, TITLE, INTRO, BODY)
