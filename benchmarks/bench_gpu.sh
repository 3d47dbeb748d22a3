#!/usr/bin/env bash
# The GPU check, run by hand on a machine with a CUDA device and the pipeline installed:
#
#     bash benchmarks/bench_gpu.sh OUT [SCALE]
#
# 1. tests/training/test_gpu.py: training on the GPU gives the CPU's numbers (stops here if not);
# 2. the CI profile (workflow/configs/ci.yaml) with training.accelerator gpu, slopes sorted and
#    fused, then on the CPU cores alone, each from an empty results/, timed wall, and checked
#    against results/reference/ci (the CPU's reference: the check prints how far each is);
# 3. the population benchmark with --accelerator gpu, slopes sorted and fused (SCALE: its --scale).
# Logs and timings go to OUT; docs/benchmarks.md records what it printed, with the device named.
set -uo pipefail
out=$(realpath -m "${1:?usage: bench_gpu.sh OUT [SCALE]}")
scale=${2:-1.0}
mkdir -p "$out"
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
export PYTHONUNBUFFERED=1

"$py" -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0), flush=True)" \
  || { echo "no CUDA device"; exit 1; }
"$py" -m pytest -q -p no:cacheprovider tests/training/test_gpu.py 2>&1 | tee "$out/test_gpu.log" || exit 1

profile() {  # name, accelerator, slopes
  local work config
  work=$(mktemp -d)
  config="$work/device.yaml"
  printf 'training: {accelerator: %s, slopes: %s}\n' "$2" "$3" >"$config"
  local start end
  start=$(date +%s.%N)
  "$py" -m snakemake --cores all --configfile workflow/configs/ci.yaml "$config" -d "$work" \
    >"$out/ci_$1.log" 2>&1
  local rc=$?
  end=$(date +%s.%N)
  echo "CI profile, $1 (accelerator $2, slopes $3): rc $rc, wall $("$py" -c "print(round($end - $start, 1))") s" | tee -a "$out/ci.txt"
  [ $rc -eq 0 ] || tail -30 "$out/ci_$1.log"
  "$py" -m hrta.pipeline.reference check "$work/results" results/reference/ci 2>&1 | tail -15 | tee -a "$out/ci.txt"
  rm -rf "$work"
}
profile gpu_sorted gpu sorted
profile gpu_fused gpu fused
profile cpu_sorted cpu sorted

for slopes in sorted fused; do
  cells="sin1d_m100 sin1d_m1e3 sin1d_m1e4"
  [ "$slopes" = sorted ] && cells="$cells ritz_m1e3"  # the Ritz cell uses the fused kernel either way
  "$py" benchmarks/bench_population.py --accelerator gpu --slopes "$slopes" --cells $cells --sequential 1 \
    --scale "$scale" 2>&1 | tee "$out/population_$slopes.log"
done
