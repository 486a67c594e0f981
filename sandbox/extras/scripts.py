"""NetBox compatibility: ``from extras.scripts import *`` gives the Job/Var API of this project.

NetBox scripts run unchanged apart from their imports of data models. The names come from
``netbox_userscripts.jobs``; ``AbortScript`` is also in ``utilities.exceptions`` as in NetBox.
"""
from netbox_userscripts.jobs import *  # noqa: F401,F403
from netbox_userscripts.jobs import __all__  # noqa: F401
