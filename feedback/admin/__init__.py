"""The feedback inbox, sentiment and public answers in the Wagtail admin.

forms.py (the admin's forms), views.py (list, edit and sentiment views), viewsets.py (how they are put
together in the menu), account.py (the feedback-emails panel). feedback/wagtail_hooks.py only registers them.
"""
