"""Which providers serve which model, from an operator's TOML or JSON document:

    [[providers]]
    name = "relay-a"
    base_url = "https://relay-a.example.com/v1"
    api_key_env = "RELAY_A_KEY"          # or api_key = "…"
    [providers.models.sora2]
    model = "sora-2"
    seconds = { "10" = "10", "15" = "15", "25" = "25" }
    sizes = { "9:16" = "720x1280", "16:9" = "1280x720" }
    square_by_crop = true

    [routes]                             # optional: order of preference per model (failover)
    sora2 = ["relay-a", "relay-b"]
"""
from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Callable, Mapping

from skyriff_domain.ports import VideoProvider

from .openai_video import OpenAIVideoConfig, OpenAIVideoProvider


def load_document(raw: str) -> dict[str, Any]:
    """Inline JSON, or a path to a .toml / .json file."""
    raw = raw.strip()
    if raw.startswith("{"):
        return json.loads(raw)
    text = Path(raw).read_text()
    return tomllib.loads(text) if raw.endswith(".toml") else json.loads(text)


def build_routes(document: Mapping[str, Any], image_fitter: Callable[[bytes, str], bytes] | None = None,
                 env: Mapping[str, str] = os.environ) -> dict[str, list[VideoProvider]]:
    providers: dict[str, VideoProvider] = {}
    for entry in document.get("providers", []):
        entry = dict(entry)
        if "api_key_env" in entry:
            entry["api_key"] = env.get(entry.pop("api_key_env"), "")
        config = OpenAIVideoConfig.from_dict(entry)
        providers[config.name] = OpenAIVideoProvider(config, image_fitter=image_fitter)
    routes: dict[str, list[VideoProvider]] = {}
    for model, names in document.get("routes", {}).items():
        unknown = [n for n in names if n not in providers]
        if unknown:
            raise ValueError(f"routes.{model} names unknown providers: {unknown}")
        routes[model] = [providers[n] for n in names]
    for provider in providers.values():  # models without explicit routes: every provider that declares them
        for model in provider.config.models:
            routes.setdefault(model, [])
            if provider not in routes[model] and model not in document.get("routes", {}):
                routes[model].append(provider)
    return routes
