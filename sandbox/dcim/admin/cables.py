"""Admin pages of cables (each end chosen as an object type plus ids) and their termination rows."""
from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from dcim.models import Cable, CableTermination
from dcim.models.cables import CABLE_TERMINATION_MODELS
from netbox_userscripts.admin import UserscriptsModelAdmin


class CableForm(forms.ModelForm):
    """A cable with its A and B ends, each an object type and the ids of the objects of that type."""

    a_terminations_type = forms.ModelChoiceField(ContentType.objects.filter(CABLE_TERMINATION_MODELS),
                                                 label="A end type")
    a_terminations_ids = forms.CharField(label="A end ids", help_text="Ids of the objects, comma separated")
    b_terminations_type = forms.ModelChoiceField(ContentType.objects.filter(CABLE_TERMINATION_MODELS),
                                                 label="B end type")
    b_terminations_ids = forms.CharField(label="B end ids", help_text="Ids of the objects, comma separated")

    class Meta:
        model = Cable
        fields = ["status", "type", "tenant", "label", "color", "length", "length_unit", "description", "comments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for end in ("a", "b"):
                objects = getattr(self.instance, f"{end}_terminations")
                if objects:
                    self.initial[f"{end}_terminations_type"] = ContentType.objects.get_for_model(objects[0]).pk
                    self.initial[f"{end}_terminations_ids"] = ", ".join(str(obj.pk) for obj in objects)

    def clean(self):
        data = super().clean()
        for end in ("a", "b"):
            content_type, ids = data.get(f"{end}_terminations_type"), data.get(f"{end}_terminations_ids")
            if content_type is None or ids is None:
                continue
            try:
                pks = [int(part) for part in ids.replace(" ", "").split(",") if part]
            except ValueError:
                self.add_error(f"{end}_terminations_ids", "Give numeric ids, comma separated.")
                continue
            objects = {obj.pk: obj for obj in content_type.model_class()._default_manager.filter(pk__in=pks)}
            missing = [str(pk) for pk in pks if pk not in objects]
            if missing or not pks:
                self.add_error(f"{end}_terminations_ids", f"No {content_type.model} with id {', '.join(missing)}."
                               if missing else "Give at least one id.")
                continue
            setattr(self.instance, f"{end}_terminations", [objects[pk] for pk in pks])
        return data


class CableTerminationInline(admin.TabularInline):
    model = CableTermination
    extra = 0
    can_delete = False
    fields = readonly_fields = ["cable_end", "termination_type", "termination_id", "termination"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cable)
class CableAdmin(UserscriptsModelAdmin):
    form = CableForm
    list_display = ["__str__", "a_end", "b_end", "status", "type", "length", "length_unit"]
    list_filter = ["status", "type"]
    search_fields = ["label", "description"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]
    fieldsets = [
        ("Ends", {"fields": ["a_terminations_type", "a_terminations_ids", "b_terminations_type",
                             "b_terminations_ids"]}),
        (None, {"fields": ["status", "type", "tenant", "label", "color", "length", "length_unit", "description",
                           "comments"]}),
    ]
    inlines = [CableTerminationInline]
    bulk_edit_fields = ["status", "type", "tenant"]

    def get_queryset(self, request):
        # Each end is an object of some type; fetching them together avoids queries per row.
        return super().get_queryset(request).prefetch_related("terminations__termination")

    @admin.display(description="A end")
    def a_end(self, cable):
        return _ends(cable.a_terminations)

    @admin.display(description="B end")
    def b_end(self, cable):
        return _ends(cable.b_terminations)


@admin.register(CableTermination)
class CableTerminationAdmin(UserscriptsModelAdmin):
    list_display = ["__str__", "cable", "cable_end", "termination_type", "termination_id"]
    list_filter = ["cable_end", "termination_type"]
    search_fields = ["cable__label"]
    list_select_related = ["cable", "termination_type"]
    fields = ["cable", "cable_end", "termination_type", "termination_id"]
    autocomplete_fields = ["cable"]


def _ends(objects):
    return ", ".join(f"{getattr(obj, 'parent_object', '')} {obj}".strip() for obj in objects) or "-"
