"""Clip-level prosodic and spectral functionals (an eGeMAPS-like set defined here, in numpy, so that ser-dsp can
reproduce it): frame-level descriptors (energy, F0 by YIN and its aperiodicity, spectral shape, MFCC 1-13) summarised
over the clip's speech frames by mean, standard deviation, percentiles and mean absolute change.

    python -m training.functionals features [--versions 0,1,2,3,4]   # training/work/loco/functionals/v<k>.npy

The waveform is peak-normalised first (as the model cards' audio.normalize = peak)."""
from __future__ import annotations

import argparse
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

SR = 16000
N_FFT = 512
WIN = 400
HOP = 160
N_MELS = 40
N_MFCC = 13
#: YIN: F0 search range (Hz), integration window (samples), the absolute threshold of the cumulative mean
#: normalised difference, and the aperiodicity below which a speech frame counts as voiced
F0_MIN, F0_MAX = 60.0, 500.0
YIN_WIN = 480
YIN_THRESHOLD = 0.1
VOICED_APERIODICITY = 0.25
#: a frame is speech when its energy is within this many dB of the clip's loudest frame
SPEECH_RANGE_DB = 35.0
#: F0 changes smaller than this (semitones per frame) count as neither rise nor fall
SLOPE_DEAD_ZONE = 1e-6

LLD_NAMES = (["energy_db", "centroid", "log_flatness", "rolloff85", "alpha_ratio", "hammarberg", "flux"]
             + [f"mfcc{i}" for i in range(1, N_MFCC + 1)])
VOICED_NAMES = ["f0_st", "aperiodicity"]
STATS = ["mean", "std", "p10", "p50", "p90", "mad"]


def names():
    out = [f"{n}_{s}" for n in LLD_NAMES + VOICED_NAMES for s in STATS]
    return out + ["voiced_fraction", "voiced_runs_per_s", "f0_jitter", "energy_shimmer", "f0_slope_rise",
                  "f0_slope_fall", "speech_fraction"]


def _frames(y, length, hop):
    pad = length // 2
    y = np.pad(y, (pad, pad))
    n = 1 + (len(y) - length) // hop
    idx = np.arange(length)[None, :] + hop * np.arange(n)[:, None]
    return y[idx]


