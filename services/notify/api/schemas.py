"""Request and answer bodies of notify's routes."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Switchable = Literal["push", "chat", "email", "sms"]  # the channels a member may turn off


class InboxItem(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    created_at: datetime
    read: bool
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxItem]
    unread: int
    next: str | None = Field(description="the cursor of the next (older) page; null at the end")


class ReadOne(BaseModel):
    id: uuid.UUID
    read_at: datetime
    unread: int


class ReadAll(BaseModel):
    marked: int
    unread: int


class QuietHoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time = Field(description="WIB wall clock, HH:MM; start == end: no quiet hours")
    end: time

    @field_validator("start", "end")
    @classmethod
    def _wall_clock(cls, v: time) -> time:
        if v.tzinfo is not None:
            raise ValueError("a WIB wall-clock time, without a zone")
        return v.replace(second=0, microsecond=0)


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code_channel: Literal["sms", "chat", "email"] | None = None
    disabled: list[Switchable] = Field(default_factory=list, max_length=4)
    language: Literal["id", "en"] | None = None
    quiet_hours: QuietHoursIn = QuietHoursIn(start=time(21), end=time(6))
    chat_opt_in: bool = False


class PreferencesOut(BaseModel):
    code_channel: str | None
    disabled: list[str]
    language: str | None
    quiet_hours: dict[str, str]
    chat_opt_in: bool


class DeviceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=16, max_length=4096, pattern=r"^[A-Za-z0-9_\-:.]+$")
    platform: Literal["android", "ios", "web"]


class DeviceOut(BaseModel):
    platform: str
    registered_at: datetime


class ReceiptIn(BaseModel):
    message_id: str = Field(min_length=1, max_length=200,
                            description="the provider's id for the message, or our reference")
    status: Literal["sent", "delivered", "read", "failed"]
    at: datetime


class ReceiptOut(BaseModel):
    notification_id: uuid.UUID
    status: str
    changed: bool
