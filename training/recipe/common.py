"""What every recipe command shares: paths, the shipped run and the schedules `all` compares it with, logging, run
names and the atomic fold-output writer."""
from __future__ import annotations

import argparse
import logging
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402

#: training/, whose work/, results/ and README.md the recipe writes
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get("SER4J_TRAINING_WORK", os.path.join(HERE, "work"))
RESULTS = os.path.join(HERE, "results")
#: Test and validation outputs of every CV / random-split fold (small .npz files, committed): `report`, `ensemble` and
#: the model card are computed from them, so they survive a fresh clone; only features and weights live in WORK.
OUTPUTS = os.path.join(RESULTS, "outputs")
MODEL_DIR = os.path.join(HERE, "..", "ser-model-default", "src", "main", "resources", "io", "github", "ser4j", "defaultmodel")
log = logging.getLogger("training")

#: The run the default model is trained with: model 1.5.0, the SWA weights of the 80-epoch schedule with 4 augmented
#: copies (1.4.0 was the last epoch of `e80a4`). The commands' defaults are this run.
SHIPPED = {"arch": "cnn4", "epochs": 80, "tag": "e80a4r", "variant": "swa"}
N_AUG = 4          # augmented copies per clip (plus the clean one); 4 beat 2 on folds 0-1 (README)
PATIENCE = 50      # keep the best validation epoch, but do not stop early: the curves are noisy (4 val speakers)
#: Seed ensembles: arch -> tag -> its members as (arch, tag, seed offset); `ensemble` scores them on the CV folds,
#: `final` trains (or loads) each member's final model (with --epochs) and exports the averaged network.
#: cnn4x2-e50a4 is model 1.3.0; cnn4x2-e80a4 needs both members' fold outputs, lost with an earlier machine's work
#: folder (rerun `cv --epochs 80 --tag e80a4` and `--seed 1 --tag e80a4s1`; outputs are committed now).
ENSEMBLES = {"cnn4x2": {"e50a4": (("cnn4", "e50a4", 0), ("cnn4", "e50a4s1", 1)),
                        "e80a4": (("cnn4", "e80a4", 0), ("cnn4", "e80a4s1", 1))}}
#: tag -> the tag whose random split the model card quotes for it (e80a4r did not run the split; e80a4, the same
#: schedule, did)
RANDOM_SPLIT_OF = {"e80a4r": "e80a4"}
# the schedules of the comparison rows `all` runs beside the shipped one:
#: models 1.2.0-1.3.0: 50 epochs, 4 augmented copies
E50A4 = {"epochs": 50, "tag": "e50a4"}
#: the earlier schedule, kept as the baseline of the comparison table
BASELINE = {"epochs": 30, "patience": 8, "tag": "", "n_aug": 2}
#: the schedule of default model 1.1.0: 50 epochs, 2 augmented copies
E50 = {"epochs": 50, "tag": "e50", "n_aug": 2}


def setup_logging():
    os.makedirs(WORK, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S")
    root = logging.getLogger("training")
    if not root.handlers:
        for h in (logging.StreamHandler(sys.stdout), logging.FileHandler(os.path.join(WORK, "recipe.log"))):
            h.setFormatter(fmt)
            root.addHandler(h)
    root.setLevel(logging.INFO)


def threads(n):
    import torch
    torch.set_num_threads(n)


def base_key(a):
    """Training-run name: `<feature backend>_<feature set>_<architecture>[-<tag>]` (the tag names a schedule)."""
    return f"{a.backend}_{a.set}_{a.arch}" + (f"-{a.tag}" if a.tag else "")


def _dotted(variant):
    """The suffix that names other weights of one training (`.last`, `.swa`); none for the run's own."""
    return f".{variant}" if variant else ""


def run_key(a):
    """Result name: the training run's, plus `.<variant>` for its other weights (`--variant`: last, swa)."""
    return base_key(a) + _dotted(getattr(a, "variant", ""))


def run_dir(a, protocol, variant=""):
    """Where a run's fold outputs (cv, random: OUTPUTS) or final weights (WORK) go; `variant` names other weights of
    the same training run (`<run>.last`, `<run>.swa`: see `model.train`'s snapshots)."""
    key = base_key(a) + _dotted(variant)
    return os.path.join(os.path.join(WORK, "runs") if protocol == "final" else OUTPUTS, key, protocol)


def _members(a):
    """The arguments of each member run of an ensemble arch (ENSEMBLES); none for a single network."""
    if a.arch in ENSEMBLES and a.tag not in ENSEMBLES[a.arch]:
        raise SystemExit(f"--arch {a.arch} has no members for --tag {a.tag!r} (known: "
                         f"{', '.join(ENSEMBLES[a.arch])})")
    return [argparse.Namespace(**{**vars(a), "arch": arch, "tag": tag, "seed": seed})
            for arch, tag, seed in ENSEMBLES.get(a.arch, {}).get(a.tag, ())]


def _save_outputs(path, **arrays):
    """One fold's outputs, written atomically (a run cut mid-write leaves no fold that looks done)."""
    arrays = {k: v.astype(np.float32) if k.endswith("probs") else v for k, v in arrays.items()}
    tmp = path[:-4] + ".part.npz"
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)
