"""What a page that refuses someone says they can do about it, worded for their role."""

from django import template

from earlyhelp.access.roles import Role

register = template.Library()


@register.filter
def who_to_ask(user) -> str:
    """Whom to ask for a page one's role does not open: never one's own role.

    Roles are changed by a system administrator and approved by a second person; nobody
    changes their own. A practitioner asks their team manager, who can do it for them or
    ask for the role.
    """
    roles = user.roles if getattr(user, "is_authenticated", False) else frozenset()
    if not roles:
        return (
            "Your account has no role yet, or its roles are waiting to be approved. "
            "Ask your system administrator."
        )
    if Role.SYSTEM_ADMINISTRATOR in roles:
        return (
            "If you need it for your work, ask another system administrator to give you "
            "the role: nobody changes their own roles."
        )
    if roles == {Role.PRACTITIONER}:
        return "If you need it for your work, ask your team manager."
    return "If you need it for your work, ask your system administrator to give you the role."
