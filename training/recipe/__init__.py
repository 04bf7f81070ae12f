"""ser4j training recipe of the default model: `python -m training.recipe COMMAND` (cli.py), one module per group of
commands. The names other modules use (`training.loco`, `training.functionals`) are re-exported here."""
from .common import (BASELINE, E50, E50A4, ENSEMBLES, HERE, MODEL_DIR, N_AUG, OUTPUTS, PATIENCE,  # noqa: F401
                     RANDOM_SPLIT_OF, RESULTS, SHIPPED, WORK, _save_outputs, base_key, run_dir, run_key,
                     setup_logging, threads)


def main(argv=None):
    from .cli import main as cli_main
    cli_main(argv)
