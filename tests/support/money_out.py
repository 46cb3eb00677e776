"""Scripted payout and refund channels and resident ID numbers: the kit's (adapters.memory.kit.money_out)."""
from adapters.memory.kit.money_out import ADULT_ID, ScriptedPayouts, ScriptedRefunds, id_number  # noqa: F401
