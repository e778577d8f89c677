from django import template

from marketplace.html import json_ld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    return json_ld_script(page.get_json_ld(context["request"]))
