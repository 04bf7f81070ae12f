"""The command line: one argparse subcommand per step, each with the options it reads. The defaults are the shipped
run (common.SHIPPED: model 1.5.0), so `final`, `model-card`, `cv` or `robustness` without options redo it."""
from __future__ import annotations

import argparse
import sys

from .. import features as F
from .checks import cmd_check_e2e, cmd_expected
from .common import N_AUG, PATIENCE, SHIPPED, log, setup_logging
from .ensemble import cmd_ensemble
from .model_card import cmd_model_card
from .pipeline import cmd_all
from .prepare import cmd_check_java, cmd_features
from .report import cmd_report
from .robustness import cmd_robustness
from .train import cmd_cv, cmd_final, cmd_random

DESCRIPTION = """ser4j training recipe: one entry point, resumable, logs progress. Defaults: the shipped run
(model 1.5.0: cnn4, 80 epochs, 4 augmented copies, tag e80a4r; final and model-card take its SWA weights).

    python -m training.recipe all                 # everything below, in order (skips finished steps)
    python -m training.recipe features            # augmented waveforms + feature cache (Java extractor)
    python -m training.recipe check-java          # Java features vs librosa on a sample (asserts)
    python -m training.recipe cv                  # speaker-independent 5-fold
    python -m training.recipe random              # 80/20 stratified random split (speakers shared)
    python -m training.recipe ensemble            # a seed ensemble on the CV folds (model 1.3.0)
    python -m training.recipe report              # metrics JSON, confusion PNGs, README table
    python -m training.recipe final               # train on all speakers, export ONNX + card
    python -m training.recipe robustness          # CV fold networks under other recording conditions
    python -m training.recipe check-e2e           # `ser analyze` (Java) vs librosa+onnxruntime on sample clips
    python -m training.recipe expected            # the sample clips' probabilities for DefaultModelParityTest
    python -m training.recipe model-card          # MODEL_CARD.md next to the default model, from the results

Run from the repository root. Work files go to training/work/ (git-ignored), small results to training/results/.
"""

#: every option's default; `all` hands them to the steps that do not set their own
DEFAULTS = {"backend": "java", "set": "logmel64", "sets": "logmel64,mfcc40d", "arch": SHIPPED["arch"],
            "tag": SHIPPED["tag"], "folds": "0,1,2,3,4", "epochs": SHIPPED["epochs"], "patience": PATIENCE,
            "variant": "", "swa_epochs": 20, "epoch_size": 3000, "n_aug": N_AUG, "runs": None, "seed": 0,
            "threads": 1, "n": 48, "tol": 2e-3, "out": None, "version": "1.5.0", "calibrate": False}


def _backend(p):
    p.add_argument("--backend", default=DEFAULTS["backend"], choices=["java", "librosa"],
                   help="feature extractor: the project's Java code (default) or the librosa reference")


def _threads(p):
    p.add_argument("--threads", type=int, default=DEFAULTS["threads"],
                   help="torch threads; 1 is ~4x faster than 2 on this shared 2-core machine (measured)")


def _n_aug(p):
    p.add_argument("--n-aug", dest="n_aug", type=int, default=DEFAULTS["n_aug"],
                   help="augmented copies used (not part of the run name: give a --tag of its own when changing it)")


def _set(p):
    p.add_argument("--set", default=DEFAULTS["set"], choices=sorted(F.FEATURE_SETS))


def _out(p, what):
    p.add_argument("--out", default=DEFAULTS["out"], help=f"{what} (default: ser-model-default's model folder)")


