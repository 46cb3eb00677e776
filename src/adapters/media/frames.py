"""Frames of a video for moderation, sampled with ffmpeg: one every few seconds from the start, as JPEGs."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from skyriff_domain.ports import BrokenVideo, FrameSampler

from .ffmpeg import MediaError, ffmpeg_exe, input_file, probe


class FfmpegFrameSampler(FrameSampler):
    def __init__(self, timeout: float = 120) -> None:
        self.timeout = timeout

    def sample(self, mp4: Path, interval_seconds: float, max_frames: int) -> list[bytes]:
        """Raises BrokenVideo when the file has no picture; MediaError when ffmpeg itself failed (worth
        another try, like processing)."""
        try:
            info = probe(mp4)
        except MediaError as error:
            raise BrokenVideo(str(error)) from error
        if not info.has_video:
            raise BrokenVideo("the file has no video stream")
        with tempfile.TemporaryDirectory(prefix="skyriff-frames-") as workdir:
            # fps=1/interval keeps the frame at each interval's start, the first one at 0 s.
            cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", input_file(mp4),
                   "-map", "0:v:0", "-vf", f"fps=1/{interval_seconds:g}", "-frames:v", str(max_frames),
                   "-q:v", "3", "frame-%03d.jpg"]
            try:
                proc = subprocess.run(cmd, cwd=workdir, capture_output=True, timeout=self.timeout, check=False)
            except (subprocess.TimeoutExpired, OSError) as error:
                raise MediaError(f"ffmpeg could not sample frames: {error}") from error
            frames = [p.read_bytes() for p in sorted(Path(workdir).glob("frame-*.jpg"))]
        if proc.returncode != 0:
            raise MediaError(f"ffmpeg exited with {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-400:]}")
        if not frames:
            raise BrokenVideo("no frame could be decoded")
        return frames
