"""The scripted video provider: the kit's (adapters.memory.kit.providers)."""
from adapters.memory.kit.providers import ALL_SECONDS, ALL_SIZES, ScriptedProvider  # noqa: F401
