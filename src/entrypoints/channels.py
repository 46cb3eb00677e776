"""Settings → the payment channels: money in (payments), money out (payouts, refunds) and the real-name check.
A channel exists when its settings do; the sandboxes and the fake check only where enabled (embedded default)."""
from __future__ import annotations

import json

from adapters.identity.cipher import AesGcmPersonalDataCipher
from adapters.identity.faceid import TencentFaceIdVerifier
from adapters.identity.fake import FakeIdentityVerifier
from adapters.payments.alipay import AlipayConfig, AlipayGateway
from adapters.payments.alipay_refunds import AlipayRefundGateway
from adapters.payments.alipay_transfers import AlipayTransferGateway
from adapters.payments.sandbox import SandboxGateway
from adapters.payments.sandbox_book import SandboxBook
from adapters.payments.sandbox_payouts import SandboxPayoutGateway
from adapters.payments.sandbox_refunds import SandboxRefundGateway
from adapters.payments.wechatpay import WeChatPayConfig, WeChatPayGateway
from adapters.payments.wechatpay_refunds import WeChatPayRefundGateway
from adapters.payments.wechatpay_transfers import WeChatPayTransferGateway, WeChatTransferScene
from skyriff_domain.errors import NotAllowed
from skyriff_domain.ports import IdentityVerifier, PaymentGateway, PayoutGateway, PersonalDataCipher, RefundGateway

from .settings import Settings


def wechatpay_config(settings: Settings) -> WeChatPayConfig | None:
    w = settings.wechatpay
    if not w.get("mchid"):
        return None
    return WeChatPayConfig(
        mchid=w["mchid"], appid=w["appid"], merchant_serial_no=w["serial_no"],
        merchant_private_key_pem=w["private_key"], apiv3_key=w["apiv3_key"],
        platform_public_key_pem=w["platform_public_key"], platform_public_key_id=w["platform_public_key_id"],
        notify_url=settings.notify_url("wechat"), base_url=w.get("base_url") or "https://api.mch.weixin.qq.com")


def alipay_config(settings: Settings) -> AlipayConfig | None:
    """Certificate mode when the three certificates are given (Alipay requires it for transfers)."""
    a = settings.alipay
    if not a.get("app_id"):
        return None
    return AlipayConfig(
        app_id=a["app_id"], app_private_key_pem=a["private_key"], alipay_public_key_pem=a.get("public_key") or "",
        notify_url=settings.notify_url("alipay"),
        gateway_url=a.get("gateway") or "https://openapi.alipay.com/gateway.do", seller_id=a.get("seller_id") or None,
        app_cert_pem=a.get("app_cert") or None, alipay_cert_pem=a.get("alipay_cert") or None,
        alipay_root_cert_pem=a.get("root_cert") or None)


def build_gateways(settings: Settings) -> dict[str, PaymentGateway]:
    """Money in: every channel whose settings exist; the sandbox only where enabled (embedded default)."""
    gateways: dict[str, PaymentGateway] = {}
    if (wechat := wechatpay_config(settings)) is not None:
        gateways["wechat"] = WeChatPayGateway(wechat)
    if (alipay := alipay_config(settings)) is not None:
        gateways["alipay"] = AlipayGateway(alipay)
    if settings.sandbox_pay_enabled:
        gateways["sandbox"] = SandboxGateway(settings.sandbox_pay_secret, settings.notify_url("sandbox"))
    return gateways


def build_payout_gateways(settings: Settings, sandbox_book: SandboxBook) -> dict[str, PayoutGateway]:
    """Money out, by withdrawal method. A real channel needs its transfer settings (WeChat: the granted
    transfer scene; Alipay: certificate mode); the sandbox serves both methods where enabled and nothing
    real is configured for that method."""
    gateways: dict[str, PayoutGateway] = {}
    wechat, scene = wechatpay_config(settings), settings.wechatpay.get("transfer_scene_id")
    if wechat is not None and scene:
        infos = json.loads(settings.wechatpay.get("transfer_scene_report_infos") or "[]")
        gateways["wechat"] = WeChatPayTransferGateway(wechat, WeChatTransferScene(
            scene, tuple((str(kind), str(content)) for kind, content in infos),
            settings.wechatpay.get("transfer_user_recv_perception") or None))
    alipay = alipay_config(settings)
    if alipay is not None and alipay.cert_mode:
        gateways["alipay"] = AlipayTransferGateway(alipay, settings.alipay.get("transfer_title") or "SkyRiff 收益提现")
    if settings.sandbox_payout_enabled:
        for method in ("wechat", "alipay"):
            gateways.setdefault(method, SandboxPayoutGateway(method, sandbox_book))
    return gateways


def build_refund_gateways(settings: Settings, sandbox_book: SandboxBook) -> dict[str, RefundGateway]:
    """Refunds, by the payment's channel (the same merchant accounts and keys as payments)."""
    gateways: dict[str, RefundGateway] = {}
    if (wechat := wechatpay_config(settings)) is not None:
        gateways["wechat"] = WeChatPayRefundGateway(
            wechat, f"{settings.public_base_url.rstrip('/')}/v1/payments/refund_callback/wechat")
    if (alipay := alipay_config(settings)) is not None:
        gateways["alipay"] = AlipayRefundGateway(alipay)
    if settings.sandbox_pay_enabled or settings.sandbox_payout_enabled:
        gateways["sandbox"] = SandboxRefundGateway(book=sandbox_book)
    return gateways


class DisabledIdentityVerifier(IdentityVerifier):
    """No real-name provider configured (and the fake is off): verification cannot be done here."""

    def matches(self, real_name: str, id_number: str) -> bool:
        raise NotAllowed("实名认证未启用")


def build_identity_verifier(settings: Settings) -> IdentityVerifier:
    if settings.identity_provider == "faceid":
        f = settings.tencent_faceid
        return TencentFaceIdVerifier(secret_id=f["secret_id"], secret_key=f["secret_key"],
                                     endpoint=f.get("endpoint") or "https://faceid.tencentcloudapi.com",
                                     region=f.get("region") or "")
    if settings.identity_provider == "fake":
        return FakeIdentityVerifier()
    if settings.identity_provider != "disabled":
        raise ValueError(f"unknown SKYRIFF_IDENTITY_PROVIDER {settings.identity_provider!r} (faceid or fake)")
    return DisabledIdentityVerifier()


def build_cipher(settings: Settings) -> PersonalDataCipher:
    return AesGcmPersonalDataCipher(settings.identity_key)
