"""Schemas of real-name verification (实名认证)."""
from __future__ import annotations

from pydantic import Field

from .common import Body, Data


class VerificationBody(Body):
    real_name: str = Field(min_length=1, max_length=30, examples=["张三"])
    id_number: str = Field(min_length=18, max_length=18, description="18位居民身份证号码",
                           examples=["11010519491231002X"])


class VerificationData(Data):
    verified: bool
    real_name_masked: str | None = Field(None, examples=["张*"])
    id_number_masked: str | None = Field(None, examples=["1101**********002X"])
    age: int | None = None
    is_minor: bool | None = None
