"""What machine a result was measured on: one description for benchmarks,
trained weights and experiments."""

import os
import platform

import keras


def machine():
    """Backend, versions, CPU and accelerator of this process, as a dict."""
    info = {
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "device": f"CPU ({platform.processor() or platform.machine()})",
    }
    if info["backend"] == "jax":
        import jax

        info["jax"] = jax.__version__
        device = jax.devices()[0]
        if device.platform != "cpu":
            info["device"] = str(device.device_kind)
    elif info["backend"] == "tensorflow":
        import tensorflow as tf

        info["tensorflow"] = tf.__version__
        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            info["device"] = gpus[0].name
    elif info["backend"] == "torch":
        import torch

        info["torch"] = torch.__version__
        if torch.cuda.is_available():
            info["device"] = torch.cuda.get_device_name(0)
    return info


def device_name():
    """The accelerator's name, or `CPU (<processor>)`."""
    return machine()["device"]
