"""Forms of the enterprise pages: edit registration fields, rename."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organizations.choices import Role
from apps.organizations.models import Region
from apps.organizations.scoping import principal_role, region_subtree_ids

from .models import Enterprise
from .services import EDITABLE_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(forms.ModelForm):
    """The registration fields an administrator may correct (not the USCC, not the name).

    The region choices are the administrator's own subtree, so an edit cannot
    move an enterprise out of the editor's reach.
    """

    class Meta:
        model = Enterprise
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "established_on": DATE_INPUT,
            "approved_on": DATE_INPUT,
            "business_term_to": DATE_INPUT,
            "deregistered_on": DATE_INPUT,
            "revoked_on": DATE_INPUT,
            "business_scope": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        if principal_role(user) == Role.REGION_ADMIN:
            regions = regions.filter(pk__in=region_subtree_ids(getattr(user, "region_id", None)))
        self.fields["region"].queryset = regions

    def changes(self) -> dict[str, Any]:
        """Only the fields whose values differ from the stored ones."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class RenameForm(forms.Form):
    """A change of name (名称变更) with the date it takes effect."""

    new_name = forms.CharField(label=_("新名称"), max_length=200)
    effective_on = forms.DateField(label=_("变更日期"), widget=DATE_INPUT)
