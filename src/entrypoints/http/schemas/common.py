"""Building blocks shared by every module's schemas."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from skyriff_domain.ids import MAX_ID

T = TypeVar("T")

# Coins and CNY cross the wire as JSON numbers with two decimals (85.50), never as floats in our code.
Money = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "金额，两位小数", "examples": [85.5]})]
Timestamp = Annotated[datetime, WithJsonSchema({"type": "string", "format": "date-time",
                                                "examples": ["2025-01-15T10:00:00Z"]})]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Body(BaseModel):
    """A JSON request body: types are strict (a phone number is a string, an id an integer), and a field
    the endpoint does not know is refused (a misspelt `nick_name` must not be silently ignored)."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """Query-string parameters arrive as text and are converted."""

    model_config = ConfigDict(extra="ignore")


class PageQuery(Query):
    cursor: str = Field("", max_length=512, description="上一页返回的 next_cursor；首页不传")
    limit: int = Field(20, ge=1, le=100, description="每页数量，默认20，最多100")


class Data(BaseModel):
    """Response data, documented; views render plain dicts that conform to it."""

    model_config = ConfigDict(extra="forbid")


class AigcNotice(Data):
    """The AIGC notice clients show beside generated content (人工智能生成合成内容标识办法)."""

    label: str = Field(description="1：人工智能生成", examples=["1"])
    text: str = Field(description="提示文字", examples=["AI生成"])


class Page(Data, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="下一页游标；没有更多时为 null")
    has_more: bool


class ErrorEnvelope(BaseModel):
    code: int = Field(description="错误码，见错误码表", examples=[2000])
    message: str
    data: Any = Field(None, description="错误相关数据，如积分不足时的 current_balance / required")
