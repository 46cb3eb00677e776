"""The scripted moderator and frame sampler: the kit's (adapters.memory.kit.moderation)."""
from adapters.memory.kit.moderation import ScriptedFrames, ScriptedModerator  # noqa: F401
