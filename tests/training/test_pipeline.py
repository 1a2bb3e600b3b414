"""End to end on a small slice: train -> export -> metadata -> evaluate -> report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("tensorflow", reason="needs TensorFlow: install the train extra")

from digitpad.core import ModelMetadata, OnnxModel
from training.cli import main
from training.data import Mnist
from training.metadata import sha256_of
from training.specs import spec_for
from training.train import TrainConfig, train

pytestmark = [pytest.mark.slow, pytest.mark.training]

METADATA_KEYS = {
    "format_version", "name", "display_name", "display_order", "architecture", "parameters",
    "input", "output", "training", "evaluation", "versions", "created", "onnx_file", "sha256",
}  # fmt: skip


@pytest.mark.parametrize(("name", "parameters"), [("dense", 118_282), ("cnn", 34_826)])
def test_smoke_run_writes_a_loadable_model_and_report(
    name: str, parameters: int, mnist: Mnist, tmp_path: Path
) -> None:
    config = TrainConfig(
        model=name, output_dir=tmp_path / "models", reports_dir=tmp_path / "reports", smoke=True
    )
    logged: list[str] = []
    returned = train(config, mnist, log=logged.append)

    onnx_path = tmp_path / "models" / f"{name}.onnx"
    document = json.loads((tmp_path / "models" / f"{name}.json").read_text())
    assert document == returned
    assert set(document) >= METADATA_KEYS
    assert document["parameters"] == parameters
    spec = spec_for(name)
    assert (document["display_name"], document["display_order"]) == (
        spec.display_name,
        spec.display_order,
    )
    assert document["sha256"] == sha256_of(onnx_path)
    assert document["training"]["epochs_run"] == 1
    assert document["evaluation"]["dataset"] == "MNIST test, 300 images"
    assert len(document["evaluation"]["per_class_accuracy"]) == 10
    assert 0.5 < document["evaluation"]["accuracy"] <= 1.0  # one tiny epoch still learns
    assert any("epoch  1/1" in line for line in logged)

    # The app's loader accepts the pair exactly as written (format, contract, sha256).
    model = OnnxModel.load(onnx_path, ModelMetadata.read(onnx_path.with_suffix(".json")))
    answers = model.predict_batch(mnist.test.images[:300].astype(np.float32)).argmax(axis=1)
    accuracy = (answers == mnist.test.labels[:300]).mean()
    assert accuracy == pytest.approx(document["evaluation"]["accuracy"], abs=1e-6)

    report = tmp_path / "reports" / name
    metrics = json.loads((report / "metrics.json").read_text())
    assert metrics["raw"]["accuracy"] == pytest.approx(accuracy, abs=1e-6)
    assert np.array(metrics["raw"]["confusion"]).sum() == 300
    for png in ("confusion.png", "mistakes.png", "mistakes_preprocessed.png"):
        with Image.open(report / png) as image:
            assert image.format == "PNG"
            assert image.width > 300
    assert f"{accuracy:.2%}" in (report / "report.md").read_text()


def test_evaluate_command_rereports_any_onnx(mnist_dir: Path, tmp_path: Path, capsys) -> None:
    models = tmp_path / "models"
    assert main(["--data-dir", str(mnist_dir), "--smoke", "--model", "dense",
                 "--output", str(models), "--reports", str(tmp_path / "first")]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["evaluate", str(models / "dense.onnx"), "--data-dir", str(mnist_dir),
                 "--reports", str(tmp_path / "again")]) == 0  # fmt: skip
    out = capsys.readouterr().out
    metrics = json.loads((tmp_path / "again" / "dense" / "metrics.json").read_text())
    assert metrics["dataset"] == "MNIST test, 10000 images"
    assert sum(map(sum, metrics["raw"]["confusion"])) == 10_000
    assert f"accuracy {metrics['raw']['accuracy']:.4f} raw" in out


def test_same_seed_trains_the_same_model(mnist: Mnist, tmp_path: Path) -> None:
    def smoke_probabilities(seed: int, folder: str) -> np.ndarray:
        config = TrainConfig(
            model="dense", output_dir=tmp_path / folder, reports_dir=None, seed=seed, smoke=True
        )
        train(config, mnist, log=lambda line: None)
        model = OnnxModel.load(tmp_path / folder / "dense.onnx")
        return model.predict_batch(mnist.test.images[:200].astype(np.float32))

    first = smoke_probabilities(7, "first")
    np.testing.assert_allclose(smoke_probabilities(7, "again"), first, atol=1e-6)
    assert np.abs(smoke_probabilities(8, "other") - first).max() > 1e-3
