from articles.models import Section


def sections(request):
    # Lazy: pages that never draw the navigation (the admin) never run the query.
    return {"navigation_sections": Section.objects.all()}
