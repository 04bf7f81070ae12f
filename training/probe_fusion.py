"""Fusion probe: the adapted fusion's CNN weight and output-adaptation strength, chosen on the speaker-independent
(SI) fold outputs only, then scored once on the leave-one-corpus-out (LOCO) folds. 2.1.0's values (weight 0.5,
strength 1) were fixed before measuring, and the strength had one look at LOCO; this asks whether the SI folds alone
would pick other values, and what those would give on corpora the networks never saw.

    python -m training.probe_fusion --cnn-loco e80.last --cnn-si si-e80.last

Every grid point's SI and LOCO mean (UAR %, mean over the five corpora, SI pooled over the folds) is printed; the
point with the best SI mean is marked "chosen on SI".
"""
from __future__ import annotations

import argparse
import itertools
import os

import numpy as np

from . import data, metrics, output_adapt
from .default_model import ADAPTED_RUN, OUTPUTS, _speaker_orders
from .default_model_card import HELD_OUT


def _load(run, protocol, split):
    z = np.load(os.path.join(OUTPUTS, run, protocol, f"{split}.npz"))
    return z["idx"], z["probs"].astype(np.float64)


def _splits(protocol):
    return [f"fold{k}" for k in range(5)] if protocol == "si" else list(HELD_OUT)


def _prepared(ds, cnn_run, adapted_run, protocol, strengths, functionals_strength=0.0):
    """Per split: (clip positions, {strength: CNN probabilities adapted at it}, adapted functionals' probabilities,
    their output adapted too at functionals_strength if it is above 0)."""
    out = []
    for split in _splits(protocol):
        idx, cnn = _load(cnn_run, protocol, split)
        idx_f, fun = _load(adapted_run, protocol, split)
        assert np.array_equal(idx, idx_f), f"{cnn_run} {split}: other clips than {adapted_run}"
        orders = _speaker_orders(ds, protocol, split, idx)
        adapted = {s: (cnn if s == 0 else output_adapt.online(cnn, orders=orders, strength=s)) for s in strengths}
        if functionals_strength > 0:
            fun = output_adapt.online(fun, orders=orders, strength=functionals_strength)
        out.append((idx, adapted, fun))
    return out


def _mean_uar(ds, parts, weight, strength):
    idx = np.concatenate([i for i, _, _ in parts])
    p = np.concatenate([weight * a[strength] + (1 - weight) * f for _, a, f in parts])
    u = []
    for c in HELD_OUT:
        m = ds.corpus[idx] == c
        u.append(metrics.evaluate(p[m], ds.y[idx][m], data.LABELS)["uar"])
    return 100 * float(np.mean(u)), [100 * x for x in u]


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m training.probe_fusion", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cnn-loco", dest="cnn_loco", required=True, help="the CNN's LOCO fold outputs (e.g. e80.last)")
    p.add_argument("--cnn-si", dest="cnn_si", required=True, help="the same recipe's SI fold outputs (si-e80.last)")
    p.add_argument("--adapted-run", dest="adapted_run", default=ADAPTED_RUN,
                   help="the adapted functionals' fold outputs (loco_functionals --norm online --save NAME)")
    p.add_argument("--functionals-strength", dest="functionals_strength", type=float, default=0.0,
                   help="also adapt the functionals' output (output.adapt) at this strength; 0: as shipped")
    p.add_argument("--weights", default="0.3,0.4,0.5,0.6,0.7,0.8", help="CNN weights to try (functionals: 1 - w)")
    p.add_argument("--strengths", default="0,0.5,1,1.5,2", help="output-adaptation strengths to try (0: off)")
    a = p.parse_args(argv)
    weights = [float(w) for w in a.weights.split(",")]
    strengths = [float(s) for s in a.strengths.split(",")]
    ds = data.load_corpora()
    si = _prepared(ds, a.cnn_si, a.adapted_run, "si", strengths, a.functionals_strength)
    loco = _prepared(ds, a.cnn_loco, a.adapted_run, "loco", strengths, a.functionals_strength)
    rows = []
    for w, s in itertools.product(weights, strengths):
        si_mean, _ = _mean_uar(ds, si, w, s)
        loco_mean, per = _mean_uar(ds, loco, w, s)
        rows.append((si_mean, w, s, loco_mean, per))
    best = max(rows, key=lambda r: r[0])
    print("weight strength | SI mean | LOCO " + " ".join(HELD_OUT) + " mean")
    for r in rows:
        si_mean, w, s, loco_mean, per = r
        print(f"{w:.1f} {s:.1f} | {si_mean:.1f} | " + " ".join(f"{x:.1f}" for x in per) + f" {loco_mean:.1f}"
              + ("  <- chosen on SI" if r is best else ""))


if __name__ == "__main__":
    main()
