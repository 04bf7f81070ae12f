"""Recording conditions for the robustness evaluation (`python -m training.recipe robustness`): each turns a clean
16 kHz clip into the same speech heard through noise, a room or a telephone line. Deterministic per (condition, clip).

Noise reuses the training augmentation's generator, so those rows measure robustness inside the range the model was
trained on (0-30 dB SNR); reverberation and the G.711 telephone line are outside it (training band-limits and
adds noise, but never convolves with a room or companding-quantises)."""
from __future__ import annotations

import numpy as np

from .features import SR, _colored_noise, _speech_power


def _noise(y, rng, snr_db, exponent):
    noise = _colored_noise(rng, len(y), exponent)
    return y + noise * np.float32(np.sqrt(_speech_power(y) / 10 ** (snr_db / 10)))


def room_impulse(rng, rt60: float, drr_db: float = 0.0) -> np.ndarray:
    """A synthetic room: a unit direct path followed by exponentially decaying Gaussian noise (60 dB down after
    rt60 seconds) scaled so that direct / reverberant energy is drr_db."""
    n = int(rt60 * SR)
    t = np.arange(1, n) / SR
    tail = rng.standard_normal(n - 1) * np.exp(-6.9078 * t / rt60)  # ln(1000): amplitude -60 dB at rt60
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail ** 2))
    return np.concatenate([[1.0], tail])


def _reverb(y, rng, rt60):
    import scipy.signal as ss
    return ss.fftconvolve(y, room_impulse(rng, rt60))[: len(y)]


def _mu_law(x, mu=255.0):
    """G.711 mu-law: compand, quantise to 8 bits, expand."""
    x = np.clip(x, -1.0, 1.0)
    c = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    q = np.round((c + 1) / 2 * 255) / 255 * 2 - 1
    return np.sign(q) * np.expm1(np.abs(q) * np.log1p(mu)) / mu


def _telephone(y, rng):
    import scipy.signal as ss
    import soxr
    sos = ss.butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos")
    narrow = soxr.resample(ss.sosfilt(sos, y), SR, 8000, quality="HQ")
    narrow = _mu_law(0.5 * narrow / (np.max(np.abs(narrow)) + 1e-9))  # a line level with headroom
    return soxr.resample(narrow, 8000, SR, quality="HQ")


#: name -> (description, function(y, rng) -> y)
CONDITIONS = {
    "clean": ("the corpus recording", lambda y, rng: y),
    "white_20db": ("white noise at 20 dB SNR", lambda y, rng: _noise(y, rng, 20, 0.0)),
    "white_10db": ("white noise at 10 dB SNR", lambda y, rng: _noise(y, rng, 10, 0.0)),
    "white_0db": ("white noise at 0 dB SNR", lambda y, rng: _noise(y, rng, 0, 0.0)),
    "pink_10db": ("pink noise at 10 dB SNR", lambda y, rng: _noise(y, rng, 10, 1.0)),
    "reverb_0.3s": ("a synthetic room, RT60 0.3 s, direct/reverberant 0 dB", lambda y, rng: _reverb(y, rng, 0.3)),
    "reverb_0.8s": ("a synthetic room, RT60 0.8 s, direct/reverberant 0 dB", lambda y, rng: _reverb(y, rng, 0.8)),
    "telephone": ("300-3400 Hz, 8 kHz G.711 mu-law, back to 16 kHz", _telephone),
}


def apply(name: str, y: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.asarray(CONDITIONS[name][1](np.asarray(y, np.float64), rng), np.float32)
