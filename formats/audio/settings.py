"""A library's audio settings: ``theme/voice.yaml`` (which voice, how fast) and ``theme/lexicon.yaml``.

Both files are optional and live in the library's theme folder, beside its logo;
the writer reads them through ``options.assets`` as it reads the logo, so the
builder passes nothing new and the artifact key, which already hashes the whole
theme folder, changes when either does.

``voice.yaml``::

    rate: 150                      # words per minute, 80 to 250 (contacts are read slower)
    voices:                        # per language tag; the rest get espeak-ng's own voice
      en-GB: en-gb-x-rp            # an espeak-ng voice name (espeak-ng --voices)
      pl: voices/pl_PL-gosia-medium.onnx   # a Piper model in theme/ (its .onnx.json beside it)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leaflet import yamlsafe
from leaflet.errors import Collector, LeafletError

from ..options import WriterOptions
from .rules import Rules, read_lexicon

VOICE_FILE = "voice.yaml"
LEXICON_FILE = "lexicon.yaml"
VOICE_KEYS = ("rate", "voices")
DEFAULT_RATE = 150   # espeak-ng's own 175 is brisk for a patient hearing it once
RATE_RANGE = (80, 250)


@dataclass(frozen=True)
class VoiceSettings:
    """How the library's audio speaks."""

    rate: int = DEFAULT_RATE
    voices: tuple[tuple[str, str], ...] = ()   # (language tag, voice name or model file)

    def voice_for(self, lang: str) -> str:
        """The voice the library names for a language (its tag, else its base), or ""."""
        named = {tag.lower(): voice for tag, voice in self.voices}
        return named.get(lang.lower()) or named.get(lang.split("-")[0].lower(), "")


def theme_rel(name: str) -> str:
    return f"theme/{name}"


def read_voice(text: str, rel: str) -> VoiceSettings:
    node, data = yamlsafe.load(text.lstrip("\ufeff"), rel, subject="the voice settings")
    if data is None:
        return VoiceSettings()
    lines = yamlsafe.key_lines(node)
    if not isinstance(data, dict):
        raise LeafletError(rel, 1, "the voice settings must be 'rate:' and 'voices:'")
    problems = Collector()
    for key in data:
        if key not in VOICE_KEYS:
            problems.error(rel, lines.get((str(key),)), f"unknown voice setting '{key}' "
                           f"(settings: {', '.join(VOICE_KEYS)})")
    rate = data.get("rate", DEFAULT_RATE)
    if isinstance(rate, bool) or not isinstance(rate, int) or \
            not RATE_RANGE[0] <= rate <= RATE_RANGE[1]:
        problems.error(rel, lines.get(("rate",)), f"'rate' is words per minute, a whole number "
                       f"from {RATE_RANGE[0]} to {RATE_RANGE[1]}")
        rate = DEFAULT_RATE
    voices = data.get("voices") or {}
    if not isinstance(voices, dict) or not all(isinstance(v, str) and v.strip()
                                               for v in voices.values()):
        problems.error(rel, lines.get(("voices",)), "'voices' must be 'language: voice' lines "
                       "(an espeak-ng voice name, or a Piper .onnx file in theme/)")
        voices = {}
    for lang, voice in voices.items():
        if voice.endswith(".onnx") and (Path(voice).is_absolute() or ".." in Path(voice).parts):
            problems.error(rel, lines.get(("voices", str(lang))), f"the Piper model '{voice}' "
                           "must be a file inside theme/")
    problems.raise_errors()
    return VoiceSettings(rate=rate, voices=tuple((str(k), v.strip()) for k, v in voices.items()))


def theme_text(options: WriterOptions, name: str) -> str | None:
    """A theme file's text through the writer's asset resolver, or None when there is none."""
    theme = options.theme
    if not theme.folder or options.assets is None or not Path(theme.file(name)).is_file():
        return None
    try:
        return options.assets.read(theme.file(name)).decode("utf-8")
    except UnicodeDecodeError:
        raise LeafletError(theme_rel(name), None, "the file is not UTF-8 text") from None
    except LeafletError as exc:
        raise LeafletError(theme_rel(name), None, exc.problems[0].message) from None


def load(options: WriterOptions) -> tuple[VoiceSettings, dict[str, Rules]]:
    """The library's voice settings and lexicon (defaults where it has neither)."""
    voice_text = theme_text(options, VOICE_FILE)
    lexicon_text = theme_text(options, LEXICON_FILE)
    voice = read_voice(voice_text, theme_rel(VOICE_FILE)) if voice_text else VoiceSettings()
    lexicon = read_lexicon(lexicon_text, theme_rel(LEXICON_FILE)) if lexicon_text else {}
    return voice, lexicon


def model_path(options: WriterOptions, model: str) -> Path | None:
    """A Piper model named in voice.yaml, as a file inside theme/, or None when missing."""
    theme = options.theme
    if not theme.folder or options.assets is None or not Path(theme.file(model)).is_file():
        return None
    try:
        return options.assets.path(theme.file(model))
    except LeafletError as exc:
        raise LeafletError(theme_rel(VOICE_FILE), None, exc.problems[0].message) from None
