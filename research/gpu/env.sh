# Sourced by the device scripts: Keras from the carried wheels (the GPU
# machines have JAX but no Keras and no TensorFlow), the JAX backend, the
# carried assets, and $OUT (what comes back).
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
if ! python3 -c "import keras, optree, namex" 2>/dev/null; then
  if [ ! -d /tmp/site/keras ]; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
      --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
  fi
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$PWD KERAS_BACKEND=jax \
  KSA_ASSETS=$PWD/.gpu/assets PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=3
# Photos travel as one .tgz per folder (prepare_carry.py): unpack each once.
for archive in .gpu/assets/*.tgz .gpu/assets/*/*.tgz; do
  if [ -f "$archive" ] && [ ! -d "${archive%.tgz}" ]; then
    tar xzf "$archive" -C "$(dirname "$archive")" || exit 1
  fi
done
# Each script names the carried files it needs; a missing one (the machine
# went back between calls and a new one started bare) stops it at once.
need() {
  for path in "$@"; do
    if [ ! -e "$path" ]; then
      echo "missing $path: an earlier call carries or makes it (DEVELOPERS.md)" | tee -a "$OUT/missing.txt"
      exit 3
    fi
  done
}
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader > "$OUT/machine.txt" 2>&1
python3 -c "import jax, keras; print(jax.__version__, keras.__version__, jax.devices())" >> "$OUT/machine.txt" 2>&1
