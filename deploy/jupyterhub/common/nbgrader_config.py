"""nbgrader settings for everyone on the hub (students, instructors, formgrader): the shared exchange.

The hub's spawner sets COURSE_HUB_EXCHANGE; courses come from the user's JupyterHub groups
(nbgrader-<course> for students, formgrade-<course> for instructors), as nbgrader documents.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 (provided by traitlets)

c.Exchange.root = os.environ.get("COURSE_HUB_EXCHANGE", "/srv/nbgrader/exchange")
# One folder per course in the exchange, so that several courses can share one hub.
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
