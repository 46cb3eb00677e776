"""Test cards: pictures the local moderator recognises, so the output path runs end to end on the embedded
defaults. The fake video provider paints its video as one when the prompt asks for it ("[block-output]",
"[review-output]"); frames sampled from that video then carry the card, whatever ffmpeg does to metadata.

A card is a frame split down the middle into two flat colours no ordinary picture shows side by side.
"""
from __future__ import annotations

from PIL import Image

from skyriff_domain.model.moderation import Verdict

from ..media.ffmpeg import run_ffmpeg

CARDS: dict[Verdict, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    Verdict.BLOCK: ((255, 0, 255), (0, 255, 0)),  # magenta | green
    Verdict.REVIEW: ((0, 255, 255), (255, 128, 0)),  # cyan | orange
}
_TOLERANCE = 48  # per channel: survives H.264 and JPEG on flat colours


def card_verdict(image: Image.Image) -> Verdict | None:
    """The verdict whose card this picture is, if it is one. Only the outer three eighths of each half are
    compared: chroma subsampling blurs the seam."""
    cells = image.convert("RGB").resize((8, 2), Image.BOX)
    for verdict, (left, right) in CARDS.items():
        if all(_near(cells.getpixel((x, y)), left) for x in (0, 1, 2) for y in (0, 1)) and \
                all(_near(cells.getpixel((x, y)), right) for x in (5, 6, 7) for y in (0, 1)):
            return verdict
    return None


def _near(pixel, colour) -> bool:
    return all(abs(p - c) <= _TOLERANCE for p, c in zip(pixel, colour))


def make_card_mp4(seconds: float, width: int, height: int, verdict: Verdict) -> bytes:
    """A real H.264 MP4 showing the card of `verdict` (what the fake provider delivers for a marked prompt)."""
    left, right = (f"0x{r:02X}{g:02X}{b:02X}" for r, g, b in CARDS[verdict])
    half = max(2, width // 2 // 2 * 2)
    source = f"size={half}x{height}:rate=15:duration={seconds:g}"
    return run_ffmpeg(["-f", "lavfi", "-i", f"color=c={left}:{source}", "-f", "lavfi", "-i", f"color=c={right}:{source}",
                       "-filter_complex", "[0:v][1:v]hstack=inputs=2[v]", "-map", "[v]", "-c:v", "libx264",
                       "-preset", "ultrafast", "-crf", "32", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                       "out.mp4"])
