from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("<int:entry_id>/", views.feedback, name="submit"),
    path("<int:entry_id>/thanks/", views.thanks, name="thanks"),
    path("<int:entry_id>/problem/", views.problem, name="problem"),
    path("<int:entry_id>/problem/thanks/", views.problem_thanks, name="problem_thanks"),
    path("<int:entry_id>/follow/", views.follow, name="follow"),
    path("<int:entry_id>/follow/sent/", views.follow_sent, name="follow_sent"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/sent/", views.alerts_sent, name="alerts_sent"),
    path("follow/confirm/<slug:token>/", views.follow_confirm, name="follow_confirm"),
    path("follow/unsubscribe/<slug:token>/", views.follow_unsubscribe, name="follow_unsubscribe"),
]
