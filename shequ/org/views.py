from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from shequ.accounts.decorators import NO_CAPABILITY, requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.inputs import from_form
from shequ.common.middleware import add_form_error
from shequ.common.params import as_of
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import ShequError
from shequ.org.inputs import UnitFactsIn
from shequ.org.models import Unit, UnitClass
from shequ.org.selectors import unit_fact_on, unit_facts_frame, unit_list
from shequ.org.services import unit_fact_set


def _on(request: AuthedRequest) -> date:
    return as_of(request.GET.get("on"), today=timezone.localdate())


@requires("org.view")
def org_index_view(request: AuthedRequest) -> HttpResponse:
    on = _on(request)
    unit_id = request.GET.get("unit")
    units = unit_list(user=request.user)
    current = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=unit_id) if unit_id else request.user.unit
    if current is None:
        current = units.order_by("depth").first()
    children = units.filter(parent=current).order_by("unit_type", "name")
    facts = {r["unit_id"]: r for r in unit_facts_frame(units=children, on=on).to_dicts()}
    ancestors = [u for u in Unit.objects.filter(pk__in=current.ancestor_ids()).order_by("depth")
                 if u.path.startswith(request.user.unit.path if request.user.unit else "")] if current else []
    return render(request, "org/index.html", {
        "current": current, "ancestors": ancestors, "on": on, "page_title": "组织",
        "children": [(c, facts.get(c.pk)) for c in children],
        "fact": unit_fact_on(unit=current, on=on) if current else None,
        "can_change": has_capability(request.user, "org.change"),
    })


class FactForm(forms.Form):
    since = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    households = forms.IntegerField(label="户数", min_value=0)
    population = forms.IntegerField(label="常住人口", min_value=0)
    urban_population = forms.IntegerField(label="城镇常住人口", min_value=0)
    unit_class = forms.ChoiceField(label="单位类别", choices=[("", "（无）"), *UnitClass.choices], required=False)
    area_km2 = forms.DecimalField(label="面积（平方公里）", required=False, min_value=0, max_digits=10, decimal_places=2)


@requires("org.view")
def unit_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=pk)
    form = FactForm(request.POST or None, initial={"since": timezone.localdate()})
    if request.method == "POST":
        if not has_capability(request.user, "org.change"):
            raise PermissionDenied(NO_CAPABILITY)
        if form.is_valid():
            d = form.cleaned_data
            try:
                data = from_form(UnitFactsIn, d, labels={k: str(f.label) for k, f in form.fields.items()})
                unit_fact_set(unit=unit, actor=request.user, **data.service_kwargs())
            except ShequError as exc:
                add_form_error(form, exc)
            else:
                messages.success(request, f"已记录 {unit.name} 自 {d['since']} 起的单位情况")
                return redirect("org:unit", pk=unit.pk)
    return render(request, "org/unit.html", {
        "unit": unit, "facts": unit.facts.all(), "form": form, "page_title": unit.name,
        "can_change": has_capability(request.user, "org.change"),
    })
