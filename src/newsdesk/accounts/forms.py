from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator

from newsdesk.accounts import services
from newsdesk.accounts.models import Profile


class ErrorFocusMixin:
    """After a failed submission, the focus lands on the first field to fix, and every error
    is tied to a field. Django already ties a field's own errors (aria-invalid and
    aria-describedby); errors of the whole form (a wrong password at log-in) are tied here
    to every visible field, by the id that accounts/_fields.html gives their box."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        if self.non_field_errors():
            errors_id = f"{self.prefix or 'form'}-errors"
            for field in self.visible_fields():
                attrs = field.field.widget.attrs
                described = [field.aria_describedby or "", errors_id]
                attrs["aria-describedby"] = " ".join(i for i in described if i)
                attrs["aria-invalid"] = "true"
        invalid = [f for f in self.visible_fields() if f.errors] or self.visible_fields()
        if invalid:
            invalid[0].field.widget.attrs["autofocus"] = True


class SignupForm(ErrorFocusMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send a link to confirm it. It is never shown to other readers.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=80,
        help_text="Shown next to your comments.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    username = forms.CharField(
        label="Username (optional)",
        max_length=30,
        required=False,
        validators=[UnicodeUsernameValidator()],
        help_text="For your profile address; we make one from your display name if you leave it empty.",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if services.email_is_taken(email):
            raise forms.ValidationError(
                "An account with this e-mail address exists already; log in or reset the password.",
                code="email_taken",
            )
        return email

    def clean_display_name(self):
        name = services.clean_display_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError("Enter the name to show with your comments.")
        return name

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if username and services.username_is_taken(username):
            raise forms.ValidationError("That username is taken; choose another.", code="taken")
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            # Validate against what we know of the future user (similarity to name/e-mail).
            candidate = get_user_model()(
                username=cleaned.get("username") or cleaned.get("display_name") or "",
                email=cleaned.get("email") or "",
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ProfileSettingsForm(ErrorFocusMixin, forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "bio", "notify_replies"]
        labels = {
            "display_name": "Display name",
            "bio": "About you",
            "notify_replies": "E-mail me when someone replies to my comments",
        }
        help_texts = {
            "bio": "Plain text, shown on your public profile page (500 characters at most).",
            "notify_replies": "",
        }
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        }

    def clean_display_name(self):
        name = services.clean_display_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError("Enter the name to show with your comments.")
        return name

    def clean_bio(self):
        return services.clean_bio(self.cleaned_data["bio"])


class DeleteAccountForm(ErrorFocusMixin, forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        help_text="To make sure it is you.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="password_incorrect")
        return password
