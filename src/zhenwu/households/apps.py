from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "zhenwu.households"
    label = "households"
    verbose_name = "农户与救助"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # The encrypted values and the blind index never reach the log; the masked copies do.
        secret = ["id_number_cipher", "id_number_index", "phone_cipher"]
        auditlog.register(models.Household)
        auditlog.register(models.Member, exclude_fields=secret)
        auditlog.register(models.MonitoringCase)
        auditlog.register(models.MonitoringVisit)
        auditlog.register(models.IncomeCheck)
        auditlog.register(models.Benefit)
        auditlog.register(models.SubsidyBatch)
        auditlog.register(models.SubsidyPayment)
        auditlog.register(models.RegisterImport)

        from zhenwu.web import navigation

        navigation.register(navigation.NavItem("农户", "households:overview", order=40))
