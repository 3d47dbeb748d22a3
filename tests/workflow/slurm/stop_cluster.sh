#!/usr/bin/env bash
# Stop the test cluster of start_cluster.sh: cancel its jobs, then end slurmd, slurmctld and
# munged by their pid files (in that order) and wait for them to exit; remove the slurm.conf
# it wrote (with the config left behind and no controller, every `scontrol show config`, run by
# the SLURM executor plugin whenever Snakemake starts, waits 9 s). Safe to call twice.
set -uo pipefail
DIR=${HRTA_SLURM_DIR:-/tmp/hrta-slurm}

if [ -s "$DIR/slurmctld.pid" ] && command -v scancel >/dev/null; then
  scancel --partition="${HRTA_SLURM_PARTITION:-hrta}" 2>/dev/null || true
fi
for daemon in slurmd slurmctld munged; do
  pidfile="$DIR/$daemon.pid"
  [ -s "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$pidfile"
done
CONF=/etc/slurm/slurm.conf
if [ -f "$CONF" ] && grep -qF "# written by hrta tests/workflow/slurm/start_cluster.sh" "$CONF"; then
  rm -f "$CONF"
fi
echo "== SLURM test cluster stopped"
