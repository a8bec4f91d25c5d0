"""The course's JupyterHub: `make hub`, or `PREFIX/venv/bin/jupyterhub -f hub/jupyterhub_config.py` as root.

Users log in with their Unix password (PAM); only the course's two groups may. Each user's JupyterLab runs as that
user from the shared environment, in their own home. Everything listens on 127.0.0.1: put a TLS proxy in front of
the hub for anything but a trial on this machine (README, "The course on a JupyterHub").

Settings from the environment: KIT_HUB_PREFIX (the folder `python -m autograder.hub setup` made, /opt/dnn-course
by default), KIT_HUB_PORT (the users' port, 8000), KIT_HUB_HOST (the host name users open, localhost; each user's
server is at <user>.<host>), KIT_HUB_API_PORT (the hub's own, 8081) and KIT_PROXY_API_PORT (the proxy's control
port, 8001).
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

prefix = Path(os.environ.get("KIT_HUB_PREFIX", "/opt/dnn-course"))
venv = prefix / "venv"

port = os.environ.get("KIT_HUB_PORT", "8000")
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
# Each user's server on a host of its own (amara.localhost: browsers send every *.localhost to this machine), so
# that one user's pages cannot script another's. The formgrader, which JupyterLab shows in a frame, needs it: the
# environment's servers allow frames from their own host only (environment.py).
c.JupyterHub.subdomain_host = f"http://{os.environ.get('KIT_HUB_HOST', 'localhost')}:{port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('KIT_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('KIT_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(prefix / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")]

# The hub's database and secrets, private to root.
c.JupyterHub.db_url = f"sqlite:///{prefix / 'state' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(prefix / "state" / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(prefix / "state" / "jupyterhub-proxy.pid")

# Unix accounts, with their passwords; the course's groups only (python -m autograder.hub setup makes them).
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {"dnn-instructors", "dnn-students"}

# Each user's own JupyterLab, as that user, from the environment every user can run.
c.Spawner.cmd = [str(venv / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
c.Spawner.http_timeout = 120  # a busy machine's first start of JupyterLab can take a while
