from django.apps import AppConfig


class DynamicConfig(AppConfig):
    name = "custom_objects.dynamic"
    label = "custom_objects_dynamic"
    verbose_name = "Custom objects"
