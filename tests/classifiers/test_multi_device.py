import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).with_name("multi_device_check.py")


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_two_devices_give_the_single_device_loss(backend):
    pytest.importorskip(backend)
    env = dict(
        os.environ,
        KERAS_BACKEND=backend,
        XLA_FLAGS="--xla_force_host_platform_device_count=2",
        TF_CPP_MIN_LOG_LEVEL="3",
    )
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(out["devices"]) == 2
    np.testing.assert_allclose(out["multi"], out["single"], rtol=1e-3)
    assert out["single"][-1] != out["single"][0]  # it trained
