from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhenwu.projects"
    label = "projects"
    verbose_name = "重点项目与招商引资"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes
        from zhenwu.web import navigation

        from . import measures, models

        measures.register()

        for model in (
            models.Project, models.StageChange, models.InvestmentValue, models.Milestone, models.ProgressNote,
            models.InvestmentLead, models.LeadFollowUp, models.ScheduleTemplate, models.ScheduleStep,
            models.ProjectProblem,
        ):  # fmt: skip
            record_changes(model)
        navigation.register(navigation.NavItem("项目", "projects:dashboard", order=20))
