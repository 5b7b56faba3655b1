from django.conf import settings

from .middleware import JS_ENABLED_SCRIPT


def council(request):
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
        "OUT_OF_HOURS_PHONE": settings.OUT_OF_HOURS_PHONE,
        "JS_ENABLED_SCRIPT": JS_ENABLED_SCRIPT,
    }
