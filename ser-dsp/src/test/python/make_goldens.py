#!/usr/bin/env python3
"""Writes the librosa 0.11.0 reference outputs ("goldens") that ser-dsp's Java parity tests compare against.

Usage (from the repository root, with the versions of requirements.txt installed):

    python ser-dsp/src/test/python/make_goldens.py

Outputs go to ser-dsp/src/test/resources/golden/:
  inputs/<signal>.npy.gz   float32 test signals (all generated here: sweeps, noise, impulses, silence, tones, and
                        synthetic speech from espeak-ng; no corpus audio)
  out/<case>.npy.gz        librosa's result for one case (float32 where librosa returns float32, else float64); all .npy
                        files are gzip-compressed
  cases.tsv             one line per case: id, function, signal, parameters (librosa names), output, input
                        (input = another golden the function is applied to, e.g. power_to_db of librosa's
                        melspectrogram, or '-')

The espeak-ng speech inputs are generated only when absent (espeak-ng output varies across versions); delete
inputs/speech_*.npy.gz to regenerate them. Everything else is deterministic.
"""
import gzip
import io
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import librosa
import scipy
import soundfile as sf

assert librosa.__version__ == "0.11.0", f"goldens must come from librosa 0.11.0, found {librosa.__version__}"

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")
INPUTS = os.path.join(ROOT, "inputs")
OUT = os.path.join(ROOT, "out")


def save(path, array):
    """np.save into a gzip stream (mtime 0 so that regenerating identical data gives identical bytes)."""
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(buf.getvalue())


def load(path):
    with gzip.open(path, "rb") as f:
        return np.load(io.BytesIO(f.read()))


def sweep(sr, seconds, f0, f1, amp=0.5):
    t = np.arange(int(sr * seconds)) / sr
    k = np.log(f1 / f0) / seconds
    return (amp * np.sin(2 * np.pi * f0 * (np.exp(k * t) - 1) / k)).astype(np.float32)


def noise(sr, seconds, seed, amp=0.3):
    rng = np.random.default_rng(seed)
    return (amp * rng.standard_normal(int(sr * seconds))).astype(np.float32)


def impulses(sr, seconds, period):
    y = np.zeros(int(sr * seconds), dtype=np.float32)
    y[::period] = 0.9
    y[period // 2::period] = -0.45
    return y


def chord(sr, seconds, freqs, amp=0.2):
    t = np.arange(int(sr * seconds)) / sr
    return sum(amp * np.sin(2 * np.pi * f * t + i) for i, f in enumerate(freqs)).astype(np.float32)


def speech(text, voice, sr=16000, seconds=1.0):
    """espeak-ng speech resampled to sr, trimmed to `seconds`, peak 0.5: our own synthetic audio."""
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is needed to (re)generate the speech inputs")
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "s.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", wav, text], check=True)
        y, native = sf.read(wav, dtype="float32")
    y = librosa.resample(y, orig_sr=native, target_sr=sr)
    y, _ = librosa.effects.trim(y, top_db=40)
    y = y[: int(sr * seconds)]
    return (0.5 * y / np.max(np.abs(y))).astype(np.float32)


def make_signals():
    os.makedirs(INPUTS, exist_ok=True)
    signals = {
        "sweep_8k": (8000, sweep(8000, 0.5, 60, 3900)),
        "sweep_16k": (16000, sweep(16000, 0.5, 80, 7800)),
        "sweep_44k": (44100, sweep(44100, 0.25, 100, 20000)),
        "noise_22k": (22050, noise(22050, 0.4, 1)),
        "noise_48k": (48000, noise(48000, 0.25, 2)),
        "quiet_noise_16k": (16000, noise(16000, 0.3, 3, amp=1e-4)),
        "impulses_16k": (16000, impulses(16000, 0.3, 160)),
        "silence_16k": (16000, np.zeros(3200, dtype=np.float32)),
        # detuned A major chord (442 Hz reference) for the tuning estimate
        "chord_22k": (22050, chord(22050, 0.5, [442.0, 556.9, 662.4, 884.0])),
        "short_301_16k": (16000, noise(16000, 301 / 16000, 4)),
        "short_1001_22k": (22050, noise(22050, 1001 / 22050, 5)),
        "tiny_7_16k": (16000, noise(16000, 7 / 16000, 6)),
        "quirk_50_16k": (16000, noise(16000, 50 / 16000, 7)),
    }
    for name, (sr, y) in signals.items():
        save(os.path.join(INPUTS, name + ".npy.gz"), y)
    for name, text, voice in [("speech_a_16k", "Hello there, how are you today?", "en-us"),
                              ("speech_b_16k", "I can't believe you did that!", "en-gb+f3")]:
        path = os.path.join(INPUTS, name + ".npy.gz")
        if not os.path.exists(path):
            save(path, speech(text, voice))
        signals[name] = (16000, load(path))
    return signals


