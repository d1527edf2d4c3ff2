from django.apps import AppConfig


class DataUsesConfig(AppConfig):
    name = "datauses"
    verbose_name = "Data use register"
