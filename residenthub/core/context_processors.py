from django.conf import settings


def council(request):
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
        "OUT_OF_HOURS_PHONE": settings.OUT_OF_HOURS_PHONE,
    }
