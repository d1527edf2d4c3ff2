"""The privacy notice for the register website: what the feedback and email forms keep, who sees it, why, for how
long, and people's rights. Kept true to the code: feedback/forms.py, feedback/models/, feedback/permissions.py,
feedback/guards.py (rate limit and duplicates), feedback/retention.py, base/redaction.py and search/query_log.py.
"""

from . import link_list

SLUG = "privacy"
TITLE = "Privacy notice for this website"
INTRO = (
    "This notice covers the register website itself: what we keep when you use it and give your views. Each "
    "entry says how that council service uses data."
)
BODY = [
    ("heading", "Who is responsible for your information"),
    (
        "paragraph",
        "<p>Each entry in the register belongs to one council. That council is responsible for what you send us "
        "about its entry. In data protection law, it is the 'controller'.</p>"
        "<p>The council's contact details, and those of its data protection officer, are under 'Who is "
        "responsible' at the end of each entry.</p>",
    ),
    ("heading", "What we keep when you give your views"),
    (
        "paragraph",
        "<p>The form at the end of each entry asks:</p>"
        "<ul>"
        "<li>how comfortable you are with the council using data in this way</li>"
        "<li>whether you trust the council to use the data responsibly, if you choose to say</li>"
        "<li>what would make you more comfortable, if you choose to say</li>"
        "<li>what worries you, or what would help, in your own words, if you choose to write a comment</li>"
        "<li>whether we may publish your comment without your name</li>"
        "<li>your email address, only if you would like a reply</li>"
        "</ul>"
        "<p>We also keep the date and time you sent the form, the language of the page you were reading, and "
        "which version of the entry you read.</p>",
    ),
    (
        "paragraph",
        "<p>We do not ask for your name or address. If you type personal details in your comment, such as an "
        "email address, a phone number, a postcode, a bank card number or a National Insurance number, the "
        "website removes them before your comment is saved, so that staff do not see them. It may miss some, so "
        "please leave them out.</p>"
        "<p>We keep your email address apart from your comment. We only use it to reply to you.</p>",
    ),
    ("heading", "Reporting a problem with a page"),
    (
        "paragraph",
        "<p>The form 'Is something on this page wrong or unclear?' asks what the problem is and, if you like, for "
        "more detail. Personal details are removed from what you write in the same way.</p>",
    ),
    ("heading", "Getting emails about an entry"),
    (
        "paragraph",
        "<p>If you ask for emails when an entry changes, we keep your email address, the entry and the language "
        "you used. We only use your address to send you those emails, and we keep it apart from any feedback "
        "you give. Council staff cannot see it in the editing area. Every email has a link to unsubscribe.</p>",
    ),
    ("heading", "Who sees what you send"),
    (
        "paragraph",
        "<p>Your answers and comments are only seen by people at the council that wrote the entry:</p>"
        "<ul>"
        "<li>the service team responsible for the entry</li>"
        "<li>the council's editors of the register</li>"
        "<li>the council's data protection officers</li>"
        "</ul>"
        "<p>The few administrators who run the website can see them too, to keep it working.</p>"
        "<p>Only the service team can see your email address, so that they can reply to you. Reports of problems "
        "with a page go to the council's editors and data protection officers.</p>",
    ),
    ("heading", "What we publish"),
    (
        "paragraph",
        "<p>Once at least 10 people have answered, we show on the entry how many people gave each answer. We do "
        "not show who gave them.</p>"
        "<p>We only publish your comment if you ticked the box to say we may, and after a member of staff has "
        "checked it. We publish it without your name. We never publish your email address or a reply we send "
        "you.</p>",
    ),
    ("heading", "Why we can use your information"),
    (
        "paragraph",
        "<p>We use it to carry out a task in the public interest: telling people how councils use data, and "
        "listening to what they think about it. In data protection law, this is called 'public task' "
        "(Article 6(1)(e) of the UK GDPR).</p>"
        "<p>We only publish your comment because you agreed that we may. You can ask the council to take it "
        "down at any time.</p>",
    ),
    ("heading", "How long we keep it"),
    (
        "paragraph",
        "<p>Each council decides how long it keeps comments, problem reports and email addresses. Unless the "
        "council has chosen a different time, we delete them 12 months after you send them. The rest of your "
        "answers, such as how comfortable you were, are kept without them, to show how views change over "
        "time. A copy of any reply the council sent you is kept with your answers, without your address.</p>"
        "<p>If you asked for emails about an entry, we delete your address when you unsubscribe. We also delete "
        "it when the council's time for keeping feedback has passed since you last asked to follow the entry. If "
        "you do not confirm your address within 7 days, we delete it.</p>",
    ),
    ("heading", "IP addresses, cookies and tracking"),
    (
        "paragraph",
        "<p>Your IP address is the number that identifies your connection to the internet. We do not keep it "
        "with anything you send us, and the website's own logs do not record it.</p>"
        "<p>To stop anyone sending the forms again and again, the website keeps a scrambled code made from your "
        "IP address, not the address itself, for up to an hour. So that the same answers sent twice (for "
        "example after a double click) are counted once, we save your answers with a scrambled code made from "
        "them, from that code and from the time, rounded down to 5 minutes.</p>"
        "<p>We do not use cookies to track you, and we do not use analytics tools to count visits. Our cookies "
        "page lists the few cookies we use. There is a link to it at the bottom of every page.</p>",
    ),
    ("heading", "Searching the register"),
    (
        "paragraph",
        "<p>We count the words people search for, but not who searched, so that editors can improve the "
        "register. We do not count searches that look like they contain personal details, such as an email "
        "address or a phone number. We delete the counts after 90 days.</p>",
    ),
    ("heading", "If you work for a council and sign in"),
    (
        "paragraph",
        "<p>We keep your name, email address and role, and a record of what you change in the register. To "
        "protect your account from people guessing passwords, we record each time you sign in or out, with the "
        "time, your IP address and your browser. We also record when a wrong password is typed, so that signing "
        "in can be paused after too many tries.</p>",
    ),
    ("heading", "Your rights"),
    (
        "paragraph",
        "<p>You have the right to:</p>"
        "<ul>"
        "<li>ask for a copy of the information we hold about you (the right of access)</li>"
        "<li>ask us to correct it</li>"
        "<li>ask us to delete it (the right to erasure)</li>"
        "<li>object to how we use it</li>"
        "<li>complain to the Information Commissioner's Office (ICO)</li>"
        "</ul>"
        "<p>To use your rights, contact the data protection officer of the council that wrote the entry. Their "
        "details are under 'Who is responsible' at the end of each entry.</p>"
        "<p>We do not know who sent most feedback, because we do not ask for names. If you left an email "
        "address, tell the council the entry, the address and roughly when you sent the form, so that it can "
        "find your answers.</p>",
    ),
    (
        "paragraph",
        "<p>If you are unhappy with how a council has used your information, you can complain to the ICO. Its "
        "helpline is 0303 123 1113.</p>",
    ),
    (
        "links",
        link_list(
            ("Make a complaint to the ICO", "https://ico.org.uk/make-a-complaint/"),
            ("Your data protection rights (ICO)", "https://ico.org.uk/for-the-public/"),
        ),
    ),
    ("heading", "Changes to this notice"),
    ("paragraph", "<p>We last changed this notice on 1 December 2026.</p>"),
]
PAGE = (SLUG, TITLE, INTRO, BODY)
