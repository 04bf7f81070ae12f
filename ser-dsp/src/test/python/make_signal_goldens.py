#!/usr/bin/env python3
"""Reference data for ser-dsp's io.github.ser4j.dsp.signal package (resampling, down-mix, pre-emphasis).

Run from anywhere with the project venv (librosa 0.11.0, soxr 1.1.0, numpy 2.x):

    "$SER4J_VENV"/bin/python ser-dsp/src/test/python/make_signal_goldens.py

Writes ser-dsp/src/test/resources/golden/signal/: raw little-endian float32 files (*.f32) and a tab-separated index
(index.tsv) the Java tests read, so the tests need no Python. Everything is seeded: re-running reproduces the files
bit for bit on the same library versions.

Resampling: librosa.resample(y, orig_sr=..., target_sr=..., res_type='soxr_hq') (the librosa.load default), on
band-limited test signals (tones, speech-like noise, a sweep), all faded in and out so they are band-limited at the
edges too. A different filter design cannot match soxr sample for sample, so the Java test measures SNR against these
outputs instead of comparing values.

Down-mix and pre-emphasis: librosa.to_mono and librosa.effects.preemphasis, which ser4j reproduces to float precision.
"""
import math
import os
import sys

import librosa
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden", "signal")
DURATION = 0.2  # seconds per resampling case: keeps the committed files small (< 1.5 MB in all)
FADE = 0.01  # seconds of Hann fade at both ends
PAIRS = [
    (44100, 16000), (48000, 16000), (16000, 22050), (96000, 16000), (8000, 16000), (22050, 16000),
    (44100, 48000),
    (44101, 16000),  # gcd 1: exercises the interpolated-table kernel (too many phases to precompute)
]

index_lines = []


def write(name, array):
    a = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(a.tobytes())
    return name


def fade(x, sr):
    n = int(round(FADE * sr))
    w = np.hanning(2 * n + 1)[:n]
    x = x.copy()
    x[:n] *= w
    x[-n:] *= w[::-1]
    return x


def tones(sr, nyq, rng, n=None):
    t = np.arange(n or int(round(DURATION * sr))) / sr
    x = np.zeros_like(t)
    for rel in (0.1, 0.37, 0.71, 0.88):
        x += 0.2 * np.sin(2 * np.pi * rel * nyq * t + rng.uniform(0, 2 * np.pi))
    return fade(x, sr)


def speech_noise(sr, nyq, rng):
    """Gaussian noise with a speech-like spectrum (flat to 500 Hz, -6 dB/octave above), a 4 Hz syllabic envelope,
    and a brick-wall low-pass at 0.9 x the lower Nyquist."""
    n = int(round(DURATION * sr))
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / sr)
    spec *= 1.0 / np.maximum(1.0, f / 500.0)
    spec[f > 0.9 * nyq] = 0
    x = np.fft.irfft(spec, n)
    x *= 0.6 + 0.4 * np.sin(2 * np.pi * 4 * np.arange(n) / sr)
    x = fade(x, sr)
    return 0.5 * x / np.max(np.abs(x))


def sweep(sr, nyq, rng):
    t = np.arange(int(round(DURATION * sr))) / sr
    f0, f1 = 50.0, 0.9 * nyq
    k = math.log(f1 / f0) / DURATION
    x = 0.5 * np.sin(2 * np.pi * f0 * (np.exp(k * t) - 1) / k)
    return fade(x, sr)


def resampling(rng):
    for orig, target in PAIRS:
        nyq = min(orig, target) / 2
        for kind, make in (("tones", tones), ("noise", speech_noise), ("sweep", sweep)):
            y = make(orig, nyq, rng).astype(np.float32)
            ref = librosa.resample(y, orig_sr=orig, target_sr=target, res_type="soxr_hq")
            assert ref.dtype == np.float32 and len(ref) == int(np.ceil(len(y) * (float(target) / orig)))
            base = f"resample_{orig}_{target}_{kind}"
            index_lines.append("\t".join(["resample", base, str(orig), str(target), str(len(y)), str(len(ref)),
                                          write(base + "_in.f32", y), write(base + "_soxr_hq.f32", ref)]))
    # Lengths where librosa's int(np.ceil(n * ratio)) exceeds soxr's round(n * ratio): librosa pads a zero.
    for orig, target, n in ((44100, 16000, 2206), (44100, 48000, first_double_ceil_excess(44100, 48000, 2000))):
        y = tones(orig, min(orig, target) / 2, rng, n).astype(np.float32)
        ref = librosa.resample(y, orig_sr=orig, target_sr=target, res_type="soxr_hq")
        assert ref[-1] == 0 and len(ref) == int(np.ceil(n * (float(target) / orig)))
        base = f"resample_{orig}_{target}_tonesodd"
        index_lines.append("\t".join(["resample", base, str(orig), str(target), str(n), str(len(ref)),
                                      write(base + "_in.f32", y), write(base + "_soxr_hq.f32", ref)]))


