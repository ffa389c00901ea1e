from django import template

from newsroom import models
from project.address import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """A path of this site as the address readers and search engines use."""
    return absolute_url(path)


@register.filter
def staff_name(person, viewer):
    return models.staff_name(person, viewer)
