"""The contracts of the layer, the network, the trainer, Grad-CAM and
`CompiledModels` on the JAX and PyTorch backends, each in a subprocess (a Keras
backend is fixed per process). The TensorFlow run of the suite covers every
test; these pick one test per contract, so that the whole suite stays quick. No
wall-clock limit: a busy machine is slower, never wrong."""

import subprocess
import sys
from pathlib import Path

import keras
import pytest

from tests.backend_env import backend_env

TESTS = Path(__file__).parents[1]

CONTRACTS = [
    "layers/test_random_style_transfer.py::test_shape_dtype_and_range_kept",
    "layers/test_random_style_transfer.py::test_identity_at_inference_and_for_rate_zero",
    "layers/test_random_style_transfer.py::test_same_seed_same_output",
    "layers/test_random_style_transfer.py::test_replaying_a_transformation",
    "layers/test_random_style_transfer.py::test_class_styles_applies_the_right_network",
    "layers/test_random_style_transfer.py::test_mixed_precision",
    "layers/test_random_style_transfer.py::test_keras_save_and_reload_keeps_weights",
    "layers/test_random_style_transfer.py::test_one_network_call_per_batch_on_ceil_rate_images",
    "layers/test_random_style_transfer.py::test_explicit_int_seed_draws_every_style_and_the_full_strength_range",
    "layers/test_random_style_transfer.py::test_the_callers_network_is_left_untouched",
    "layers/test_random_style_transfer.py::test_labels_that_do_not_fit_are_refused",
    "layers/test_random_style_transfer.py::test_a_non_finite_pixel_stays_local",
    "layers/test_random_style_transfer.py::test_tf_data_map_under_any_backend",
    "layers/test_random_style_transfer.py::test_the_readme_pipeline_recipe_in_tf_data",
    "layers/test_style_mixing.py::test_each_image_gets_its_drawn_style_or_mix",
    "networks/test_transformer_net.py::test_odd_sizes_are_reflection_padded_then_cropped_back",
    "networks/test_transformer_net.py::test_pre_tanh_output_is_what_tanh_maps_to_the_image",
    "networks/test_transformer_net.py::test_weights_file_round_trip_infers_architecture",
    "networks/test_phase_layout.py::test_matches_the_plain_layout_with_style_mixes",
    "selection/test_grad_cam.py::test_heatmap_lies_where_the_model_looks",
    "selection/test_grad_cam.py::test_a_base_model_called_inside_the_classifier_is_explained_inside",
    "layers/test_random_style_transfer.py::test_separate_networks_share_the_batch_instead_of_each_running_on_all",
    "research/test_compiled_models.py::test_a_reused_model_trains_like_a_fresh_one_without_recompiling",
    "layers/test_random_style_transfer.py::test_from_config_and_clone_model_give_back_the_trained_networks",
    "layers/test_random_style_transfer.py::test_the_pixel_range_guard_also_runs_in_traced_calls",
    "docs/test_readme.py::test_readme_blocks_run_as_written",
    "layers/test_properties.py::test_the_layer_traced_by_jax_jit",
    "training/test_style_trainer.py::test_kill_and_resume_restores_steps_and_optimizer",
]  # fmt: skip

# JAX on CPU compiles every new shape for seconds: there, the contracts that
# the rest of the suite does not run on JAX (the cats-vs-dogs experiment
# trains with the layer, class styles and Grad-CAM under JAX).
JAX_CONTRACTS = [
    c
    for c in CONTRACTS
    if c.split("::")[1]
    in (
        "test_keras_save_and_reload_keeps_weights",
        "test_explicit_int_seed_draws_every_style_and_the_full_strength_range",
        "test_tf_data_map_under_any_backend",
        "test_the_readme_pipeline_recipe_in_tf_data",
        "test_a_reused_model_trains_like_a_fresh_one_without_recompiling",
        "test_pre_tanh_output_is_what_tanh_maps_to_the_image",
        "test_the_pixel_range_guard_also_runs_in_traced_calls",
        "test_readme_blocks_run_as_written",
        "test_the_layer_traced_by_jax_jit",
    )
] + [CONTRACTS[-1] + "[one style]"]  # StyleTrainer: train, kill, resume


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_contracts_on_other_backends(backend, tmp_path):
    if keras.backend.backend() == backend:
        pytest.skip(f"the suite itself runs on {backend}")
    pytest.importorskip(backend, reason=f"{backend} is not installed")
    result = subprocess.run(
        # One process (-n 0): the suite's two workers already fill the
        # machine, and two more would each import and compile again (CPU
        # time of the JAX contracts 126 -> 100 s, PyTorch 65 -> 30 s).
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
         *[str(TESTS / c) for c in (JAX_CONTRACTS if backend == "jax" else CONTRACTS)]],
        env=backend_env(backend, tmp_path),
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
