from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shequ.accounts.decorators import requires
from shequ.accounts.types import AuthedRequest
from shequ.policy.selectors import bindings_in_scope, policy_for


@requires("policy.view")
def policy_index_view(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    unit = request.user.unit
    policy, label = policy_for(unit=unit, on=today) if unit else (None, "")
    presets = sorted(p.stem for p in settings.POLICY_DIR.glob("*.toml"))
    return render(request, "policy/index.html", {
        "policy": policy, "label": label, "bindings": bindings_in_scope(user=request.user),
        "presets": presets, "page_title": "政策", "today": today,
    })
