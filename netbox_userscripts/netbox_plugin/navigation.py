"""The plugin's entry in NetBox's menu (Plugins > Userscripts)."""
from netbox.plugins import PluginMenuItem
from netbox_userscripts.netbox_plugin.permissions import VIEW

menu_items = (
    PluginMenuItem(
        link="plugins:netbox_userscripts:userscripts",
        link_text="Userscripts",
        permissions=[VIEW],
    ),
)
