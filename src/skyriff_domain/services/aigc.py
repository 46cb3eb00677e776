"""AIGC labels on the files we store: the signed label of a generated video and of a published work, writing
it into the MP4s, and reading back what a file or an uploaded image carries."""
from __future__ import annotations

import enum
from pathlib import Path

import attrs

from ..model.aigc import (
    AI_GENERATED,
    AigcLabel,
    MalformedLabel,
    check_service_code,
    label_value,
    parse_label,
    produce_id,
    propagate_id,
)
from ..model.media import ProcessedVideo, VideoAsset
from ..ports import AigcLabeler


class Verdict(enum.StrEnum):
    VERIFIED = "verified"  # ReservedCode1 is the HMAC of the other fields under our key
    TAMPERED = "tampered"  # a well-formed label whose ReservedCode1 does not match (changed, or not ours)
    MALFORMED = "malformed"  # an AIGC entry that is not a label
    ABSENT = "absent"  # no AIGC entry at all


@attrs.frozen
class Inspection:
    value: str | None  # the AIGC metadata entry as found
    label: AigcLabel | None  # parsed; None when absent or malformed
    verdict: Verdict


def _key(value: str | bytes) -> bytes:
    key = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if not key:
        raise ValueError("the AIGC label key (SKYRIFF_AIGC_SECRET) must not be empty")
    return key


@attrs.define
class AigcLabels:
    """ContentProducer and ContentPropagator are always `service_code`: we generate and we publish."""

    labeler: AigcLabeler
    key: bytes = attrs.field(converter=_key, repr=False)
    service_code: str = attrs.field(default="skyriff", converter=check_service_code)

    def for_video(self, task_id: int) -> AigcLabel:
        """The label of the files a task's generation becomes: a new ProduceID, no PropagateID yet."""
        code = self.service_code
        return AigcLabel(AI_GENERATED, code, produce_id(code, task_id), code).signed(self.key)

    def for_work(self, video: VideoAsset) -> AigcLabel:
        """The label of a published work's play copy: the video's ProduceID (a video stored before labels
        existed gets one now) and a new PropagateID."""
        assert video.id is not None
        code = self.service_code
        produce = video.aigc_produce_id or produce_id(code, video.task_id)
        return AigcLabel(AI_GENERATED, code, produce, code, propagate_id(code, video.id)).signed(self.key)

    def apply(self, processed: ProcessedVideo, label: AigcLabel) -> ProcessedVideo:
        """The original (the clean download) and the play copy, each with the implicit label."""
        value = label.to_json()
        return attrs.evolve(processed, original=self.labeler.label(processed.original, value),
                            watermarked=self.labeler.label(processed.watermarked, value))

    def relabel(self, mp4: bytes, label: AigcLabel) -> bytes:
        return self.labeler.label(mp4, label.to_json())

    def inspect(self, media: bytes | Path) -> Inspection:
        value = self.labeler.inspect(media)
        if value is None:
            return Inspection(None, None, Verdict.ABSENT)
        try:
            label = parse_label(value)
        except MalformedLabel:
            return Inspection(value, None, Verdict.MALFORMED)
        return Inspection(value, label, Verdict.VERIFIED if label.verifies(self.key) else Verdict.TAMPERED)

    def image_label(self, data: bytes) -> str | None:
        """The Label ("1", "2", "3") of an AIGC label an uploaded image carries, or None."""
        return label_value(self.labeler.inspect_image(data))
