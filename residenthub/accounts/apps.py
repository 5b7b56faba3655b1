from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "residenthub.accounts"
    label = "accounts"
