from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("<int:entry_id>/", views.feedback, name="submit"),
    path("<int:entry_id>/thanks/", views.thanks, name="thanks"),
    path("<int:entry_id>/problem/", views.problem, name="problem"),
    path("<int:entry_id>/problem/thanks/", views.problem_thanks, name="problem_thanks"),
]
