from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "zhenwu.registers"
    label = "registers"
    verbose_name = "台账"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes

        from . import measures, models

        measures.register()

        # The workbook's bytes and the encrypted personal values never reach the log; the masked copies do.
        record_changes(models.Register)
        record_changes(models.RegisterVersion, exclude=["source", "xform", "definition"])
        record_changes(models.Thing)
        record_changes(models.RegisterRecord, exclude=["personal_cipher"])
        # An Excel import is logged as one write: its records are written in bulk (bulk.py).
        record_changes(models.RecordImport)
        # A device key's making and revoking are logged; its digest and each use are not.
        record_changes(models.DeviceKey, exclude=["key_hash", "last_used_at"])

        from zhenwu.web import navigation

        navigation.register(navigation.NavItem("台账", "registers:register-list", order=45))
