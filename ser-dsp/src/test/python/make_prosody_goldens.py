#!/usr/bin/env python3
"""Reference data for ser-dsp's io.github.ser4j.dsp.prosody package (YIN and clip-level functionals).

    training/.venv/bin/python ser-dsp/src/test/python/make_prosody_goldens.py

The reference below is a self-contained copy of the definition in training/functionals.py (numpy + librosa's mel
filter bank), kept in float64 up to the end (training casts the vector to float32). When that module can be imported
(this file's repository has training/ at its root), its `yin`, `names` and `functionals` are checked to give exactly
the same values, so the goldens cannot drift from what the model is trained on.

Writes ser-dsp/src/test/resources/golden/prosody/:
  index.tsv          one line per signal: name, samples, frames, the smallest distance of a frame's energy to the
                     speech threshold (dB) and of a speech frame's aperiodicity to the voicing threshold (decisions
                     closer than ~1e-9 could flip on rounding; none is), the smallest distance of a |F0 change|
                     (semitones) between consecutive voiced frames to SLOPE_DEAD_ZONE (the rise/fall decision; the
                     script asserts 1e-9 or more, so f0_slope_rise/fall are stable too), and what the signal is
  names.txt          the 139 names, in order
  <name>_in.npy.gz   the input, float32 mono 16 kHz
  <name>_yin.npy.gz  float64 (2, frames): yin()'s F0 (Hz) and aperiodicity per hop
  functionals.npy.gz float64 (signals, 139), index.tsv's order, before training's float32 cast

Test signals are made here: tones and harmonic complexes of known F0, glides, a vowel-like complex padded with
silence, noise, silence, and espeak-ng speech (only when espeak-ng is installed; the committed inputs are reused
otherwise, since espeak-ng's output varies across versions). No corpus audio. Seeded and deterministic.
"""
import gzip
import io
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "golden", "prosody")
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))

# ------------------------------------------------------------------------------------------------------------------
# Reference: training/functionals.py (same constants, same operations), float64 result.

SR = 16000
N_FFT = 512
WIN = 400
HOP = 160
N_MELS = 40
N_MFCC = 13
F0_MIN, F0_MAX = 60.0, 500.0
YIN_WIN = 480
YIN_THRESHOLD = 0.1
VOICED_APERIODICITY = 0.25
SPEECH_RANGE_DB = 35.0
SLOPE_DEAD_ZONE = 1e-6

LLD_NAMES = (["energy_db", "centroid", "log_flatness", "rolloff85", "alpha_ratio", "hammarberg", "flux"]
             + [f"mfcc{i}" for i in range(1, N_MFCC + 1)])
VOICED_NAMES = ["f0_st", "aperiodicity"]
STATS = ["mean", "std", "p10", "p50", "p90", "mad"]


def names():
    out = [f"{n}_{s}" for n in LLD_NAMES + VOICED_NAMES for s in STATS]
    return out + ["voiced_fraction", "voiced_runs_per_s", "f0_jitter", "energy_shimmer", "f0_slope_rise",
                  "f0_slope_fall", "speech_fraction"]


def frames(y, length, hop):
    pad = length // 2
    y = np.pad(y, (pad, pad))
    n = 1 + (len(y) - length) // hop
    idx = np.arange(length)[None, :] + hop * np.arange(n)[:, None]
    return y[idx]


