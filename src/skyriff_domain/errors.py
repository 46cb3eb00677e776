"""Domain errors, one per broken rule, each carrying the API's error code.

The HTTP layer maps codes to statuses in one table; nothing here knows about HTTP.
"""
from __future__ import annotations

from typing import Any, ClassVar, Iterable


class DomainError(Exception):
    """A rule was broken; `code` is the spec's error code, `data` goes to the client as is."""

    code: ClassVar[int] = 5001
    default_message: ClassVar[str] = "系统错误"

    def __init__(self, message: str | None = None, data: Any = None) -> None:
        self.message = message or self.default_message
        self.data = data
        super().__init__(self.message)


# 1xxx: users and authentication
class NotLoggedIn(DomainError):
    code = 1001
    default_message = "用户未登录"


class OperatorLoginFailed(NotLoggedIn):
    """One answer for every failed console login (unknown name, wrong password or code, locked, disabled), so
    the answer tells an attacker nothing about which it was."""

    default_message = "登录失败：账号、密码或动态验证码错误，或账号已被暂时锁定"


class TokenExpired(DomainError):
    code = 1002
    default_message = "Token已过期"


class UnknownUser(DomainError):
    code = 1003
    default_message = "用户不存在"


class UserBanned(DomainError):
    code = 1004
    default_message = "用户已被封禁"


class SmsCodeInvalid(DomainError):
    code = 1005
    default_message = "验证码错误或已过期"


class TooManyRequests(DomainError):
    code = 1006
    default_message = "请求过于频繁，请稍后再试"

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, {"retry_after": self.retry_after})


# 2xxx: business rules
class InvalidRequest(DomainError):
    code = 2000
    default_message = "请求参数错误"

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        super().__init__(f"参数 {field} 无效：{reason}", {"field": field, "reason": reason})

    @classmethod
    def not_one_of(cls, field: str, allowed: Iterable[object]) -> InvalidRequest:
        """The value is not among `allowed`: every such refusal, from the domain or the HTTP schemas, reads
        the same way (see `one_of`)."""
        return cls(field, one_of(allowed))


def one_of(allowed: Iterable[object]) -> str:
    """取值需为 10、15 或 25 — the one wording of "must be one of", values as the client writes them."""
    names = [str(value.value if hasattr(value, "value") else value) for value in allowed]
    listed = names[0] if len(names) == 1 else f"{'、'.join(names[:-1])} 或 {names[-1]}"
    return f"取值需为 {listed}"


class InsufficientCredits(DomainError):
    code = 2001
    default_message = "积分不足"


class PermissionDenied(DomainError):
    code = 2002
    default_message = "权限不足"


class AlreadyClaimed(DomainError):
    code = 2003
    default_message = "今日已领取，明天再来"


class InvalidReferralCode(DomainError):
    code = 2004
    default_message = "邀请码无效或已失效"


class InsufficientCoins(DomainError):
    code = 2005
    default_message = "可提现余额不足"


class InvalidWithdrawalAmount(DomainError):
    code = 2006
    default_message = "提现金额不符合要求"


class NotFound(DomainError):
    code = 2007
    default_message = "资源不存在"


class NotAllowed(DomainError):
    code = 2008
    default_message = "当前状态不允许此操作"


class IdentityMismatch(DomainError):
    """The name and the ID number do not match, or the identity already verifies as many accounts as allowed."""

    code = 2010
    default_message = "实名信息不一致"


class VerificationRequired(DomainError):
    code = 2011
    default_message = "请先完成实名认证"


class MinorLimit(DomainError):
    """A minor's spending or earning limit (the message names it)."""

    code = 2012
    default_message = "未成年人消费受限"


class InvalidRedemptionCode(DomainError):
    """One answer for an unknown, used, expired or disabled code: a guesser learns nothing from it."""

    code = 2013
    default_message = "兑换码无效或已使用"


class ContentRefused(DomainError):
    """Moderation blocked what the user wrote or uploaded; `field` names it (prompt, title, avatar…)."""

    code = 2009
    default_message = "内容不符合社区规范"

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(None, {"field": field})


class IdempotencyConflict(NotAllowed):
    default_message = "相同 Idempotency-Key 的请求正在处理中"


# 3xxx: payments
class PaymentFailed(DomainError):
    code = 3001
    default_message = "支付失败"


class PaymentCancelled(DomainError):
    code = 3002
    default_message = "支付已取消"


class PaymentNotFound(DomainError):
    code = 3003
    default_message = "支付单不存在"


class NotificationRejected(DomainError):
    code = 3004
    default_message = "支付通知校验失败"


# 4xxx: third parties
class GenerationFailed(DomainError):
    code = 4001
    default_message = "视频生成失败"


class ProviderUnavailable(DomainError):
    code = 4002
    default_message = "供应商服务异常"


class WeChatLoginFailed(DomainError):
    code = 4003
    default_message = "微信登录失败"


# 5xxx: system
class ConcurrentUpdate(DomainError):
    """A compare-and-swap lost a race; the transaction was rolled back and may be retried."""

    code = 5002
    default_message = "数据库错误"
