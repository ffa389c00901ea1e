from django.conf import settings


def publication(request):
    return {"publisher": settings.NEWSROOM_PUBLISHER}
