"""Speaker adaptation of a model's output (card field `output.adapt`, type "demote_excess"): the reference the SDK
(ser-onnx) reproduces.

A network trained on other corpora answers each new speaker with a bias of its own (issue 18: one corpus is called
"fearful" 37 % of the time). Given the speaker's clips so far, this lowers each class by how far the speaker's
running mean log-probability of it stands above the mean over the classes; classes below are never raised (a corpus
or an app may simply not have them). Per speaker, for its k-th clip with speech (k from 1), in double precision:

    l = ln(max(p, floor));  S += l;  m = S / (prior_count + k)
    d_c = max(m_c - mean(m), 0);  p' = softmax(l - strength * d)

`prior_count` pseudo-clips without preference (S starts at 0) keep a speaker's first clips close to the model's own
answer. The clip itself is included, as in the feature z-scores of `features.adapt`.
"""
from __future__ import annotations

import numpy as np

TYPE = "demote_excess"
DEFAULTS = {"type": TYPE, "prior_count": 3.0, "strength": 1.0, "floor": 1e-7}


class Running:
    """One speaker's state; `adapt(p)` takes the model's probabilities of the speaker's next clip."""

    def __init__(self, labels: int, prior_count=3.0, strength=1.0, floor=1e-7):
        self.s = np.zeros(labels)
        self.k = 0
        self.prior_count, self.strength, self.floor = float(prior_count), float(strength), float(floor)

    def adapt(self, p) -> np.ndarray:
        lg = np.log(np.maximum(np.asarray(p, dtype=np.float64), self.floor))
        self.s = self.s + lg
        self.k += 1
        m = self.s / (self.prior_count + self.k)
        d = np.maximum(m - m.mean(), 0.0)
        z = lg - self.strength * d
        e = np.exp(z - z.max())
        return e / e.sum()


def speaker_orders(groups, seed=0):
    """Each group's positions in a seeded random order, groups sorted: the order `loco_functionals.online_zscore`
    feeds a speaker's clips to its running statistics (same seed, same groups: same order)."""
    rng = np.random.default_rng(seed)
    out = []
    for g in np.unique(groups):
        idx = np.where(groups == g)[0]
        out.append(idx[rng.permutation(len(idx))])
    return out


def online(probs, groups=None, seed=0, orders=None, **params):
    """What a stream of each speaker sees: every clip adapted by its speaker's clips so far, itself included, in the
    order `orders` gives (a list of position arrays, one per speaker), by default speaker_orders(groups, seed)."""
    params = {k: v for k, v in {**DEFAULTS, **params}.items() if k != "type"}
    probs = np.asarray(probs, dtype=np.float64)
    out = probs.copy()
    for order in (speaker_orders(groups, seed) if orders is None else orders):
        state = Running(probs.shape[1], **params)
        for i in order:
            out[i] = state.adapt(probs[i])
    return out
