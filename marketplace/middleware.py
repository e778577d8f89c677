"""Requests no honest browser sends, refused at the door before any view sees them; and the
language a page is written in."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils import translation

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Besides text/*: what TextGZipMiddleware compresses.
COMPRESSIBLE_TYPES = {"application/javascript", "application/json", "application/xml", "application/rss+xml",
                      "application/atom+xml", "application/ld+json", "image/svg+xml", "application/manifest+json"}


def _has_nul(pairs) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in pairs)


class RejectNulBytesMiddleware:
    """400 for a NUL byte in the path, the query string or a form field.

    PostgreSQL refuses NUL in text, so such a value reaching a query or a save is a
    ValueError/DataError, a 500, in whichever view it lands. No field of ours may hold
    one, so one check here serves every view, ours, Oscar's and Wagtail's. File
    contents are not looked at: uploads are binary and are checked by their own forms.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            # An Indonesian page with a way home; rendered without the request, whose values
            # are exactly what must not reach a context processor's query.
            return HttpResponseBadRequest(render_to_string("errors/nul.html"))
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or "\x00" in request.path_info or _has_nul(request.GET.lists()):
            return True
        if request.method == "POST" and request.content_type in FORM_TYPES:
            # Django parses the form here rather than in the view; it would anyway for CSRF.
            return _has_nul(request.POST.lists()) or any("\x00" in f.name for f in request.FILES.values())
        return False


class MethodNotAllowedPageMiddleware:
    """A form's action opened again (a reload after a refused post, a bookmark) answers 405
    from `require_POST` with an empty body, which the browser shows as its own English error
    page. Here it gets an Indonesian page that links back to the page the form is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method in ("GET", "HEAD"):
            parent = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
            parent = parent if not parent.startswith("//") else "/"  # never a link to another host
            response.content = render_to_string("405.html", {"back": parent}, request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class ChosenLanguageMiddleware:
    """The language a visitor chose on this site (the cookie Django's /i18n/setlang/ sets),
    else Indonesian. Django's LocaleMiddleware would follow the browser's Accept-Language,
    and many Indonesian phones are set to English: Oscar's English beside our Indonesian
    would then read as neither. The Wagtail admin follows each account's own preference."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH length padding) for text only.

    Django's compresses every response, so a WebP, a JPEG or a PDF served by the app (media,
    WhiteNoise's pictures) would be gzipped again on each request, for nothing, and lose its
    Content-Length. Text it compresses as usual; WhiteNoise's CSS and JS arrive already
    compressed (Content-Encoding set), which Django's leaves alone.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if content_type and not (content_type.startswith("text/") or content_type in COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
