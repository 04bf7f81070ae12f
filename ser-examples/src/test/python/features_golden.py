#!/usr/bin/env python3
"""librosa reference features for `ser features` parity tests (FeaturesCommandTest).

Writes, under src/test/resources/golden/features/:
  clip22k.wav, clip16k.wav     generated test clips (16-bit PCM, mono): a chirp + harmonics + seeded noise
  *.npy                        librosa outputs (float32, shape (features, frames)) for the commands in CASES
  cases.json                   the command-line arguments of `ser features` that must reproduce each .npy

Run from ser-examples/:  "$SER4J_VENV"/bin/python src/test/python/features_golden.py
"""
import json
import pathlib

import librosa
import numpy as np
import soundfile as sf

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden" / "features"
OUT.mkdir(parents=True, exist_ok=True)


def clip(sr, seconds, seed):
    t = np.arange(int(sr * seconds)) / sr
    f = 200 + 1800 * t / seconds                      # 200 Hz -> 2 kHz chirp
    phase = 2 * np.pi * np.cumsum(f) / sr
    x = 0.4 * np.sin(phase) + 0.15 * np.sin(3 * phase) + 0.05 * np.sin(5 * phase)
    x *= 0.5 * (1 - np.cos(2 * np.pi * np.minimum(t / 0.05, 1) / 2))  # 50 ms fade-in
    x += 0.01 * np.random.default_rng(seed).standard_normal(len(t))
    return np.clip(x, -1, 1)


sf.write(OUT / "clip22k.wav", clip(22050, 0.6, 1), 22050, subtype="PCM_16")
sf.write(OUT / "clip16k.wav", clip(16000, 0.6, 2), 16000, subtype="PCM_16")

# name -> (ser features arguments, librosa computation); y is librosa.load(path, sr=SR) as `ser` documents.
CASES = {
    "stft_default": (["--kind", "stft", "clip22k.wav"],
                     lambda y, sr: np.abs(librosa.stft(y))),
    "stft_power2_small": (["--kind", "stft", "--n-fft", "512", "--hop-length", "128", "--win-length", "400",
                           "--window", "hamming", "--no-center", "--power", "2", "clip22k.wav"],
                          lambda y, sr: np.abs(librosa.stft(y, n_fft=512, hop_length=128, win_length=400,
                                                            window="hamming", center=False)) ** 2),
    "mel_default": (["--kind", "melspectrogram", "clip22k.wav"],
                    lambda y, sr: librosa.feature.melspectrogram(y=y, sr=sr)),
    "mel_custom": (["--kind", "melspectrogram", "--sr", "16000", "--n-fft", "512", "--hop-length", "160",
                    "--win-length", "400", "--n-mels", "40", "--fmin", "50", "--fmax", "7000", "--htk",
                    "--norm", "none", "--power", "1", "--pad-mode", "reflect", "clip16k.wav"],
                   lambda y, sr: librosa.feature.melspectrogram(y=y, sr=sr, n_fft=512, hop_length=160,
                                                                win_length=400, n_mels=40, fmin=50, fmax=7000,
                                                                htk=True, norm=None, power=1, pad_mode="reflect")),
    "mfcc_default": (["--kind", "mfcc", "clip22k.wav"],
                     lambda y, sr: librosa.feature.mfcc(y=y, sr=sr)),
    "mfcc_16k_native": (["--kind", "mfcc", "--sr", "0", "--n-mfcc", "13", "--n-fft", "512", "--hop-length", "160",
                         "--n-mels", "40", "--top-db", "60", "clip16k.wav"],
                        # librosa.feature.mfcc has no top_db (it uses power_to_db's default, 80): pass S.
                        lambda y, sr: librosa.feature.mfcc(
                            S=librosa.power_to_db(librosa.feature.melspectrogram(
                                y=y, sr=sr, n_fft=512, hop_length=160, n_mels=40), top_db=60), n_mfcc=13)),
    "mfcc_resampled": (["--kind", "mfcc", "clip16k.wav"],
                       lambda y, sr: librosa.feature.mfcc(y=y, sr=sr)),
}

cases = {}
for name, (args, fn) in CASES.items():
    wav = args[-1]
    sr_arg = args[args.index("--sr") + 1] if "--sr" in args else "22050"
    sr = None if sr_arg == "0" else int(sr_arg)
    y, sr = librosa.load(OUT / wav, sr=sr)
    # C order, as `ser features` writes (librosa.stft returns Fortran-ordered arrays; np.load reads both).
    feats = np.ascontiguousarray(fn(y, sr), dtype=np.float32)
    np.save(OUT / f"{name}.npy", feats)
    cases[name] = {"args": args, "shape": list(feats.shape)}
    print(name, feats.shape, float(np.abs(feats).max()))

meta = {"librosa": librosa.__version__, "numpy": np.__version__, "cases": cases}
(OUT / "cases.json").write_text(json.dumps(meta, indent=2) + "\n")