def yin(y):
    tau_min = int(np.floor(SR / F0_MAX))
    tau_max = int(np.ceil(SR / F0_MIN))
    n = 1 + len(y) // HOP
    length = YIN_WIN + tau_max
    padded = np.pad(np.asarray(y, dtype=np.float64), (YIN_WIN // 2, length + HOP))
    fr = padded[np.arange(length)[None, :] + HOP * np.arange(n)[:, None]]
    n_fft = 1 << int(np.ceil(np.log2(length)))  # the window (yin_win) against the frame (length): no wrap up to tau_max
    spec = np.fft.rfft(fr, n_fft)
    win_spec = np.fft.rfft(fr[:, :YIN_WIN], n_fft)
    cross = np.fft.irfft(spec * np.conj(win_spec), n_fft)[:, :tau_max + 1]
    sq = np.cumsum(np.pad(fr ** 2, ((0, 0), (1, 0))), axis=1)
    e0 = sq[:, YIN_WIN][:, None]
    taus = np.arange(tau_max + 1)
    e_tau = sq[:, taus + YIN_WIN] - sq[:, taus]
    d = np.maximum(e0 + e_tau - 2 * cross, 0.0)
    d[:, 0] = 0
    cum = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    cmnd[:, 1:] = np.where(cum > 1e-10, d[:, 1:] * taus[1:] / np.maximum(cum, 1e-12), 1.0)
    lags = np.arange(tau_min, tau_max)
    seg = cmnd[:, lags]
    left, right = cmnd[:, lags - 1], cmnd[:, lags + 1]
    is_min = (seg <= left) & (seg <= right)
    cand = (seg < YIN_THRESHOLD) & is_min
    first = np.where(cand.any(axis=1), cand.argmax(axis=1), seg.argmin(axis=1))
    rows = np.arange(len(seg))
    a, b, c = left[rows, first], seg[rows, first], right[rows, first]
    den = a - 2 * b + c
    shift = np.where(np.abs(den) > 1e-12, 0.5 * (a - c) / np.where(den == 0, 1, den), 0.0)
    tau = lags[first] + np.clip(shift, -1, 1)
    return SR / tau, b


def mel_matrix():
    import librosa
    return librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=N_MELS, fmin=0.0, fmax=SR / 2, htk=False, norm="slaney")


MEL = mel_matrix()


def stats(v):
    if len(v) == 0:
        return [0.0] * len(STATS)
    p10, p50, p90 = np.percentile(v, [10, 50, 90])
    mad = float(np.mean(np.abs(np.diff(v)))) if len(v) > 1 else 0.0
    return [float(np.mean(v)), float(np.std(v)), p10, p50, p90, mad]


def functionals(y, margins=None):
    """training.functionals.functionals(y) before its float32 cast; `margins` (a dict) receives the decision margins."""
    y = np.asarray(y, dtype=np.float64)
    peak = np.max(np.abs(y)) if len(y) else 0.0
    if peak > 0:
        y = y / peak
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WIN) / WIN)
    window = np.pad(window, ((N_FFT - WIN) // 2, N_FFT - WIN - (N_FFT - WIN) // 2))
    fr = frames(y, N_FFT, HOP)
    p = np.abs(np.fft.rfft(fr * window, N_FFT)) ** 2
    freqs = np.arange(p.shape[1]) * SR / N_FFT
    tot = p.sum(axis=1) + 1e-10
    energy_db = 10 * np.log10(tot)
    speech = energy_db > energy_db.max() - SPEECH_RANGE_DB
    centroid = (p * freqs).sum(axis=1) / tot
    flat = np.mean(np.log(p + 1e-10), axis=1) - np.log(np.mean(p + 1e-10, axis=1))
    roll = np.argmax(np.cumsum(p, axis=1) >= 0.85 * tot[:, None], axis=1) * SR / N_FFT
    lo = p[:, (freqs >= 50) & (freqs < 1000)].sum(axis=1) + 1e-10
    hi = p[:, (freqs >= 1000) & (freqs < 5000)].sum(axis=1) + 1e-10
    alpha = 10 * np.log10(hi / lo)
    ham = 10 * np.log10((p[:, freqs < 2000].max(axis=1) + 1e-10) / (p[:, (freqs >= 2000) & (freqs < 5000)]
                                                                      .max(axis=1) + 1e-10))
    mag = np.sqrt(p)
    mn = mag / (mag.sum(axis=1, keepdims=True) + 1e-10)
    flux = np.r_[0.0, np.sqrt((np.diff(mn, axis=0) ** 2).sum(axis=1))]
    logmel = np.log(np.maximum(p @ MEL.T, 1e-10))
    n = logmel.shape[1]
    dct = np.cos(np.pi / n * (np.arange(n) + 0.5)[None, :] * np.arange(1, N_MFCC + 1)[:, None]) * np.sqrt(2.0 / n)
    mfcc = logmel @ dct.T
    f0, ap = yin(y)
    m = min(len(f0), len(speech))
    f0, ap = f0[:m], ap[:m]
    voiced = speech[:m] & (ap < VOICED_APERIODICITY)
    if margins is not None:
        thr = energy_db.max() - SPEECH_RANGE_DB
        near = np.abs(energy_db - thr)
        margins["speech_db"] = float(near[energy_db != energy_db.max()].min()) if (energy_db != energy_db.max()).any() \
            else float("inf")
        sp = speech[:m]
        margins["voicing"] = float(np.abs(ap[sp] - VOICED_APERIODICITY).min()) if sp.any() else float("inf")
    llds = [energy_db, centroid, flat, roll, alpha, ham, flux] + [mfcc[:, i] for i in range(N_MFCC)]
    out = []
    for v in llds:
        out += stats(v[speech])
    f0_st = 12 * np.log2(f0[voiced] / 27.5)
    out += stats(f0_st) + stats(ap[voiced])
    dur = len(y) / SR
    runs = np.sum(np.diff(np.r_[0, voiced.astype(int)]) == 1)
    both = voiced[1:] & voiced[:-1]
    period = 1.0 / np.maximum(f0, 1e-3)
    jitter = float(np.mean(np.abs(np.diff(period))[both]) / np.mean(period[voiced])) if both.any() else 0.0
    shimmer = float(np.mean(np.abs(np.diff(energy_db[:m]))[both])) if both.any() else 0.0
    d_st = np.diff(12 * np.log2(np.maximum(f0, 1e-3) / 27.5))[both]
    if margins is not None:
        margins["slope"] = float(np.abs(np.abs(d_st) - SLOPE_DEAD_ZONE).min()) if len(d_st) else float("inf")
    up, down = d_st > SLOPE_DEAD_ZONE, d_st < -SLOPE_DEAD_ZONE
    rise = float(np.mean(d_st[up])) if up.any() else 0.0
    fall = float(np.mean(d_st[down])) if down.any() else 0.0
    out += [float(voiced.mean()), runs / max(dur, 1e-3), jitter, shimmer, rise, fall, float(speech.mean())]
    return np.array(out, dtype=np.float64)


# ------------------------------------------------------------------------------------------------------------------
# Test signals

def t_of(seconds):
    return np.arange(int(round(seconds * SR))) / SR


def harmonic(f0, amps):
    """Sum of harmonics h = 1.. of the per-sample F0 track f0 (Hz), amplitude amps[h-1], below 7.5 kHz."""
    phase = 2 * np.pi * np.cumsum(f0) / SR
    return sum(a * np.sin(h * phase) for h, a in enumerate(amps, 1) if h * f0.max() < 7500)


def vowel(f0, formants=((700, 90), (1200, 110), (2600, 160))):
    amps = []
    for h in range(1, 40):
        f = h * float(np.mean(f0))
        amps.append(sum(1.0 / (1 + ((f - fc) / bw) ** 2) for fc, bw in formants) / np.sqrt(h))
    return harmonic(f0, amps)


def speechlike(rng, seconds):
    """Harmonic 'syllables' of 120-300 ms with gliding pitch and silent gaps (as make_denoise_goldens.py)."""
    n = int(seconds * SR)
    y = np.zeros(n)
    t = 0.05
    while t < seconds - 0.3:
        dur = rng.uniform(0.12, 0.3)
        a, b = int(t * SR), int((t + dur) * SR)
        tt = np.arange(b - a) / SR
        f0 = rng.uniform(110, 240) * (1 + 0.3 * tt / dur)
        phase = 2 * np.pi * np.cumsum(f0) / SR
        env = np.sin(np.pi * np.arange(b - a) / (b - a)) ** 2
        y[a:b] = env * sum(0.3 / h * np.sin(h * phase) for h in range(1, 12) if h * f0.max() < SR / 2)
        t += dur + rng.uniform(0.08, 0.25)
    return y


def espeak(text, voice, seconds):
    import librosa
    import soundfile as sf
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "s.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", wav, text], check=True)
        y, native = sf.read(wav, dtype="float32")
    y = librosa.resample(y, orig_sr=native, target_sr=SR)
    y, _ = librosa.effects.trim(y, top_db=40)
    return 0.7 * y[:int(SR * seconds)] / np.max(np.abs(y))


