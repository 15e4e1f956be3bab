"""The broker over HTTP (FastAPI on uvicorn): ``build_api(broker, ApiSettings(...))`` and
``ApiServer(app)``; ``ib-harness api`` serves it from the command line."""

from .app import build_api
from .server import ApiServer
from .settings import ApiSettings

__all__ = ["ApiServer", "ApiSettings", "build_api"]
