from django.conf import settings

from project.editions import editions


def publication(request):
    return {"publisher": settings.NEWSROOM_PUBLISHER, "editions": lambda: editions(request)}
