#!/usr/bin/env python3
"""SNR gain of the spectral gate (the numpy reference of make_denoise_goldens.py, which SpectralGateTest holds the
Java code to within 2e-5) on espeak-ng speech in white noise and in babble (three other espeak-ng voices) at 0 and
10 dB SNR. Needs espeak-ng on the PATH.

    training/.venv/bin/python ser-dsp/src/test/python/denoise_snr.py

SNR = 10 log10(sum clean^2 / sum (output - clean)^2) over the whole clip; noise power is set against the speech's
active samples (|y| > 1 % of the peak). The stationary mode gets a separate 0.5 s clip of the same noise.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
import soxr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_denoise_goldens as ref  # noqa: E402

SR = 16000
TEXTS = ["The weather was cold and grey all morning, so we stayed inside and read.",
         "Please call me back as soon as you get this message, it is rather urgent.",
         "I never said she stole my money, but somebody certainly did.",
         "Turn left at the second light and the station is on your right."]
VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb+m3"]


def say(text, voice):
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", f.name, text], check=True)
        y, sr = sf.read(f.name, dtype="float64")
    return soxr.resample(y, sr, SR)


def snr(clean, z):
    return 10 * np.log10(np.sum(clean ** 2) / np.sum((z - clean) ** 2))


def main():
    rng = np.random.default_rng(1)
    rows = []
    for kind in ("white", "babble"):
        for snr_db in (0, 10):
            gains = {"non-stationary": [], "stationary": []}
            before = []
            for i, text in enumerate(TEXTS):
                clean = say(text, VOICES[i])
                active = clean[np.abs(clean) > 0.01 * np.abs(clean).max()]
                p = np.mean(active ** 2)
                if kind == "white":
                    noise = rng.standard_normal(len(clean) + SR // 2)
                else:
                    others = [say(TEXTS[(i + k) % 4], VOICES[(i + k) % 4]) for k in (1, 2, 3)]
                    m = len(clean) + SR // 2
                    noise = sum(np.resize(o, m) for o in others)
                noise = noise / np.sqrt(np.mean(noise ** 2)) * np.sqrt(p / 10 ** (snr_db / 10))
                y = clean + noise[:len(clean)]
                before.append(snr(clean, y))
                gains["non-stationary"].append(snr(clean, ref.spectral_gate(y)) - before[-1])
                prof = ref.profile(noise[len(clean):], 1024, 256)
                gains["stationary"].append(snr(clean, ref.spectral_gate(y, prof=prof)) - before[-1])
            rows.append((kind, snr_db, np.mean(before), np.mean(gains["non-stationary"]),
                         np.mean(gains["stationary"])))
    print("| noise | SNR set | SNR in (dB) | gain non-stationary (dB) | gain stationary (dB) |")
    print("|---|---|---|---|---|")
    for kind, s, b, g1, g2 in rows:
        print(f"| {kind} | {s} dB | {b:.1f} | {g1:+.1f} | {g2:+.1f} |")


if __name__ == "__main__":
    main()
