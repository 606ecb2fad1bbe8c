"""Log in with the e-mail address or the username; the password check is Django's."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def find_user_for_login(identifier: str):
    """The one active-or-not user a login name refers to, or None (never guesses between two)."""
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User._default_manager.filter(username=identifier).first()
    if user is not None or "@" not in identifier:
        return user
    matches = list(User._default_manager.filter(email__iexact=identifier)[:2])
    return matches[0] if len(matches) == 1 else None


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user_for_login(username)
        if user is None:
            # Same hashing cost as a real check, so timing does not reveal which names exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
