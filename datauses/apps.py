from django.apps import AppConfig


class DataUsesConfig(AppConfig):
    name = "datauses"
    verbose_name = "Data use register"

    def ready(self):
        from . import sign_off, signals, tasks

        signals.connect()
        sign_off.connect(tasks.tell_approvers, tasks.tell_submitter)
