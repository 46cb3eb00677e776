"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

import logging

from sqlalchemy import text

from ..api import Api, Call
from ..envelope import envelope
from ..schemas.common import Data

api = Api("health", tag="运维")
log = logging.getLogger("skyriff.http")


class HealthData(Data):
    status: str


@api.route("GET", "/healthz", summary="存活检查", response=HealthData, description="进程在运行即返回 ok，不访问依赖。")
def healthz(call: Call):
    return {"status": "ok"}


@api.route("GET", "/readyz", summary="就绪检查", response=HealthData, errors=(5002,),
           description="数据库可用时返回 ok；否则 503（5002），负载均衡应暂停转发。")
def readyz(call: Call):
    try:
        with call.services.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        log.error("not ready: database unavailable (%s)", type(error).__name__)
        return envelope(5002, "数据库不可用", None, 503)
    return {"status": "ok"}