class Cases:
    def __init__(self):
        self.lines = []
        self.ids = set()

    def add(self, case_id, function, signal, params, result, source="-"):
        assert case_id not in self.ids, case_id
        self.ids.add(case_id)
        result = np.ascontiguousarray(result)
        assert result.dtype in (np.float32, np.float64), (case_id, result.dtype)
        save(os.path.join(OUT, case_id + ".npy.gz"), result)
        fields = ";".join(f"{k}={fmt(v)}" for k, v in params.items())
        self.lines.append("\t".join([case_id, function, signal, fields, case_id + ".npy.gz", source]))

    def write(self):
        with open(os.path.join(ROOT, "cases.tsv"), "w") as f:
            f.write("# id\tfunction\tsignal\tparameters\toutput\tinput  (generated by make_goldens.py;"
                    f" librosa {librosa.__version__}, numpy {np.__version__}, scipy {scipy.__version__})\n")
            f.write("\n".join(self.lines) + "\n")


def fmt(v):
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float):
        return repr(v)
    return str(v)


STFT_KEYS = ("n_fft", "hop_length", "win_length", "window", "center", "pad_mode")


def window_arg(params):
    """'hann_symmetric' etc. are passed to librosa as explicit arrays (what a librosa user does for fftbins=False)."""
    p = dict(params)
    w = p.get("window")
    if isinstance(w, str) and w.endswith("_symmetric"):
        n = p.get("win_length") or p.get("n_fft", 2048)
        p["window"] = scipy.signal.get_window(w[: -len("_symmetric")], n, fftbins=False)
    return p


