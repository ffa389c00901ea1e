from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from media import decoding, specs
from media.models import Photo, Rendition

FOREVER = "public, max-age=31536000, immutable"


@require_GET
def rendition(request, pk, token, name):
    """
    A rendition from the fixed set, made on its first request and kept.

    Pages link straight to renditions that exist; this answers for those not
    made yet, so a reader waits for one rendition at most, never for a page.
    """
    spec = specs.parse(name)
    if spec is None:
        raise Http404("No such rendition.")
    photo = get_object_or_404(Photo, pk=pk, token=token)
    existing = Rendition.objects.filter(photo=photo, spec=spec.name).first()
    if existing:
        response = redirect(existing.file.url)
    else:
        try:
            made = photo.make_renditions([spec])[0]
        except decoding.DecodingBusy:
            # Other photos take every decoding slot: the browser asks again shortly.
            response = HttpResponse(_("Busy, try again shortly."), status=503)
            response["Retry-After"] = "5"
            return response
        with made.file.open("rb") as file:
            response = HttpResponse(file.read(), content_type=spec.content_type)
    # The address changes whenever the picture does, so the answer never goes stale.
    response["Cache-Control"] = FOREVER
    return response