def signals(rng):
    t = t_of(0.8)
    vib = 150 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t_of(0.6)))
    pad = np.zeros(int(0.25 * SR))
    sp = speechlike(rng, 1.2)
    sp = sp + rng.standard_normal(len(sp)) * np.sqrt(np.mean(sp[sp != 0] ** 2) / 100)  # 20 dB SNR
    g = t_of(1.0)
    out = {
        "tone220": (0.5 * np.sin(2 * np.pi * 220 * t), "sine 220 Hz, 0.8 s"),
        "tone100_harm": (harmonic(np.full(len(t_of(0.5)), 100.0), [0.5, 0.3, 0.2, 0.1]),
                         "4 harmonics of 100 Hz (period 160 samples), 0.5 s"),
        "low70": (harmonic(np.full(len(t_of(0.5)), 70.0), [0.4] + [0.2] * 9), "10 harmonics of 70 Hz, 0.5 s"),
        "high450": (0.3 * np.sin(2 * np.pi * 450 * t_of(0.5)), "sine 450 Hz, 0.5 s"),
        "high495": (0.3 * np.sin(2 * np.pi * 495 * t_of(0.5)), "sine 495 Hz (lag 32.3, next to tau_min), 0.5 s"),
        "glide": (harmonic(120 * 2.0 ** g, [0.5 / h for h in range(1, 16)]),
                  "15 harmonics, F0 gliding exponentially 120 -> 240 Hz over 1 s"),
        "vowel_padded": (np.concatenate([pad, vowel(vib) * np.hanning(len(vib)) ** 0.25, pad]),
                         "vowel-like (formants 700/1200/2600 Hz), F0 150 Hz +-3 % vibrato 5 Hz, 0.25 s silence"
                         " either side"),
        "speechlike_noisy": (sp, "harmonic syllables 110-310 Hz with pauses, white noise at 20 dB SNR, 1.2 s"),
        "noise": (0.3 * rng.standard_normal(int(0.6 * SR)), "white noise, 0.6 s"),
        "silence": (np.zeros(int(0.4 * SR)), "digital silence, 0.4 s"),
        "short": (0.5 * np.sin(2 * np.pi * 200 * t_of(300 / SR)), "300 samples of a 200 Hz sine"),
    }
    return {k: (v.astype(np.float32), d) for k, (v, d) in out.items()}