def yin(y):
    """F0 (Hz) and aperiodicity (the cumulative mean normalised difference at the chosen lag) per hop-160 frame,
    one per spectral frame (1 + len(y) // HOP), the integration window centred on the spectral frame's centre."""
    tau_min = int(np.floor(SR / F0_MAX))
    tau_max = int(np.ceil(SR / F0_MIN))
    n = 1 + len(y) // HOP
    length = YIN_WIN + tau_max
    padded = np.pad(np.asarray(y, dtype=np.float64), (YIN_WIN // 2, length + HOP))
    fr = padded[np.arange(length)[None, :] + HOP * np.arange(n)[:, None]]
    n_fft = 1 << int(np.ceil(np.log2(length)))  # the window (yin_win) against the frame (length): no wrap up to tau_max
    spec = np.fft.rfft(fr, n_fft)
    # cross term sum_j x_j x_{j+tau} over the integration window, by correlating the window with the frame
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
    # digital silence (no difference energy at all) is aperiodic, not perfectly periodic
    cmnd[:, 1:] = np.where(cum > 1e-10, d[:, 1:] * taus[1:] / np.maximum(cum, 1e-12), 1.0)
    # candidate lags tau_min..tau_max-1, each with both neighbours for the minimum test and the parabola
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


def _mel_matrix():
    import librosa
    return librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=N_MELS, fmin=0.0, fmax=SR / 2, htk=False, norm="slaney")


_MEL = None


def _stats(v):
    if len(v) == 0:
        return [0.0] * len(STATS)
    p10, p50, p90 = np.percentile(v, [10, 50, 90])
    mad = float(np.mean(np.abs(np.diff(v)))) if len(v) > 1 else 0.0
    return [float(np.mean(v)), float(np.std(v)), p10, p50, p90, mad]


def functionals(y):
    """The feature vector (names()) of one mono 16 kHz clip."""
    global _MEL
    if _MEL is None:
        _MEL = _mel_matrix()
    y = np.asarray(y, dtype=np.float64)
    peak = np.max(np.abs(y)) if len(y) else 0.0
    if peak > 0:
        y = y / peak
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WIN) / WIN)
    window = np.pad(window, ((N_FFT - WIN) // 2, N_FFT - WIN - (N_FFT - WIN) // 2))
    fr = _frames(y, N_FFT, HOP)
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
    logmel = np.log(np.maximum(p @ _MEL.T, 1e-10))
    n = logmel.shape[1]
    dct = np.cos(np.pi / n * (np.arange(n) + 0.5)[None, :] * np.arange(1, N_MFCC + 1)[:, None]) * np.sqrt(2.0 / n)
    mfcc = logmel @ dct.T
    f0, ap = yin(y)
    m = min(len(f0), len(speech))
    f0, ap = f0[:m], ap[:m]
    voiced = speech[:m] & (ap < VOICED_APERIODICITY)
    llds = [energy_db, centroid, flat, roll, alpha, ham, flux] + [mfcc[:, i] for i in range(N_MFCC)]
    out = []
    for v in llds:
        out += _stats(v[speech])
    f0_st = 12 * np.log2(f0[voiced] / 27.5)
    out += _stats(f0_st) + _stats(ap[voiced])
    dur = len(y) / SR
    runs = np.sum(np.diff(np.r_[0, voiced.astype(int)]) == 1)
    # frame-to-frame changes inside voiced runs only
    both = voiced[1:] & voiced[:-1]
    period = 1.0 / np.maximum(f0, 1e-3)
    jitter = float(np.mean(np.abs(np.diff(period))[both]) / np.mean(period[voiced])) if both.any() else 0.0
    shimmer = float(np.mean(np.abs(np.diff(energy_db[:m]))[both])) if both.any() else 0.0
    d_st = np.diff(12 * np.log2(np.maximum(f0, 1e-3) / 27.5))[both]
    # changes under SLOPE_DEAD_ZONE semitones are rounding, not movement
    up, down = d_st > SLOPE_DEAD_ZONE, d_st < -SLOPE_DEAD_ZONE
    rise = float(np.mean(d_st[up])) if up.any() else 0.0
    fall = float(np.mean(d_st[down])) if down.any() else 0.0
    out += [float(voiced.mean()), runs / max(dur, 1e-3), jitter, shimmer, rise, fall, float(speech.mean())]
    return np.array(out, dtype=np.float32)


def _one(path):
    from .features import load_audio
    y = np.load(path) if path.endswith(".npy") else load_audio(path)
    return functionals(y)


def feature_path(v):
    from .loco import LOCO_WORK
    return os.path.join(LOCO_WORK, "functionals", f"v{v}.npy")


def cmd_features(a):
    from . import data
    from .loco import wave_path
    ds = data.load_corpora()
    for v in [int(s) for s in a.versions.split(",")]:
        out = feature_path(v)
        if os.path.exists(out):
            continue
        os.makedirs(os.path.dirname(out), exist_ok=True)
        inputs = [ds.abspath(i) if v == 0 else wave_path(v, ds.paths[i]) for i in range(len(ds))]
        t0 = time.time()
        with ProcessPoolExecutor(a.workers) as ex:
            x = np.stack(list(ex.map(_one, inputs, chunksize=64)))
        np.save(out + ".tmp.npy", x)
        os.replace(out + ".tmp.npy", out)
        logging.getLogger("training").info("functionals v%d: %s in %.0fs", v, x.shape, time.time() - t0)


def main(argv=None):
    from .recipe import setup_logging
    p = argparse.ArgumentParser(prog="python -m training.functionals", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["features"])
    p.add_argument("--versions", default="0")
    p.add_argument("--workers", type=int, default=2)
    a = p.parse_args(argv)
    setup_logging()
    cmd_features(a)


if __name__ == "__main__":
    main()
