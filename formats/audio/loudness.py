"""Loudness (EBU R128): every spoken piece brought to about -18 LUFS, its true peaks held
under -3 dBTP, as publishers of spoken word ask (ACX's figures are the common reference).

A voice's pieces differ in level, and an engine's raw output peaks at full scale; a
listener should never reach for the volume between paragraphs.  Each piece is measured
(ffmpeg's ``ebur128``: K-weighted, gated) and given the gain that brings it to the
target, then a look-ahead limiter working at four times the sample rate (so that it
sees the peaks between samples) holds what is left under the ceiling.  Pieces are
normalised one by one, so that a cached piece never needs its neighbours: the whole
leaflet then measures about the target too, since the silences between pieces are gated
out.  The new pieces of one narration go through ffmpeg together, each in a chain of
filters of its own (so a piece's samples never depend on what it came with), in three
runs: one measures, one applies and measures again, one makes up what the limiter took.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from pathlib import Path

FFMPEG = "ffmpeg"
TARGET_LUFS = -18.0
LIMIT_DBFS = -4.5      # the limiter's ceiling: 1.5 dB under -3 dBTP for the MP3 encoder
MAX_GAIN_DB = 20.0     # a whisper is not made a shout
MAKE_UP_DB = 3.0       # at most this much is made up after the limiter
MAKE_UP_FACTOR = 2.0   # the limiter takes back about half of what is made up
MARGIN_SECONDS = 0.2   # silence each side of a piece in its chain: the limiter looks ahead
OVERSAMPLE = 4
SUMMARY = re.compile(r"\[ebur128@p(\d+) @ [^]]*\] Summary:\s+Integrated loudness:\s+"
                     r"I:\s+(-?[0-9.]+) LUFS")


@functools.lru_cache(maxsize=1)
def ffmpeg_version() -> str:
    """"5.1.6", or "" when ffmpeg is not installed."""
    try:
        result = subprocess.run([FFMPEG, "-hide_banner", "-version"], capture_output=True,
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    match = re.search(r"ffmpeg version\s+(\S+)", result.stdout)
    return match.group(1) if match else ""


def settings() -> str:
    """What the processing depends on, for the keys of cached pieces."""
    return (f"ffmpeg {ffmpeg_version() or 'missing'}; target {TARGET_LUFS}; limit {LIMIT_DBFS}; "
            f"max gain {MAX_GAIN_DB}; make-up {MAKE_UP_DB}; x{OVERSAMPLE}")


def normalise(pieces: list[bytes], rate: int) -> list[bytes]:
    """Each piece (16-bit mono samples) at the target loudness and under the ceiling, with
    as many samples as it had.  Without ffmpeg, the pieces as they are.

    Limiting takes a little loudness off a piece (its peaks come down), so the pieces are
    measured again as they leave the limiter, in the same run, and what they lack is made
    up in a third run, twice over, since the limiter takes about half of it back."""
    if not pieces or not ffmpeg_version():
        return list(pieces)
    margin = bytes(2 * int(MARGIN_SECONDS * rate))
    framed = [margin + piece + margin for piece in pieces]
    with tempfile.TemporaryDirectory(prefix="leaflet-loudness-") as folder:
        _, levels = _run(framed, rate, Path(folder), None)
        gains = [0.0 if level is None else
                 max(-MAX_GAIN_DB, min(MAX_GAIN_DB, TARGET_LUFS - level)) for level in levels]
        limited, after = _run(framed, rate, Path(folder), gains)
        made_up = [0.0 if level is None or gain >= MAX_GAIN_DB else
                   max(0.0, min(MAKE_UP_DB, MAKE_UP_FACTOR * (TARGET_LUFS - level)))
                   for gain, level in zip(gains, after, strict=True)]
        again = [number for number, gain in enumerate(made_up) if gain > 0]
        if again:
            louder, _ = _run([limited[n] for n in again], rate, Path(folder),
                             [made_up[n] for n in again])
            for number, samples in zip(again, louder, strict=True):
                limited[number] = samples
    return [samples[len(margin):len(margin) + len(piece)]
            for samples, piece in zip(limited, pieces, strict=True)]


def _run(framed: list[bytes], rate: int, folder: Path, gains: list[float] | None) -> \
        tuple[list[bytes], list[float | None]]:
    """One ffmpeg run over pieces, each in its own chain: measured (``gains`` None), or
    given its gain, limited and measured as it leaves (each to a file of its own)."""
    graph = [f"[0:a]asplit={len(framed)}" + "".join(f"[i{n}]" for n in range(len(framed)))
             if len(framed) > 1 else "[0:a]anull[i0]"]
    outputs: list[str] = []
    position = 0
    for number, piece in enumerate(framed):
        end = position + len(piece) // 2
        chain = f"[i{number}]atrim=start_sample={position}:end_sample={end},asetpts=PTS-STARTPTS"
        if gains is not None:
            chain += (f",volume={gains[number]:.4f}dB:precision=float,"
                      f"aresample={rate * OVERSAMPLE},"
                      f"alimiter=limit={10 ** (LIMIT_DBFS / 20):.6f}:attack=2:release=40:"
                      f"level=0:latency=1,aresample={rate}")
        chain += f",ebur128@p{number}=framelog=verbose"
        if gains is None:
            chain += ",anullsink"
        else:
            chain += f"[o{number}]"
            outputs += ["-map", f"[o{number}]", "-f", "s16le", "-ar", str(rate), "-ac", "1",
                        str(folder / f"{number}.raw")]
        graph.append(chain)
        position = end
    command = [FFMPEG, "-hide_banner", "-nostats", "-nostdin", "-y", "-loglevel", "info",
               "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
               "-filter_complex", ";".join(graph), *(outputs or ["-f", "null", "-"])]
    result = subprocess.run(command, input=b"".join(framed), capture_output=True,
                            timeout=600, check=False)
    log = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {log[-2000:]}")
    levels: list[float | None] = [None] * len(framed)
    for number, level in SUMMARY.findall(log):
        levels[int(number)] = float(level) if float(level) > -70 else None
    out = []
    if gains is not None:
        for number, piece in enumerate(framed):
            samples = (folder / f"{number}.raw").read_bytes()[:len(piece)]
            out.append(samples + bytes(len(piece) - len(samples)))
    return out, levels
