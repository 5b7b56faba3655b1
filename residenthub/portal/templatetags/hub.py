from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``{{ error_for|lookup:"name-day" }}``: a dict value by a computed key."""
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.simple_tag
def join_id(*parts):
    return "-".join(str(p) for p in parts if p != "")
