#!/usr/bin/env bash
# Start a single-node SLURM cluster on this machine (root, Debian, no systemd) for the tests.
# Installs munge + SLURM from Debian if missing, writes /etc/slurm/slurm.conf (the jobstep
# plugin needs it there: it drops SLURM_CONF before its inner srun), starts munged, slurmctld
# and slurmd with pid files under $HRTA_SLURM_DIR, and waits until the node is idle.
# Stop with tests/workflow/slurm/stop_cluster.sh (same $HRTA_SLURM_DIR).
set -euo pipefail
DIR=${HRTA_SLURM_DIR:-/tmp/hrta-slurm}
CONF=/etc/slurm/slurm.conf
MARK="# written by hrta tests/workflow/slurm/start_cluster.sh"
PARTITION=${HRTA_SLURM_PARTITION:-hrta}
HERE=$(cd "$(dirname "$0")" && pwd)
started=0
trap '[ "$started" = 1 ] || bash "$HERE/stop_cluster.sh"' EXIT  # undo a half-done start

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  echo "== installing slurmctld slurmd slurm-client munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge >/dev/null
fi
if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  echo "refusing to overwrite $CONF: it was not written by this script" >&2
  exit 3
fi

mkdir -p "$DIR"/{state,spool,log}
host=$(hostname -s)
cpus=$(nproc)
mem=$(free -m | awk '/^Mem:/ {print int($2 * 0.9)}')
mkdir -p /etc/slurm
cat >"$CONF" <<EOF
$MARK
ClusterName=hrta-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
MinJobAge=300
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
# one line per finished job (id, state, node): the test's evidence that jobs ran here
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.log
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem State=UNKNOWN
PartitionName=$PARTITION Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

# munged runs as the munge user; its key comes with the package (or is made here).
[ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create
mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
if ! munge -n >/dev/null 2>&1; then  # not running yet: start it and own its pid file
  runuser -u munge -- munged
  cp /run/munge/munged.pid "$DIR/munged.pid"
fi
slurmctld
slurmd

for _ in $(seq 60); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  if [ "$state" = idle ]; then
    echo "== SLURM node $host idle (partition $PARTITION, $cpus CPUs)"
    started=1
    exit 0
  fi
  sleep 0.5
done
echo "SLURM node did not become idle (state: '${state:-none}')" >&2
tail -n 20 "$DIR"/log/*.log >&2 || true
exit 1
