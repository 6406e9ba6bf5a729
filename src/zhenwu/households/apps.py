from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "zhenwu.households"
    label = "households"
    verbose_name = "农户与救助"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes

        from . import measures, models

        measures.register()

        # The encrypted values and the blind index never reach the log; the masked copies do.
        secret = ["id_number_cipher", "id_number_index", "phone_cipher"]
        record_changes(models.Household)
        record_changes(models.Member, exclude=secret)
        record_changes(models.MonitoringCase)
        record_changes(models.MonitoringVisit)
        record_changes(models.IncomeCheck)
        record_changes(models.Benefit)
        record_changes(models.SubsidyBatch)
        record_changes(models.SubsidyPayment)
        record_changes(models.RegisterImport)
        record_changes(models.Move)

        from zhenwu.web import navigation

        navigation.register(navigation.NavItem("农户", "households:overview", order=40))
