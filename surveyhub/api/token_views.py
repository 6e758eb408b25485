"""“My API token”: a staff user creates, rotates or revokes their own API key."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from surveyhub.api.tokens import api_token_create, api_token_revoke
from surveyhub.models import ApiToken


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_api_token(request):
    """GET shows the key's details (never the key); POST `create` shows a new key once."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            token, key = api_token_create(user=request.user)
            # Rendered, not redirected: the key must not travel through a message or a URL.
            return render(request, "surveyhub/api_token.html", {"token": token, "new_key": key})
        if action == "revoke":
            if api_token_revoke(user=request.user):
                messages.success(request, _("Your API token was revoked; it no longer works."))
            return redirect("my-api-token")
        return HttpResponseBadRequest(_("Unknown action."))
    token = ApiToken.objects.filter(user=request.user).first()
    return render(request, "surveyhub/api_token.html", {"token": token})
