from django import template

from zhenwu.activity.services import ACTION_CLASSES, ACTION_LABELS

register = template.Library()


@register.filter
def action_label(action: int) -> str:
    return ACTION_LABELS.get(action, "")


@register.filter
def action_class(action: int) -> str:
    return ACTION_CLASSES.get(action, "")
