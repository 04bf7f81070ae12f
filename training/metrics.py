"""Evaluation metrics: accuracy, UAR, macro-F1, per-class P/R/F1, confusion matrix, expected calibration error."""
from __future__ import annotations

import numpy as np


def ece(probs: np.ndarray, y: np.ndarray, n_bins: int = 15) -> float:
    """Expected calibration error of the top-1 confidence, equal-width bins (Guo et al. 2017)."""
    conf = probs.max(1)
    correct = probs.argmax(1) == y
    edges = np.linspace(0, 1, n_bins + 1)
    e = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            e += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(e)


def with_temperature(probs: np.ndarray, t: float) -> np.ndarray:
    """softmax(log(p) / t): the probabilities a softmax model gives when its logits are divided by t (the logits
    are log(p) up to a per-row constant, which the softmax ignores). The argmax, hence UAR, is unchanged."""
    z = np.log(np.clip(probs, 1e-12, 1.0)) / t
    z -= z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def fit_temperature(probs: np.ndarray, y: np.ndarray) -> float:
    """Temperature scaling (Guo et al. 2017): the t in [0.25, 8] minimising the negative log-likelihood of y,
    searched on a log grid and refined by golden section (the NLL is convex in 1/t)."""
    def nll(t):
        return float(-np.mean(np.log(np.clip(with_temperature(probs, t)[np.arange(len(y)), y], 1e-12, 1.0))))
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 61))
    i = int(np.argmin([nll(t) for t in grid]))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    g = (np.sqrt(5) - 1) / 2
    for _ in range(40):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if nll(a) < nll(b):
            hi = b
        else:
            lo = a
    return float((lo + hi) / 2)


def evaluate(probs: np.ndarray, y: np.ndarray, labels: list) -> dict:
    """Metrics over the classes present in y (a corpus without `surprised` is scored on its own classes)."""
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
    pred = probs.argmax(1)
    present = [k for k in range(len(labels)) if np.any(y == k)]
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=present, zero_division=0)
    return {
        "n": int(len(y)),
        "accuracy": float(np.mean(pred == y)),
        "uar": float(np.mean(r)),
        "macro_f1": float(f1_score(y, pred, labels=present, average="macro", zero_division=0)),
        "ece": ece(probs, y),
        "per_class": {labels[k]: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                                  "support": int(s[i])} for i, k in enumerate(present)},
        "confusion_labels": labels,
        "confusion": confusion_matrix(y, pred, labels=list(range(len(labels)))).tolist(),
    }


def plot_confusion(cm, labels, title, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cm = np.asarray(cm, dtype=float)
    keep = [i for i in range(len(labels)) if cm[i].sum() > 0 or cm[:, i].sum() > 0]
    cm = cm[np.ix_(keep, keep)]
    names = [labels[i] for i in keep]
    norm = cm / np.maximum(cm.sum(1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(5.2, 4.6), dpi=100)
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(names)):
        for j in range(len(names)):
            ax.text(j, i, f"{norm[i, j]:.2f}\n({int(cm[i, j])})", ha="center", va="center", fontsize=6.5,
                    color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true (row-normalised recall)")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
