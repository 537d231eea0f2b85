"""The real routes plus one that fails, to see the 500 page a user would."""

from django.urls import include, path

from earlyhelp.urls import handler500  # noqa: F401 - Django reads it from ROOT_URLCONF


def fail(request):
    raise RuntimeError("database password is hunter2 and the child is Jo Bloggs")


urlpatterns = [path("fail", fail), path("", include("earlyhelp.urls"))]
