"""Manifest loading, label mapping and speaker-independent splits."""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass

import numpy as np

#: Output order of the default model (index -> label).
LABELS = ["neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
#: How corpus labels outside LABELS are treated: calm -> neutral, boredom dropped (see README "Labels").
LABEL_MAP = {"calm": "neutral", "boredom": None}
CORPORA = ["ravdess", "tess", "emodb"]
#: The corpora of manifest-extra.csv (audio built locally: extra_dir()). BAVED has arousal levels but no category.
EXTRA_CORPORA = ["ased", "turev", "baved"]
#: BAVED's arousal levels (manifest-extra.csv `arousal`), low to high
AROUSAL = ["low", "neutral", "high"]

# The two RAVDESS files that are one recording (dataset README): they must land in the same split.
DUPLICATES = [("ravdess/Actor_07/03-01-03-01-02-01-07.flac", "ravdess/Actor_07/03-01-03-01-02-02-07.flac")]


def shared_dir() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("SER4J_SHARED_DIR", os.path.normpath(os.path.join(here, "..", "..", "shared")))


@dataclass
class Dataset:
    paths: list          # relative to datasets/
    corpus: np.ndarray   # str
    speaker: np.ndarray  # str
    gender: np.ndarray
    orig_label: np.ndarray
    y: np.ndarray        # int index into LABELS, -1 for a clip without a category (BAVED)
    root: str
    extra_root: str | None = None  # where manifest-extra.csv's audio was built (load_corpora)
    arousal: np.ndarray | None = None  # int index into AROUSAL, -1 where the manifest gives none

    def __len__(self):
        return len(self.paths)

    def abspath(self, i: int) -> str:
        extra = self.extra_root and self.corpus[i] in EXTRA_CORPORA
        return os.path.join(self.extra_root if extra else self.root, self.paths[i])

    def dup_group(self) -> np.ndarray:
        """Group id per clip that ties known duplicate recordings together (used by the random split)."""
        g = np.arange(len(self.paths))
        index = {p: i for i, p in enumerate(self.paths)}
        for a, b in DUPLICATES:
            if a in index and b in index:
                g[index[b]] = g[index[a]]
        return g


def load_manifest(root: str | None = None) -> Dataset:
    """All clips of the manifest whose label maps onto LABELS (boredom is dropped, calm becomes neutral)."""
    root = root or os.path.join(shared_dir(), "datasets")
    rows = list(csv.DictReader(open(os.path.join(root, "manifest.csv"), newline="")))
    keep = []
    for r in rows:
        lab = LABEL_MAP.get(r["label"], r["label"])
        if lab is None:
            continue
        if lab not in LABELS:
            raise ValueError(f"unknown label {r['label']!r} in manifest row {r['path']}")
        keep.append((r, lab))
    keep.sort(key=lambda t: t[0]["path"])  # stable order independent of the manifest's row order
    return Dataset(
        paths=[r["path"] for r, _ in keep],
        corpus=np.array([r["corpus"] for r, _ in keep]),
        speaker=np.array([r["speaker"] for r, _ in keep]),
        gender=np.array([r["gender"] for r, _ in keep]),
        orig_label=np.array([r["label"] for r, _ in keep]),
        y=np.array([LABELS.index(l) for _, l in keep], dtype=np.int64),
        root=root,
    )


def extra_dir() -> str:
    """Where `build_extra.sh` (in the shared datasets folder) wrote the audio of manifest-extra.csv: the setting
    SER4J_EXTRA_DIR, by default training/work/extra (git-ignored). A new machine rebuilds it (training/README.md)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("SER4J_EXTRA_DIR", os.path.join(here, "work", "extra"))


def load_corpora(corpora=None, root: str | None = None, extra_root: str | None = None) -> Dataset:
    """The clips of manifest.csv and manifest-extra.csv (RAVDESS, TESS, EmoDB, ASED, TurEV-DB, BAVED), sorted by path.
    Labels map as in load_manifest (calm -> neutral, boredom dropped); BAVED rows have no category (y = -1) and keep
    their arousal level. Fails with the rebuild command when the extra corpora's audio is missing."""
    root = root or os.path.join(shared_dir(), "datasets")
    extra_root = extra_root or extra_dir()
    corpora = corpora or CORPORA + EXTRA_CORPORA
    rows = list(csv.DictReader(open(os.path.join(root, "manifest.csv"), newline="")))
    rows += list(csv.DictReader(open(os.path.join(root, "manifest-extra.csv"), newline="")))
    keep = []
    for r in rows:
        if r["corpus"] not in corpora:
            continue
        lab = LABEL_MAP.get(r["label"], r["label"]) if r["label"] else ""
        if lab is None:
            continue
        if lab and lab not in LABELS:
            raise ValueError(f"unknown label {r['label']!r} in manifest row {r['path']}")
        keep.append((r, lab))
    keep.sort(key=lambda t: t[0]["path"])
    missing = [r["path"] for r, _ in keep if r["corpus"] in EXTRA_CORPORA
               and not os.path.exists(os.path.join(extra_root, r["path"]))]
    if missing:
        raise SystemExit(f"{len(missing)} clips of manifest-extra.csv are not under {extra_root} (first: {missing[0]}); "
                         f"build them with {os.path.join(root, 'build_extra.sh')} (training/README.md, 'More corpora') "
                         f"or point SER4J_EXTRA_DIR at them")
    return Dataset(
        paths=[r["path"] for r, _ in keep],
        corpus=np.array([r["corpus"] for r, _ in keep]),
        speaker=np.array([r["speaker"] for r, _ in keep]),
        gender=np.array([r["gender"] for r, _ in keep]),
        orig_label=np.array([r["label"] for r, _ in keep]),
        y=np.array([LABELS.index(l) if l else -1 for _, l in keep], dtype=np.int64),
        root=root,
        extra_root=extra_root,
        arousal=np.array([AROUSAL.index(r["arousal"]) if r.get("arousal") else -1 for r, _ in keep], dtype=np.int64),
    )


def speaker_folds(ds: Dataset, n_folds: int = 5) -> np.ndarray:
    """Fold index (0..n_folds-1) per clip; every speaker is in exactly one fold.

    Plain GroupKFold over the 36 speakers balances clip counts greedily: each TESS speaker (1400 clips) alone is
    larger than a fifth of the data, so two folds would be ~all TESS and the other three all RAVDESS+EmoDB.
    Instead each corpus is dealt separately: its speakers, sorted by gender then id, are dealt round-robin onto the
    folds (so every fold gets ~1/5 of RAVDESS's and EmoDB's speakers, gender-balanced). TESS has two speakers, so
    only two folds test TESS (each time trained on the other TESS speaker only); they are put on the last folds.
    """
    fold_of = {}
    present = set(ds.corpus.tolist())
    for corpus in [c for c in CORPORA + EXTRA_CORPORA if c in present]:
        spk = sorted(set(ds.speaker[ds.corpus == corpus]))
        gender = {s: ds.gender[ds.speaker == s][0] for s in spk}
        ordered = sorted(spk, key=lambda s: (gender[s], s))
        # interleave genders so round-robin alternates them
        males = [s for s in ordered if gender[s] == "male"]
        females = [s for s in ordered if gender[s] != "male"]
        inter = []
        for i in range(max(len(males), len(females))):
            inter += males[i:i + 1] + females[i:i + 1]
        start = n_folds - len(inter) if len(inter) < n_folds else 0
        for k, s in enumerate(inter):
            fold_of[(corpus, s)] = (start + k) % n_folds
    return np.array([fold_of[(c, s)] for c, s in zip(ds.corpus, ds.speaker)])


def validation_speakers(ds: Dataset, train_idx: np.ndarray, seed: int) -> set:
    """Speakers held out from training for early stopping: 3 RAVDESS actors (2 if few), 1 EmoDB speaker.

    TESS has at most two speakers in a training set, so none is held out (its clips are easy and plentiful)."""
    rng = np.random.default_rng(seed)
    out = set()
    for corpus, k in (("ravdess", 3), ("emodb", 1)):
        spk = sorted(set(ds.speaker[train_idx][ds.corpus[train_idx] == corpus]))
        if len(spk) > k + 1:
            out |= set(rng.choice(spk, size=k, replace=False).tolist())
    return out


def random_split(ds: Dataset, seed: int = 0, test_size: float = 0.2):
    """The "seeds" comparison protocol: 80/20 split stratified by corpus x label, speakers shared (NOT independent).
    Known duplicate recordings are kept on the same side."""
    from sklearn.model_selection import StratifiedShuffleSplit
    g = ds.dup_group()
    uniq, first = np.unique(g, return_index=True)
    strat = np.array([f"{c}:{y}" for c, y in zip(ds.corpus, ds.y)])
    sss = StratifiedShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    tr_g, te_g = next(sss.split(uniq, strat[first]))
    test_groups = set(uniq[te_g].tolist())
    is_test = np.array([gi in test_groups for gi in g])
    return np.where(~is_test)[0], np.where(is_test)[0]
