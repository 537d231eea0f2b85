"""The public rights and complaints form, at a stable address the privacy notice links to."""

from django.urls import path

from earlyhelp.rights import public, public_views

app_name = "rights_public"
urlpatterns: list = [
    path("your-rights/", public_views.start, name="start"),
    *(
        path(f"your-rights/{step.slug}/", public_views.question_view(step), name=step.slug)
        for step in public.STEPS
    ),
    path("your-rights/check-your-answers/", public_views.check, name="check"),
    path("your-rights/sent/", public_views.sent, name="sent"),
]