def first_double_ceil_excess(orig, target, start):
    """First n >= start where the double ceil(n * (target / orig)) is one more than the exact rational ceiling."""
    g = math.gcd(orig, target)
    up, down = target // g, orig // g
    n = start
    while int(np.ceil(n * (float(target) / orig))) == -((-n * up) // down):
        n += 1
    return n


def preemphasis(rng):
    y = (0.3 * rng.standard_normal(1000)).astype(np.float32)
    y_in = write("preemphasis_in.f32", y)
    # (name, coef, zi or None); zi=None is librosa's linear extrapolation 2*y[0] - y[1]
    for name, coef, zi in (("default", 0.97, None), ("coef05_zi03", 0.5, 0.3), ("coef097_zi0", 0.97, 0.0),
                           ("coef0", 0.0, None), ("coefneg", -0.3, 1.25)):
        if zi is None:
            out, zf = librosa.effects.preemphasis(y, coef=coef, return_zf=True)
            zi_s = "none"
        else:
            out, zf = librosa.effects.preemphasis(y, coef=coef, zi=zi, return_zf=True)
            zi_s = repr(zi)
        assert out.dtype == np.float32 and zf.dtype == np.float32
        index_lines.append("\t".join(["preemphasis", name, repr(coef), zi_s, repr(float(zf[0])), str(len(y)),
                                      y_in, write(f"preemphasis_{name}.f32", out)]))
    # Streaming form: the first 400 samples with zi=None, then the rest with zi = the previous zf.
    a, zf = librosa.effects.preemphasis(y[:400], return_zf=True)
    b, zf2 = librosa.effects.preemphasis(y[400:], zi=zf, return_zf=True)
    index_lines.append("\t".join(["preemphasis", "chunked400", "0.97", "none", repr(float(zf2[0])), str(len(y)),
                                  y_in, write("preemphasis_chunked400.f32", np.concatenate([a, b]))]))


def to_mono(rng):
    for channels, n in ((2, 1001), (3, 777), (6, 300)):
        y = rng.uniform(-1, 1, size=(channels, n)).astype(np.float32)
        mono = librosa.to_mono(y)  # (channels, n) C-ordered, as librosa.load sees after its transpose of soundfile
        mono_f = librosa.to_mono(np.asfortranarray(y))  # memory order as librosa.load actually has it
        assert mono.dtype == np.float32
        name = f"to_mono_{channels}ch"
        index_lines.append("\t".join(["to_mono", name, str(channels), str(n), write(name + "_in.f32", y),
                                      write(name + "_out.f32", mono), write(name + "_out_f.f32", mono_f)]))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".f32") or f == "index.tsv":
            os.remove(os.path.join(OUT, f))
    rng = np.random.default_rng(20240611)
    resampling(rng)
    preemphasis(rng)
    to_mono(rng)
    with open(os.path.join(OUT, "index.tsv"), "w") as f:
        f.write("# generated by make_signal_goldens.py with librosa %s, numpy %s, python %s\n"
                % (librosa.__version__, np.__version__, sys.version.split()[0]))
        f.write("# resample: name orig_sr target_sr n_in n_out in_file soxr_hq_file\n")
        f.write("# preemphasis: name coef zi('none'=librosa default) zf n in_file out_file\n")
        f.write("# to_mono: name channels n in_file(channels x n, row-major) out_file out_file_fortran_order\n")
        f.write("\n".join(index_lines) + "\n")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(index_lines)} cases, {total / 1e6:.2f} MB, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