SPEECH = {"espeak_en": ("The quick brown fox jumps over the lazy dog.", "en-us", 1.6),
          "espeak_de_f": ("Wie spät ist es, fragte sie leise?", "de+f3", 1.6)}


# ------------------------------------------------------------------------------------------------------------------

def save_npy_gz(path, a):
    buf = io.BytesIO()
    np.save(buf, a)
    with open(path, "wb") as f:
        # mtime=0: byte-identical files on re-runs
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(buf.getvalue())


def load_npy_gz(path):
    with gzip.open(path, "rb") as f:
        return np.load(io.BytesIO(f.read()))


def training_module():
    sys.path.insert(0, REPO)
    try:
        from training import functionals as tf
        return tf
    except ImportError as e:
        print(f"training.functionals not importable ({e}); the copy is not cross-checked", file=sys.stderr)
        return None
    finally:
        sys.path.pop(0)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261205)
    sigs = signals(rng)
    for name, (text, voice, seconds) in SPEECH.items():
        path = os.path.join(OUT, f"{name}_in.npy.gz")
        if shutil.which("espeak-ng") is not None and not os.path.exists(path):
            sigs[name] = (espeak(text, voice, seconds).astype(np.float32), f"espeak-ng -v {voice}: {text}")
        elif os.path.exists(path):
            sigs[name] = (load_npy_gz(path), f"espeak-ng -v {voice}: {text}")
        else:
            print(f"espeak-ng missing: {name} skipped", file=sys.stderr)
    tf = training_module()
    if tf is not None:
        assert list(tf.names()) == names(), "names() differ from training.functionals"
    import librosa
    lines = [f"# generated by make_prosody_goldens.py with numpy {np.__version__}, librosa {librosa.__version__}",
             "# name\tsamples\tframes\tspeech_margin_db\tvoicing_margin\tslope_margin\tdescription"]
    table = []
    for name, (y, desc) in sigs.items():
        margins = {}
        v = functionals(y, margins)
        y64 = np.asarray(y, dtype=np.float64)
        peak = np.max(np.abs(y64))
        f0, ap = yin(y64 / peak if peak > 0 else y64)
        if tf is not None:
            ref = tf.functionals(y)
            assert np.array_equal(ref, v.astype(np.float32), equal_nan=True), f"{name}: differs from training"
            tf0, tap = tf.yin(y64 / peak if peak > 0 else y64)
            assert np.array_equal(tf0, f0) and np.array_equal(tap, ap), f"{name}: yin differs from training"
        for key in ("speech_db", "voicing"):
            val = margins[key]
            assert val > 1e-6, f"{name}: {key} margin {val} is too close to a threshold for a stable golden"
        assert margins["slope"] > 1e-9, f"{name}: an F0 change is {margins['slope']} from SLOPE_DEAD_ZONE"
        save_npy_gz(os.path.join(OUT, f"{name}_in.npy.gz"), y)
        save_npy_gz(os.path.join(OUT, f"{name}_yin.npy.gz"), np.stack([f0, ap]))
        table.append(v)
        lines.append("\t".join([name, str(len(y)), str(len(f0)), f"{margins['speech_db']:.3g}",
                                f"{margins['voicing']:.3g}", f"{margins['slope']:.3g}", desc]))
        print(f"{name:18s} n={len(y):6d} voiced={v[names().index('voiced_fraction')]:.3f} "
              f"f0_p50={27.5 * 2 ** (v[names().index('f0_st_p50')] / 12):7.2f} Hz margins {margins}")
    save_npy_gz(os.path.join(OUT, "functionals.npy.gz"), np.stack(table))
    with open(os.path.join(OUT, "names.txt"), "w") as f:
        f.write("\n".join(names()) + "\n")
    with open(os.path.join(OUT, "index.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("bit-identical to training.functionals (yin and functionals)" if tf is not None else "NOT cross-checked")


if __name__ == "__main__":
    main()
