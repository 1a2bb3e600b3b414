"""One spec per model: unique, agreeing with the shipped metadata, and readable without
TensorFlow (the command line's help and the spec list never import it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from digitpad.core import ModelMetadata, bundled_models_dir
from tests.training.conftest import REPO_ROOT
from training.specs import MODEL_SPECS, model_names, spec_for


def test_names_and_display_orders_are_unique() -> None:
    assert len({spec.name for spec in MODEL_SPECS}) == len(MODEL_SPECS)
    assert len({spec.display_order for spec in MODEL_SPECS}) == len(MODEL_SPECS)
    assert model_names() == [s.name for s in sorted(MODEL_SPECS, key=lambda s: s.display_order)]


@pytest.mark.parametrize("spec", MODEL_SPECS, ids=lambda spec: spec.name)
def test_shipped_metadata_carries_the_specs_names_and_order(spec) -> None:
    metadata = ModelMetadata.read(bundled_models_dir() / f"{spec.name}.json")
    assert (metadata.name, metadata.display_name, metadata.display_order) == (
        spec.name,
        spec.display_name,
        spec.display_order,
    )


def test_unknown_model_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown model 'lstm'; choose from dense, cnn"):
        spec_for("lstm")


def test_help_and_specs_do_not_import_tensorflow() -> None:
    code = (
        "import sys, training.cli, training.specs, training.report; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras'}))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert imported.stdout.strip() == "[]"
    helped = subprocess.run(
        [sys.executable, "-m", "training", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    assert "--model {dense,cnn,all}" in helped.stdout
