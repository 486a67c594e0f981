"""The plugin's entry in NetBox's menu (Plugins > Userscripts)."""
from netbox.plugins import PluginMenuItem

menu_items = (
    PluginMenuItem(
        link="plugins:netbox_userscripts:userscripts",
        link_text="Userscripts",
        permissions=["netbox_userscripts.view_userscript"],
    ),
)
