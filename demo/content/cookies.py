"""The cookies page: every cookie the site can set, for whom, why and for how long.

tests/home/test_legal_pages.py signs in and reads the register as a resident, and fails if a cookie is set that
this page does not name (in bold, followed by its list), or if the page names one the site never sets.
"""

SLUG = "cookies"
TITLE = "Cookies"
INTRO = (
    "Cookies are small files that a website saves on your phone, tablet or computer. This website only uses "
    "cookies it needs to work. We do not use cookies to track you or to count visits."
)
BODY = [
    ("heading", "If you read the register"),
    (
        "paragraph",
        "<p>Reading the register, searching it, giving your views on an entry and asking for emails about an "
        "entry do not set any cookies.</p>"
        "<p>We set one cookie, and only if you choose a language with the link at the top of a page:</p>",
    ),
    (
        "paragraph",
        "<p><b>language</b></p>"
        "<ul>"
        "<li>What it is for: it remembers the language you chose, so that pages open in that language the next "
        "time you visit.</li>"
        "<li>When it is set: when you choose English or Cymraeg at the top of a page.</li>"
        "<li>How long it lasts: 1 year. Choosing a language again starts the year again.</li>"
        "</ul>",
    ),
    (
        "paragraph",
        "<p>A council can put a password on a page, for example while it is being checked. If you type the "
        "password for a page like this, you also get the csrftoken and sessionid cookies described below. The "
        "sessionid cookie lets you see the page until you close your browser.</p>",
    ),
    ("heading", "If you work for a council and sign in"),
    (
        "paragraph",
        "<p>Council staff sign in to edit the register and to read feedback. Signing in sets these cookies:</p>",
    ),
    (
        "paragraph",
        "<p><b>sessionid</b></p>"
        "<ul>"
        "<li>What it is for: it keeps you signed in as you move from page to page.</li>"
        "<li>When it is set: when you sign in.</li>"
        "<li>How long it lasts: until you close your browser, or 2 weeks if you tick 'Remember me' when you "
        "sign in. Signing out deletes it.</li>"
        "</ul>",
    ),
    (
        "paragraph",
        "<p><b>csrftoken</b></p>"
        "<ul>"
        "<li>What it is for: it stops other websites sending forms to this website in your name.</li>"
        "<li>When it is set: when you open the sign-in page or a page of the editing area.</li>"
        "<li>How long it lasts: 1 year.</li>"
        "</ul>",
    ),
    (
        "paragraph",
        "<p><b>messages</b></p>"
        "<ul>"
        "<li>What it is for: it carries a short note to the next page, such as a note that you have signed "
        "out.</li>"
        "<li>When it is set: after some actions in the editing area, such as signing out.</li>"
        "<li>How long it lasts: until the note is shown, or until you close your browser.</li>"
        "</ul>",
    ),
    (
        "paragraph",
        "<p><b>wagtail_sidebar_collapsed</b></p>"
        "<ul>"
        "<li>What it is for: it remembers whether you made the menu of the editing area smaller.</li>"
        "<li>When it is set: when you make the menu smaller or bigger again.</li>"
        "<li>How long it lasts: until you close your browser.</li>"
        "</ul>",
    ),
    (
        "paragraph",
        "<p>The editing area also remembers some layout choices, such as the width of its side panels, in your "
        "browser's own storage. This stays on your device. It is not sent to us.</p>",
    ),
    ("heading", "Why we do not ask you to accept cookies"),
    (
        "paragraph",
        "<p>We only set a cookie when you do something that needs it: choosing a language or signing in. So we do "
        "not ask you to accept cookies first.</p>"
        "<p>You can delete cookies at any time in your browser's settings. If you block them, you can still read "
        "the register and give your views. The website will not remember your language, and staff will not be "
        "able to sign in.</p>",
    ),
    ("heading", "No tracking"),
    (
        "paragraph",
        "<p>We do not use Google Analytics or any other tool that tracks you or counts visits. No other company "
        "sets cookies through this website.</p>",
    ),
]
PAGE = (SLUG, TITLE, INTRO, BODY)
