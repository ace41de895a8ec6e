#!/usr/bin/env python3
"""Render CrisisCue's scripted calls (calls/*.yaml) into WAV fixtures and manifests.

Each call is spoken line by line by two TTS voices (call-taker and caller), joined with
pauses, and written in up to three variants:

  wide    16 kHz 16-bit PCM mono, light room noise (25-40 dB SNR, per call)
  tel     8 kHz G.711 mu-law mono: room noise (15-30 dB SNR, per call), band-limited to
          300-3400 Hz like a telephone line, then mu-law encoded
  stereo  8 kHz G.711 mu-law stereo, caller on the left, call-taker on the right (as call
          recorders store them), with faint crosstalk; same line processing as `tel`

For each split and variant a manifest `<split>-<variant>.jsonl` lists every call with its
label, `key_end` (end of the line that makes the label decidable), voices, and each
line's speaker, text, start and end in seconds.

Voices are split too: the tune split and the test split are spoken by different voices,
so that nothing tuned on the tune split has heard the test split's speakers.

Synthetic voices are not callers: these fixtures measure the pipeline, not accuracy on
real 911 audio. Output is deterministic for the same package versions.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np
from scipy.signal import lfilter

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("generate.py needs PyYAML: apt-get install python3-yaml, or pip install pyyaml")

HERE = os.path.dirname(os.path.abspath(__file__))
RATE = 16000

# name -> how to speak a line into a WAV file, plus optional sox effects on the result.
VOICES = {
    "flite-slt": {"engine": "flite", "voice": "slt"},
    "flite-kal16": {"engine": "flite", "voice": "kal16"},
    "flite-awb": {"engine": "flite", "voice": "awb"},
    "festival-kal": {"engine": "festival", "voice": "voice_kal_diphone"},
    "flite-rms": {"engine": "flite", "voice": "rms"},
    "festival-ked": {"engine": "festival", "voice": "voice_ked_diphone"},
    "festival-slt-hts": {"engine": "festival", "voice": "voice_cmu_us_slt_arctic_hts"},
    "flite-rms-high": {"engine": "flite", "voice": "rms", "effects": ["pitch", "300", "tempo", "1.08"]},
    "espeak-klatt": {"engine": "espeak", "voice": "en-us+klatt", "speed": "150"},
    # Used by the held-out voice pool only.
    "flite-kal8": {"engine": "flite", "voice": "kal"},
    "espeak-us-m3": {"engine": "espeak", "voice": "en-us+m3", "speed": "155"},
    "espeak-us-f3": {"engine": "espeak", "voice": "en-us+f3", "speed": "150"},
    "flite-awb-low": {"engine": "flite", "voice": "awb", "effects": ["pitch", "-250", "tempo", "0.94"]},
    "flite-slt-low": {"engine": "flite", "voice": "slt", "effects": ["pitch", "-200"]},
    "festival-kal-fast": {"engine": "festival", "voice": "voice_kal_diphone", "effects": ["pitch", "150", "tempo", "1.1"]},
}

# The development sets, in order: dev, then dev2-dev30 (one file each in calls/).
DEV_SETS = ["dev"] + [f"dev{n}" for n in range(2, 58)]

TUNING_POOL = {"taker": ["flite-kal16", "festival-kal", "flite-slt"], "caller": ["flite-slt", "flite-awb", "festival-kal", "flite-kal16"]}

# Voices per split: disjoint, so the test split is spoken by voices never tuned on.
POOLS = {
    "tune": TUNING_POOL,
    # The dev split checks that intent-model changes generalise; it is a tuning split,
    # spoken by the tuning voices.
    "dev": TUNING_POOL,
    # dev2-dev30: calls by other writers (see the files' headers), tuning voices too.
    **{s: TUNING_POOL for s in DEV_SETS[1:]},
    # Voices neither the tuning nor the test split uses (espeak-ng, flite's 8 kHz kal,
    # pitch- and tempo-shifted tuning voices): `--voices heldout` renders a development
    # split with them, to see whether a change made on the tuning voices carries over to
    # voices it never heard, without touching the test split.
    "heldout": {"taker": ["flite-kal8", "espeak-us-m3"], "caller": ["espeak-us-f3", "flite-awb-low", "flite-slt-low", "festival-kal-fast"]},
    "test": {"taker": ["festival-ked", "flite-rms"], "caller": ["flite-rms", "festival-slt-hts", "festival-ked", "flite-rms-high"]},
}


def stable_seed(*parts):
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16)


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def synthesize(text, voice_name, cache_dir):
    """Speaks `text` with the voice into a cached 16 kHz mono int16 array."""
    voice = VOICES[voice_name]
    key = hashlib.sha256(json.dumps([voice, text]).encode()).hexdigest()[:20]
    cached = os.path.join(cache_dir, f"{voice_name}-{key}.wav")
    if not os.path.exists(cached):
        with tempfile.TemporaryDirectory() as tmp:
            raw = os.path.join(tmp, "raw.wav")
            if voice["engine"] == "flite":
                run(["flite", "-voice", voice["voice"], "-t", text, "-o", raw])
            elif voice["engine"] == "festival":
                run(["text2wave", "-eval", f"({voice['voice']})", "-o", raw], input=text.encode())
            elif voice["engine"] == "espeak":
                run(["espeak-ng", "-v", voice["voice"], "-s", voice.get("speed", "160"), "-w", raw, text])
            out = os.path.join(tmp, "out.wav")
            run(["sox", "-R", raw, "-r", str(RATE), "-c", "1", "-b", "16", out] + voice.get("effects", []) + ["rate", "-v", str(RATE)])
            shutil.move(out, cached)
    return read_wav(cached)


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == RATE, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0


def write_wav(path, samples, channels=1):
    data = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())


def rms(x):
    return float(np.sqrt(np.mean(x * x))) if len(x) else 0.0


def room_noise(n, rng):
    """Pinkish noise with a slow hum: a stand-in for a room and a handset."""
    white = rng.standard_normal(n)
    # Paul Kellet's economy pink filter: three one-pole low-passes plus a direct path.
    pink = white * 0.1848
    for pole, gain in ((0.99765, 0.0990460), (0.96300, 0.2965164), (0.57000, 1.0526913)):
        pink = pink + lfilter([gain], [1, -pole], white)
    t = np.arange(n) / RATE
    hum = 0.05 * np.sin(2 * np.pi * 60 * t)
    noise = pink + hum
    return noise / (rms(noise) or 1)


def pick_voices(call_id, split, pool_name=None):
    rng = random.Random(stable_seed("voices", call_id))
    pool = POOLS[pool_name or split]
    taker = rng.choice(pool["taker"])
    caller = rng.choice([v for v in pool["caller"] if v != taker])
    return taker, caller


def render_call(call, split, variants, out_dir, cache_dir, pool_name=None):
    cid = call["id"]
    rng = random.Random(stable_seed("layout", cid))
    taker_voice, caller_voice = pick_voices(cid, split, pool_name)
    if pool_name:
        split = f"{split}-{pool_name}"
    gains = {"taker": 10 ** (rng.uniform(-3, 0) / 20), "caller": 10 ** (rng.uniform(-6, 2) / 20)}
    pieces = []  # (speaker, text, samples)
    for line in call["lines"]:
        (speaker, text), = line.items()
        voice = taker_voice if speaker == "taker" else caller_voice
        audio = synthesize(text, voice, cache_dir)
        audio = audio / (rms(audio) or 1) * 0.1 * gains[speaker]
        pieces.append((speaker, text, audio))
    lead = int(rng.uniform(0.4, 0.9) * RATE)
    tail = int(1.2 * RATE)
    total = lead + tail + sum(len(p[2]) for p in pieces) + sum(int(rng.uniform(0.45, 1.0) * RATE) for _ in pieces[1:])
    rng = random.Random(stable_seed("layout", cid))  # replay the same draws for positions
    rng.uniform(-3, 0); rng.uniform(-6, 2); rng.uniform(0.4, 0.9)
    left = np.zeros(total)   # caller
    right = np.zeros(total)  # taker
    lines = []
    pos = lead
    for i, (speaker, text, audio) in enumerate(pieces):
        if i > 0:
            pos += int(rng.uniform(0.45, 1.0) * RATE)
        target = left if speaker == "caller" else right
        target[pos:pos + len(audio)] += audio
        lines.append({"speaker": speaker, "text": text, "start": round(pos / RATE, 3), "end": round((pos + len(audio)) / RATE, 3)})
        pos += len(audio)
    key_line = call.get("key_line")
    key_end = lines[key_line]["end"] if key_line is not None else None
    noise_rng = np.random.default_rng(stable_seed("noise", cid))
    # Each call has its own line conditions: from a quiet room to a loud street.
    snr_rng = random.Random(stable_seed("snr", cid))
    snr_tel = snr_rng.uniform(15, 30)
    snr_wide = snr_rng.uniform(25, 40)
    speech_level = rms(np.concatenate([p[2] for p in pieces]))
    records = {}
    with tempfile.TemporaryDirectory() as tmp:
        for variant in variants:
            folder = os.path.join(out_dir, split, variant)
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"{cid}.wav")
            if variant == "wide":
                mono = left + right + room_noise(total, noise_rng) * speech_level * 10 ** (-snr_wide / 20)
                write_wav(path, mono)
            else:
                snr = snr_tel
                caller_side = left + room_noise(total, noise_rng) * speech_level * 10 ** (-snr / 20)
                taker_side = right + room_noise(total, noise_rng) * speech_level * 10 ** (-(snr + 10) / 20)
                src = os.path.join(tmp, f"{variant}.wav")
                if variant == "tel":
                    write_wav(src, caller_side + taker_side)
                    channels = []
                else:
                    stereo = np.empty(total * 2)
                    stereo[0::2] = caller_side + 0.03 * taker_side
                    stereo[1::2] = taker_side + 0.03 * caller_side
                    write_wav(src, stereo, channels=2)
                run(["sox", "-R", src, "-r", "8000", "-e", "u-law", "-b", "8", path, "sinc", "300-3400", "rate", "-v", "8000"])
            records[variant] = {
                "id": cid, "file": os.path.relpath(path, out_dir), "label": call["label"], "key_end": key_end,
                "key_line": key_line, "categories": call.get("categories", []), "exclusions": call.get("exclusions", []),
                "traps": call.get("traps", []), "split": split, "variant": variant,
                "voices": {"taker": taker_voice, "caller": caller_voice},
                "snr_db": round(snr_wide if variant == "wide" else snr_tel, 1), "duration": round(total / RATE, 3), "lines": lines,
            }
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["tune", *DEV_SETS, "test", "all"], default="all")
    parser.add_argument("--variants", default="wide,tel,stereo", help="comma-separated: wide, tel, stereo")
    parser.add_argument("--ids", default="", help="only these call ids (comma-separated)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N calls of each split (0: all)")
    parser.add_argument("--every", type=int, default=1, help="only every Nth call of each split (a spread-out slice)")
    parser.add_argument("--out", default=os.path.join(HERE, "generated"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--voices", choices=["heldout"], help="speak the split with this voice pool instead of its own (written as <split>-<pool>)")
    args = parser.parse_args()

    variants = [v for v in args.variants.split(",") if v]
    for v in variants:
        if v not in ("wide", "tel", "stereo"):
            parser.error(f"unknown variant {v}")
    if args.voices and args.split in ("test", "all"):
        parser.error("--voices renders one development split (the test split keeps its own voices)")
    wanted = set(filter(None, args.ids.split(",")))
    splits = [s for s in ["tune", *DEV_SETS, "test"] if os.path.exists(os.path.join(HERE, "calls", f"{s}.yaml"))] \
        if args.split == "all" else [args.split]
    cache_dir = os.path.join(args.out, ".tts-cache")
    os.makedirs(cache_dir, exist_ok=True)
    for split in splits:
        with open(os.path.join(HERE, "calls", f"{split}.yaml")) as f:
            calls = yaml.safe_load(f)
        calls = calls[:: max(1, args.every)]
        if args.limit:
            calls = calls[: args.limit]
        if wanted:
            calls = [c for c in calls if c["id"] in wanted]
        if not calls:
            continue
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(render_call, calls, [split] * len(calls), [variants] * len(calls),
                                    [args.out] * len(calls), [cache_dir] * len(calls), [args.voices] * len(calls)))
        name = f"{split}-{args.voices}" if args.voices else split
        for variant in variants:
            manifest = os.path.join(args.out, f"{name}-{variant}.jsonl")
            with open(manifest, "w") as f:
                for r in results:
                    f.write(json.dumps(r[variant]) + "\n")
            print(f"{manifest}: {len(results)} calls")


if __name__ == "__main__":
    main()