def _run(p, variant=None):
    """The options that name a run (`<backend>_<set>_<arch>[-<tag>][.<variant>]`) and its training schedule."""
    from .. import model as M  # numpy only at import; keras loads when a command builds a network
    g = p.add_argument_group("run", "which run (its name: <backend>_<set>_<arch>[-<tag>]) and its training "
                                    "schedule (read by the commands that train: cv, random, final)")
    _backend(g)
    _set(g)
    g.add_argument("--arch", default=DEFAULTS["arch"], choices=M.ARCHS,
                   help="network (model.py): cnn4 (default), cnn4w (wider, not evaluated), tcnn (1-D over time), "
                        "cnn4x2 (two cnn4 seeds averaged: `ensemble`, `final`, `check-e2e` and `model-card` only)")
    g.add_argument("--tag", default=DEFAULTS["tag"],
                   help="run-name suffix for a schedule variant (e80a4r: 80 epochs, 4 augmented copies, the shipped "
                        "run; e50a4: 50 epochs, 4 copies)")
    g.add_argument("--epochs", type=int, default=DEFAULTS["epochs"])
    g.add_argument("--patience", type=int, default=DEFAULTS["patience"],
                   help="cv, random: epochs without a better validation UAR before stopping")
    g.add_argument("--swa-epochs", dest="swa_epochs", type=int, default=DEFAULTS["swa_epochs"],
                   help="also keep the mean of the last N epochs' weights (run `<run>.swa`); 0: off")
    g.add_argument("--epoch-size", dest="epoch_size", type=int, default=DEFAULTS["epoch_size"])
    _n_aug(g)
    g.add_argument("--seed", type=int, default=DEFAULTS["seed"],
                   help="training seed offset (weights, batch order, masks; not the folds or validation speakers), "
                        "to measure seed-to-seed spread or train ensemble members; give a --tag of its own")
    _threads(g)
    if variant is None:
        p.set_defaults(variant="")
    else:
        g.add_argument("--variant", default=variant, choices=["", "last", "swa"],
                       help="which weights of the training run: none: the best validation epoch in CV, the last "
                            "epoch in final; last: the last epoch; swa: the mean of the last --swa-epochs epochs' "
                            "weights")


def parser():
    p = argparse.ArgumentParser(prog="python -m training.recipe", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, fn, help):
        s = sub.add_parser(name, help=help, description=help, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
        s.set_defaults(func=fn)
        return s

    s = command("features", cmd_features, "augmented waveforms + feature cache (Java extractor)")
    _backend(s)
    s.add_argument("--sets", default=DEFAULTS["sets"], help="comma-separated feature sets")
    _n_aug(s)
    s = command("check-java", cmd_check_java, "Java features vs librosa on a sample of clips (fails above --tol)")
    s.add_argument("--sets", default=DEFAULTS["sets"], help="comma-separated feature sets")
    s.add_argument("--n", type=int, default=DEFAULTS["n"], help="clips in the sample")
    s.add_argument("--tol", type=float, default=DEFAULTS["tol"], help="max abs difference allowed")
    s = command("cv", cmd_cv, "speaker-independent 5-fold cross-validation (scores every variant of its run)")
    _run(s)
    s.add_argument("--folds", default=DEFAULTS["folds"], help="comma-separated folds to run")
    s = command("random", cmd_random, "the 80/20 random split (speakers shared), for comparison only")
    _run(s)
    s = command("ensemble", cmd_ensemble, "a seed ensemble (--arch cnn4x2) scored on the CV folds from its members' "
                                          "outputs")
    _run(s, variant="")
    s.set_defaults(arch="cnn4x2", tag="e50a4")
    s.add_argument("--runs", default=DEFAULTS["runs"],
                   help="comma-separated CV run names (default: the members of --arch in ENSEMBLES; --arch cnn4x2 "
                        "--tag e50a4 is model 1.3.0)")
    command("report", cmd_report, "metrics JSON, confusion PNGs and the README table from the fold outputs")
    s = command("final", cmd_final, "train on all speakers, export ONNX and card.json")
    _run(s, variant=SHIPPED["variant"])
    _out(s, "export folder")
    s.add_argument("--version", default=DEFAULTS["version"], help="the card's version")
    s.add_argument("--calibrate", action="store_true",
                   help="divide the logits by the median of the CV folds' validation-fitted temperatures "
                        "(off by default: with 4 validation speakers the fits did not lower the test ECE, README)")
    s = command("robustness", cmd_robustness, "each CV fold's network on its test speakers under other recording "
                                              "conditions")
    _run(s, variant="")
    s = command("check-e2e", cmd_check_e2e, "`ser analyze` (Java) vs librosa + onnxruntime on corpus clips")
    _set(s)
    _out(s, "model folder")
    s = command("expected", cmd_expected, "the sample clips' probabilities that DefaultModelParityTest checks")
    _set(s)
    _out(s, "model folder")
    s = command("model-card", cmd_model_card, "MODEL_CARD.md next to the model, from the result files")
    _run(s, variant=SHIPPED["variant"])
    _out(s, "model folder")
    s = command("all", cmd_all, "everything above, in order (each step skips what is on disk)")
    _backend(s)
    _threads(s)
    _out(s, "model folder of final, check-e2e and model-card")
    s.add_argument("--version", default=DEFAULTS["version"], help="the card's version")
    return p


def main(argv=None):
    a = parser().parse_args(argv)
    setup_logging()
    log.info("recipe %s %s", a.command, " ".join(argv or sys.argv[1:]))
    fn = a.func
    del a.func
    if fn is cmd_all:
        fn(a, DEFAULTS)
    else:
        fn(a)
