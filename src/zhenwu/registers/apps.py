from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "zhenwu.registers"
    label = "registers"
    verbose_name = "台账"