def main():
    warnings.simplefilter("ignore")
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    signals = make_signals()
    cases = Cases()

    # ---- STFT magnitude / power --------------------------------------------------------------------------------
    stft_sets = [
        ("noise_22k", dict()),
        ("chord_22k", dict(n_fft=2048, hop_length=512, pad_mode="reflect")),
        ("sweep_16k", dict(n_fft=512, hop_length=160)),
        ("speech_a_16k", dict(n_fft=512, hop_length=160)),
        ("sweep_16k", dict(n_fft=512, hop_length=160, center=False)),
        ("sweep_16k", dict(n_fft=512, hop_length=160, pad_mode="reflect")),
        ("sweep_16k", dict(n_fft=512, hop_length=160, win_length=400)),
        ("speech_b_16k", dict(n_fft=400, hop_length=160)),
        ("sweep_8k", dict(n_fft=1000, hop_length=250, window="hamming")),
        ("noise_48k", dict(n_fft=1001, hop_length=300, pad_mode="reflect")),
        ("sweep_44k", dict(n_fft=2048, hop_length=441, window="boxcar")),
        ("sweep_16k", dict(n_fft=512, hop_length=128, window="hann_symmetric", win_length=400)),
        ("impulses_16k", dict(n_fft=256, hop_length=64)),
        ("silence_16k", dict(n_fft=512, hop_length=160)),
        ("quiet_noise_16k", dict(n_fft=512, hop_length=160)),
        ("short_301_16k", dict(n_fft=512, hop_length=160)),
        ("short_301_16k", dict(n_fft=512, hop_length=160, pad_mode="reflect")),
        ("short_1001_22k", dict()),
        ("short_1001_22k", dict(pad_mode="reflect")),
        ("tiny_7_16k", dict(n_fft=64, hop_length=16, pad_mode="reflect")),
        ("tiny_7_16k", dict(n_fft=32, hop_length=8)),
        # librosa pads the tail piece separately: with reflect and a large hop numpy reflects inside that short
        # piece, which differs from reflecting the whole signal for (16, 10) and (8, 5) on these 50 samples
        ("quirk_50_16k", dict(n_fft=16, hop_length=10, pad_mode="reflect")),
        ("quirk_50_16k", dict(n_fft=8, hop_length=5, pad_mode="reflect")),
        ("quirk_50_16k", dict(n_fft=15, hop_length=9, pad_mode="reflect")),
        ("quirk_50_16k", dict(n_fft=8, hop_length=20)),
        ("impulses_16k", dict(n_fft=512)),  # hop_length default win_length // 4
    ]
    for i, (sig, params) in enumerate(stft_sets):
        sr, y = signals[sig]
        S = librosa.stft(y, **window_arg(params))
        assert S.dtype == np.complex64
        cases.add(f"stft_power_{i:02d}", "stft_power", sig, params, np.abs(S) ** 2)
        if i % 3 == 0:
            cases.add(f"stft_magnitude_{i:02d}", "stft_magnitude", sig, params, np.abs(S))

    # ---- mel filter bank -----------------------------------------------------------------------------------------
    mel_sets = [
        dict(sr=22050, n_fft=2048),
        dict(sr=16000, n_fft=512, n_mels=40),
        dict(sr=16000, n_fft=512, n_mels=64),
        dict(sr=16000, n_fft=512, n_mels=128),
        dict(sr=16000, n_fft=400, n_mels=80, fmin=20.0, fmax=7600.0),
        dict(sr=22050, n_fft=2048, n_mels=128, fmax=8000.0),
        dict(sr=16000, n_fft=512, n_mels=64, htk=True),
        dict(sr=16000, n_fft=512, n_mels=64, norm=None),
        dict(sr=44100, n_fft=1024, n_mels=96, htk=True, norm=None, fmin=50.0),
        dict(sr=8000, n_fft=256, n_mels=256),             # empty filters (librosa warns)
        dict(sr=16000, n_fft=512, n_mels=64, fmax=10000.0),  # fmax above Nyquist
        dict(sr=48000, n_fft=1001, n_mels=64, fmin=300.0, fmax=1000.0),
    ]
    for i, params in enumerate(mel_sets):
        cases.add(f"mel_filters_{i:02d}", "mel_filters", "-", params, librosa.filters.mel(**params))

    # ---- melspectrogram and power_to_db ----------------------------------------------------------------------------
    melspec_sets = [
        ("noise_22k", dict()),
        ("sweep_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64)),
        ("speech_a_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=40)),
        ("speech_b_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=128)),
        ("speech_a_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, htk=True)),
        ("sweep_44k", dict(sr=44100, n_fft=2048, hop_length=512, n_mels=128, fmax=8000.0)),
        ("sweep_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, center=False)),
        ("sweep_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, pad_mode="reflect")),
        ("speech_b_16k", dict(sr=16000, n_fft=512, hop_length=160, win_length=400, n_mels=64)),
        ("speech_a_16k", dict(sr=16000, n_fft=400, hop_length=160, n_mels=80, fmin=20.0, fmax=7600.0)),
        ("noise_48k", dict(sr=48000, n_fft=1024, hop_length=480, n_mels=64, power=1.0)),
        ("sweep_8k", dict(sr=8000, n_fft=256, hop_length=80, n_mels=256)),  # empty filters
        ("quiet_noise_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, norm=None)),
        ("short_301_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64)),
    ]
    for i, (sig, params) in enumerate(melspec_sets):
        sr, y = signals[sig]
        M = librosa.feature.melspectrogram(y=y, **params)
        assert M.dtype == np.float32
        cases.add(f"melspectrogram_{i:02d}", "melspectrogram", sig, params, M)
    db_sets = [
        ("melspectrogram_01", dict()),
        ("melspectrogram_02", dict(ref="max")),
        ("melspectrogram_03", dict(top_db=None)),
        ("melspectrogram_12", dict(ref=2.0, amin=1e-5, top_db=60.0)),
        ("melspectrogram_05", dict(ref="max", top_db=None)),
        ("stft_power_13", dict()),  # silence: everything at 10 log10(amin)
    ]
    for i, (source, params) in enumerate(db_sets):
        S = load(os.path.join(OUT, source + ".npy.gz"))
        p = dict(params)
        if p.get("ref") == "max":
            p["ref"] = np.max
        cases.add(f"power_to_db_{i:02d}", "power_to_db", "-", params, librosa.power_to_db(S, **p), source)

    # ---- MFCC and deltas -------------------------------------------------------------------------------------------
    mfcc_sets = [
        ("noise_22k", dict()),
        ("speech_a_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=40)),
        ("speech_b_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=40, n_mfcc=13)),
        ("speech_a_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=128, n_mfcc=20)),
        ("sweep_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=20, lifter=22)),
        ("speech_b_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=13, htk=True, fmax=7000.0)),
        ("speech_a_16k", dict(sr=16000, n_fft=400, hop_length=160, n_mels=40, n_mfcc=13, norm=None)),
        ("sweep_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=40, center=False)),
        ("sweep_44k", dict(sr=44100, n_fft=2048, hop_length=512, n_mels=128, n_mfcc=20, pad_mode="reflect")),
        ("noise_48k", dict(sr=48000, n_fft=2048, hop_length=480, n_mels=64, n_mfcc=40, win_length=1200)),
        ("silence_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=13)),
        ("sweep_8k", dict(sr=8000, n_fft=256, hop_length=80, n_mels=40, n_mfcc=13, mel_norm=None)),
        ("impulses_16k", dict(sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=20)),
    ]
    for i, (sig, params) in enumerate(mfcc_sets):
        sr, y = signals[sig]
        M = librosa.feature.mfcc(y=y, **params)
        assert M.dtype == np.float32
        cases.add(f"mfcc_{i:02d}", "mfcc", sig, params, M)
    delta_sets = [
        ("mfcc_01", dict()),
        ("mfcc_01", dict(order=2)),
        ("mfcc_02", dict(width=5)),
        ("mfcc_02", dict(width=5, order=2)),
        ("mfcc_07", dict(width=3)),
        ("mfcc_00", dict(width=7, order=2)),
    ]
    for i, (source, params) in enumerate(delta_sets):
        data = load(os.path.join(OUT, source + ".npy.gz"))
        D = librosa.feature.delta(data, **params)
        assert D.dtype == np.float32
        cases.add(f"delta_{i:02d}", "delta", "-", params, D, source)

    # ---- RMS and zero-crossing rate --------------------------------------------------------------------------------
    rms_sets = [
        ("noise_22k", dict()),
        ("speech_a_16k", dict(frame_length=512, hop_length=160)),
        ("sweep_16k", dict(frame_length=400, hop_length=160, center=False)),
        ("speech_b_16k", dict(frame_length=512, hop_length=128, pad_mode="reflect")),
        ("short_301_16k", dict(frame_length=512, hop_length=160)),
        ("tiny_7_16k", dict(frame_length=32, hop_length=4, pad_mode="reflect")),
        ("silence_16k", dict(frame_length=512, hop_length=160)),
    ]
    for i, (sig, params) in enumerate(rms_sets):
        sr, y = signals[sig]
        R = librosa.feature.rms(y=y, **params)
        cases.add(f"rms_{i:02d}", "rms", sig, params, R)
    zcr_sets = [
        ("noise_22k", dict()),
        ("speech_a_16k", dict(frame_length=512, hop_length=160)),
        ("sweep_16k", dict(frame_length=400, hop_length=160, center=False)),
        ("impulses_16k", dict(frame_length=512, hop_length=160)),
        ("impulses_16k", dict(frame_length=512, hop_length=160, zero_pos=False)),
        ("quiet_noise_16k", dict(frame_length=256, hop_length=100, threshold=1e-4)),
        ("short_301_16k", dict(frame_length=512, hop_length=128)),
        ("silence_16k", dict(frame_length=512, hop_length=160)),
    ]
    for i, (sig, params) in enumerate(zcr_sets):
        sr, y = signals[sig]
        Z = librosa.feature.zero_crossing_rate(y, **params)
        cases.add(f"zero_crossing_rate_{i:02d}", "zero_crossing_rate", sig, params, Z)

    # ---- spectral centroid / bandwidth / rolloff --------------------------------------------------------------------
    shape_sets = [
        ("noise_22k", dict()),
        ("speech_a_16k", dict(sr=16000, n_fft=512, hop_length=160)),
        ("sweep_16k", dict(sr=16000, n_fft=512, hop_length=160, center=False)),
        ("chord_22k", dict(sr=22050, n_fft=1024, hop_length=256, pad_mode="reflect")),
        ("speech_b_16k", dict(sr=16000, n_fft=400, hop_length=160, win_length=320)),
        ("silence_16k", dict(sr=16000, n_fft=512, hop_length=160)),
        ("sweep_44k", dict(sr=44100, n_fft=2048, hop_length=441)),
    ]
    for i, (sig, params) in enumerate(shape_sets):
        sr, y = signals[sig]
        cases.add(f"spectral_centroid_{i:02d}", "spectral_centroid", sig, params,
                  librosa.feature.spectral_centroid(y=y, **params))
        cases.add(f"spectral_bandwidth_{i:02d}", "spectral_bandwidth", sig, params,
                  librosa.feature.spectral_bandwidth(y=y, **params))
        cases.add(f"spectral_rolloff_{i:02d}", "spectral_rolloff", sig, params,
                  librosa.feature.spectral_rolloff(y=y, **params))
    sr, y = signals["speech_a_16k"]
    base = dict(sr=16000, n_fft=512, hop_length=160)
    cases.add("spectral_bandwidth_p1", "spectral_bandwidth", "speech_a_16k", dict(base, p=1.0),
              librosa.feature.spectral_bandwidth(y=y, p=1.0, **base))
    cases.add("spectral_bandwidth_nonorm", "spectral_bandwidth", "speech_a_16k", dict(base, norm=False, p=3.0),
              librosa.feature.spectral_bandwidth(y=y, norm=False, p=3.0, **base))
    for rp in (0.5, 0.99):
        cases.add(f"spectral_rolloff_rp{int(rp * 100)}", "spectral_rolloff", "speech_a_16k",
                  dict(base, roll_percent=rp), librosa.feature.spectral_rolloff(y=y, roll_percent=rp, **base))

    # ---- chroma_stft, chroma filter bank and tuning estimate --------------------------------------------------------
    chroma_sets = [
        ("chord_22k", dict()),
        ("chord_22k", dict(tuning=0.0)),
        ("chord_22k", dict(n_chroma=24, n_fft=4096, hop_length=1024)),
        ("speech_a_16k", dict(sr=16000, n_fft=512, hop_length=160)),
        ("speech_b_16k", dict(sr=16000, n_fft=1024, hop_length=256, norm=2.0)),
        ("sweep_44k", dict(sr=44100, n_fft=2048, hop_length=512, norm=None)),
        ("noise_48k", dict(sr=48000, n_fft=1001, hop_length=480, tuning=-0.2)),
        ("silence_16k", dict(sr=16000, n_fft=512, hop_length=160)),
    ]
    for i, (sig, params) in enumerate(chroma_sets):
        sr_sig, y = signals[sig]
        p = dict(params)
        p.setdefault("sr", 22050)
        C = librosa.feature.chroma_stft(y=y, **params)
        cases.add(f"chroma_stft_{i:02d}", "chroma_stft", sig, params, C)
        # the tuning librosa estimated inside chroma_stft
        S = np.abs(librosa.stft(y, n_fft=p.get("n_fft", 2048), hop_length=p.get("hop_length", 512))) ** 2
        t = librosa.estimate_tuning(S=S, sr=p["sr"], bins_per_octave=p.get("n_chroma", 12))
        cases.add(f"estimate_tuning_{i:02d}", "estimate_tuning", sig,
                  dict(sr=p["sr"], n_fft=p.get("n_fft", 2048), hop_length=p.get("hop_length", 512),
                       bins_per_octave=p.get("n_chroma", 12)), np.array(t, dtype=np.float64))
    for i, params in enumerate([dict(sr=22050, n_fft=2048), dict(sr=16000, n_fft=512, tuning=-0.13),
                                dict(sr=44100, n_fft=1001, n_chroma=24, tuning=0.25), dict(sr=8000, n_fft=256,
                                                                                         n_chroma=7)]):
        cases.add(f"chroma_filters_{i:02d}", "chroma_filters", "-", params, librosa.filters.chroma(**params))

    cases.write()
    total = sum(os.path.getsize(os.path.join(d, f)) for d in (INPUTS, OUT) for f in os.listdir(d))
    print(f"{len(cases.lines)} cases, {total / 1e6:.2f} MB in {ROOT}")


if __name__ == "__main__":
    main()
