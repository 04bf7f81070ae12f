"""`model-card`: MODEL_CARD.md next to the model, from the result files."""
from __future__ import annotations

import argparse
import os

from .. import features as F
from .common import MODEL_DIR, RANDOM_SPLIT_OF, RESULTS, _members, base_key, log, run_key


def cmd_model_card(a):
    from .. import modelcard
    key = run_key(a)
    members = [run_key(m) for m in _members(a)]
    random_of = (base_key(argparse.Namespace(**{**vars(a), "tag": RANDOM_SPLIT_OF[a.tag]}))
                 if a.tag in RANDOM_SPLIT_OF else None)
    path = modelcard.write(RESULTS, os.path.normpath(a.out or MODEL_DIR), key, members, random_of)
    log.info("wrote %s (results of %s)", os.path.relpath(path, F.repo_root()), key)
