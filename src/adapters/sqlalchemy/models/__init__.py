"""The tables, as declarative `Db*` rows with the constraints that back the domain's rules, one module per area."""
from .base import Base
from .accounts import DbUser, DbIdentity, DbFollow, DbWallet, DbLedgerEntry, DbLedgerEpoch, DbCoinLot, DbSmsCode, DbOAuthState, DbRateCounter, DbIdempotencyKey
from .commerce import DbImageAsset, DbProduct, DbPayment, DbSubscription, DbCardPeriod, DbReferral, DbReferralBonusClaim, DbWithdrawal
from .money_out import DbRefund, DbSandboxBill, DbVerification
from .creation import DbProject, DbTask, DbVideo, DbCleanDownload
from .community import DbWork, DbReaction, DbWorkShare, DbTip, DbDailyTask
from .moderation import DbModerationCase, DbWorkReport, DbAppeal, DbSanction, DbPageCacheGeneration
from .operators import DbOperator, DbOperatorSession, DbAuditEntry, DbLedgerCheck, DbPaymentEvent
from .redemption import DbRedemptionBatch, DbRedemptionCode

__all__ = [
    "DbRefund",
    "DbSandboxBill",
    "DbVerification",
    "Base",
    "DbUser",
    "DbIdentity",
    "DbFollow",
    "DbWallet",
    "DbLedgerEntry",
    "DbLedgerEpoch",
    "DbCoinLot",
    "DbSmsCode",
    "DbOAuthState",
    "DbRateCounter",
    "DbIdempotencyKey",
    "DbImageAsset",
    "DbProduct",
    "DbPayment",
    "DbSubscription",
    "DbCardPeriod",
    "DbReferral",
    "DbReferralBonusClaim",
    "DbWithdrawal",
    "DbProject",
    "DbTask",
    "DbVideo",
    "DbCleanDownload",
    "DbWork",
    "DbReaction",
    "DbWorkShare",
    "DbTip",
    "DbDailyTask",
    "DbModerationCase",
    "DbWorkReport",
    "DbAppeal",
    "DbSanction",
    "DbPageCacheGeneration",
    "DbOperator",
    "DbOperatorSession",
    "DbAuditEntry",
    "DbLedgerCheck",
    "DbPaymentEvent",
    "DbRedemptionBatch",
    "DbRedemptionCode",
]
