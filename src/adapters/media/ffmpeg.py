"""The ffmpeg binary: running it in a scratch directory, probing videos, and making tiny test MP4s.

Owns every subprocess call to ffmpeg. There is no ffprobe in the imageio-ffmpeg build, so `probe` reads
the stream summary ffmpeg prints for `-i`.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import attrs

# Name of the file `run_ffmpeg` writes `input_bytes` to; refer to it in args as an input path.
INPUT = "input.bin"


class MediaError(Exception):
    """ffmpeg failed, timed out, or the input is not a decodable video."""


@attrs.frozen
class VideoProbe:
    has_video: bool
    codec: str | None
    width: int
    height: int
    duration: float
    has_audio: bool = False


def ffmpeg_exe() -> str:
    """`SKYRIFF_FFMPEG` if set, else the static binary bundled with imageio-ffmpeg."""
    exe = os.environ.get("SKYRIFF_FFMPEG")
    if exe:
        return exe
    import imageio_ffmpeg  # imported lazily: only needed when no binary is configured

    return imageio_ffmpeg.get_ffmpeg_exe()


def _tail(stderr: bytes | str | None, limit: int = 800) -> str:
    if not stderr:
        return ""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    return text.strip()[-limit:]


def _execute(args: list[str], workdir: str, timeout: float, loglevel: str = "error") -> subprocess.CompletedProcess[bytes]:
    # -nostdin: ffmpeg otherwise watches stdin for keys and can hang or eat input under a server.
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", loglevel, "-y", *args]
    try:
        return subprocess.run(cmd, cwd=workdir, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MediaError(f"ffmpeg timed out after {timeout:g}s: {_tail(exc.stderr)}") from exc
    except OSError as exc:
        raise MediaError(f"cannot run ffmpeg: {exc}") from exc


def run_ffmpeg(args: list[str], input_bytes: bytes | None = None, timeout: float = 120,
               *, files: Mapping[str, bytes] | None = None) -> bytes:
    """Run ffmpeg in a scratch directory and return what it wrote to its output (the last arg).

    `input_bytes` is written to the file `INPUT`, `files` under their names; relative paths in `args`
    resolve inside the scratch directory. Files rather than pipes because MP4 needs seekable input
    (moov may sit at the end) and output (faststart rewrites the file). An output of "-" returns stdout.
    """
    if not args:
        raise ValueError("run_ffmpeg needs at least an output argument")
    with tempfile.TemporaryDirectory(prefix="skyriff-ffmpeg-") as workdir:
        if input_bytes is not None:
            Path(workdir, INPUT).write_bytes(input_bytes)
        for name, data in (files or {}).items():
            Path(workdir, name).write_bytes(data)
        proc = _execute(args, workdir, timeout)
        if proc.returncode != 0:
            raise MediaError(f"ffmpeg exited with {proc.returncode}: {_tail(proc.stderr)}")
        output = args[-1]
        if output == "-":
            return proc.stdout
        out_path = Path(workdir, output)
        if not out_path.is_file() or out_path.stat().st_size == 0:
            raise MediaError(f"ffmpeg produced no output: {_tail(proc.stderr)}")
        return out_path.read_bytes()


_DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
# ", 720x1280" after the codec; the leading ", " skips fourcc tags like "(avc1 / 0x31637661)".
_VIDEO = re.compile(r"Stream #\d+:\d+\S*: Video: (\w+)[^\n]*?, (\d+)x(\d+)\b")
_AUDIO = re.compile(r"Stream #\d+:\d+\S*: Audio: ")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees")


def input_file(path: Path) -> str:
    """An ffmpeg input argument naming a file by absolute path; "file:" so no part of it reads as a protocol."""
    return f"file:{Path(path).resolve()}"


def probe(data: bytes | Path, timeout: float = 30) -> VideoProbe:
    """What ffmpeg sees in a media file (its bytes, or a path to it): the first video stream's codec and
    display size, and the duration.

    Raises MediaError when ffmpeg cannot open the data at all.
    """
    empty = not data.is_file() or data.stat().st_size == 0 if isinstance(data, Path) else not data
    if empty:
        raise MediaError("empty input")
    with tempfile.TemporaryDirectory(prefix="skyriff-probe-") as workdir:
        source = INPUT
        if isinstance(data, Path):
            source = input_file(data)
        else:
            Path(workdir, INPUT).write_bytes(data)
        # No output file: ffmpeg prints the input summary, then exits non-zero ("must specify an output").
        stderr = _execute(["-i", source], workdir, timeout, loglevel="info").stderr.decode("utf-8", "replace")
    if "Input #0" not in stderr:
        raise MediaError(f"not a media file: {_tail(stderr)}")
    duration = 0.0
    if m := _DURATION.search(stderr):
        duration = int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
    has_audio = _AUDIO.search(stderr) is not None
    video = _VIDEO.search(stderr)
    if video is None:
        return VideoProbe(False, None, 0, 0, duration, has_audio)
    width, height = int(video[2]), int(video[3])
    # Phone clips store a rotation; ffmpeg auto-rotates when filtering, so report the displayed size.
    rotation = _ROTATION.search(stderr[video.end():])
    if rotation and round(abs(float(rotation[1]))) % 180 == 90:
        width, height = height, width
    return VideoProbe(True, video[1], width, height, duration, has_audio)


_drawtext_ok: bool | None = None  # learnt on first use: drawtext needs fontconfig to find some font


def make_test_mp4(seconds: float = 2.0, width: int = 360, height: int = 640, text: str | None = None) -> bytes:
    """A real, small H.264 MP4 of a test pattern (what the fake video provider delivers)."""
    global _drawtext_ok
    base = ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=15:duration={seconds:g}"]
    encode = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "32", "-pix_fmt", "yuv420p",
              "-movflags", "+faststart", "out.mp4"]
    if text and _drawtext_ok is not False:
        size = max(12, width // 12)
        # textfile + expansion=none: the label reaches drawtext verbatim, no filtergraph escaping.
        vf = (f"drawtext=textfile=label.txt:expansion=none:fontsize={size}:fontcolor=white"
              ":box=1:boxcolor=black@0.5:x=(w-text_w)/2:y=(h-text_h)/2")
        try:
            video = run_ffmpeg([*base, "-vf", vf, *encode], files={"label.txt": text.encode()})
            _drawtext_ok = True
            return video
        except MediaError:
            _drawtext_ok = False  # no usable font here: the label is decoration, so go without it
    return run_ffmpeg([*base, *encode])
