"""The desk's words in templates: a model's name in the case and number a phrase needs."""

from django import template

from project.admin import accusative as accusative_name
from project.admin import counted as counted_name

register = template.Library()


@register.filter
def accusative(opts):
    return accusative_name(opts)


@register.filter
def counted(count, opts):
    return counted_name(count, opts)
