#!/usr/bin/env bash
# A real single-node Slurm cluster for tests and local trials, entirely under one state directory
# (default ${TMPDIR:-/tmp}/strata-slurm, or $STRATA_SLURM_DIR): its own slurm.conf, munge key,
# spool/state/log directories, pid files and free ports. No cgroups and no systemd: processes
# are tracked through /proc (proctrack/linuxproc), accounting is gathered from /proc
# (jobacct_gather/linux), and there is no slurmdbd, so `sacct` answers "accounting disabled".
#
#   scripts/slurm-cluster.sh start   installs slurm-wlm and munge when missing, starts munged,
#                                    slurmctld and slurmd (as root), waits until the node is idle
#                                    and prints the environment a client needs (SLURM_CONF=...);
#                                    does nothing but print it when the cluster already runs
#   scripts/slurm-cluster.sh install installs slurm-wlm and munge when missing (nothing else)
#   scripts/slurm-cluster.sh env     prints that environment (fails when the cluster is down)
#   scripts/slurm-cluster.sh stop    stops the daemons and waits for them to exit
#   scripts/slurm-cluster.sh status  exits 0 when the cluster answers
#
# Eval the output to use it: eval "$(scripts/slurm-cluster.sh start)".
set -euo pipefail

STATE_DIR="${STRATA_SLURM_DIR:-${TMPDIR:-/tmp}/strata-slurm}"
CONF="$STATE_DIR/etc/slurm.conf"
# How long the daemons may take to bring the node up.
START_TIMEOUT_S="${STRATA_SLURM_START_TIMEOUT:-60}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

log() { echo "slurm-cluster: $*" >&2; }
die() {
  log "$*"
  exit 1
}

install_packages() {
  if command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 &&
    command -v sbatch >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then
    return
  fi
  log "installing Debian's slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends slurm-wlm munge >&2 ||
    { $SUDO apt-get update >&2 && $SUDO apt-get install -y --no-install-recommends slurm-wlm munge >&2; }
}

# Whether the process in pid file $1 runs.
running() { [ -s "$1" ] && $SUDO kill -0 "$(cat "$1")" 2>/dev/null; }

# A TCP port nothing listens on (bash's /dev/tcp connects; a refused connection means free).
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free TCP port found"
}

print_env() {
  echo "export SLURM_CONF=$CONF"
}

cluster_answers() {
  [ -f "$CONF" ] && SLURM_CONF="$CONF" sinfo --noheader --format=%T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'
}

write_config() {
  local node cpus memory_mb ctld_port slurmd_port
  node="$(hostname -s)"
  cpus="$(nproc)"
  # Leave room for the rest of the machine; Slurm only schedules by it (nothing enforces it).
  memory_mb=$(($(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo) * 8 / 10))
  ctld_port="$(free_port)"
  slurmd_port="$(free_port)"
  while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port="$(free_port)"; done
  mkdir -p "$STATE_DIR"/{etc,munge,state,spool,log,run,jobs}
  # munged refuses keys and sockets in directories others may write to; the key stays private
  # to root, the socket (in run/) must be reachable by every user who submits jobs.
  chmod 755 "$STATE_DIR" "$STATE_DIR/etc" "$STATE_DIR/run"
  chmod 700 "$STATE_DIR/munge"
  # Job output lands here; jobs run as the submitting user, who must be able to write.
  chmod 1777 "$STATE_DIR/jobs"
  if [ ! -s "$STATE_DIR/munge/munge.key" ]; then
    dd if=/dev/urandom of="$STATE_DIR/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$STATE_DIR/munge/munge.key"
  fi
  cat >"$CONF" <<EOF
# Written by scripts/slurm-cluster.sh: a single-node cluster under $STATE_DIR.
ClusterName=strata
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$STATE_DIR/run/munge.socket
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/run/slurmctld.pid
SlurmdPidFile=$STATE_DIR/run/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups here: track processes through /proc, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=5
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Jobs without --mem get 256 MB per CPU instead of the whole node, so they run side by side.
DefMemPerCPU=256
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
# Finished jobs stay visible to scontrol for a day (there is no slurmdbd to ask later).
MinJobAge=86400
# Killed jobs get SIGKILL 5 s after SIGTERM; time limits are not extended.
KillWait=5
OverTimeLimit=0
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

start_daemons() {
  if ! running "$STATE_DIR/run/munged.pid"; then
    $SUDO munged --force \
      --key-file="$STATE_DIR/munge/munge.key" \
      --socket="$STATE_DIR/run/munge.socket" \
      --pid-file="$STATE_DIR/run/munged.pid" \
      --log-file="$STATE_DIR/log/munged.log" \
      --seed-file="$STATE_DIR/munge/munged.seed"
  fi
  if ! running "$STATE_DIR/run/slurmctld.pid"; then
    # -c: a fresh controller state (jobs of a previous start are gone with its processes).
    $SUDO env SLURM_CONF="$CONF" slurmctld -c -f "$CONF"
  fi
  if ! running "$STATE_DIR/run/slurmd.pid"; then
    $SUDO env SLURM_CONF="$CONF" slurmd -f "$CONF"
  fi
}

wait_idle() {
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until cluster_answers; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "the node did not become idle in ${START_TIMEOUT_S}s; logs follow"
      tail -n 20 "$STATE_DIR"/log/*.log >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

stop_pidfile() {
  local file="$1" pid
  running "$file" || return 0
  pid="$(cat "$file")"
  $SUDO kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    $SUDO kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid ($file) did not exit on SIGTERM; sending SIGKILL"
  $SUDO kill -9 "$pid" 2>/dev/null || true
}

# Cancels every job of the cluster and waits (bounded) until they are gone, so that no job's
# processes outlive the daemons.
cancel_jobs() {
  cluster_answers || return 0
  local partition
  partition="$(SLURM_CONF="$CONF" sinfo --noheader --format=%R | head -n 1)"
  SLURM_CONF="$CONF" scancel --partition="$partition" 2>/dev/null || true
  for _ in $(seq 1 150); do
    [ -z "$(SLURM_CONF="$CONF" squeue --noheader --format=%i 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  log "jobs still listed 15s after scancel; stopping the daemons anyway"
}

case "${1:-}" in
start)
  if running "$STATE_DIR/run/slurmctld.pid" && cluster_answers; then
    print_env
    exit 0
  fi
  install_packages
  started=$SECONDS
  # A previous start's daemons may be half up: stop them and write a fresh configuration.
  stop_pidfile "$STATE_DIR/run/slurmd.pid"
  stop_pidfile "$STATE_DIR/run/slurmctld.pid"
  write_config
  start_daemons
  wait_idle
  log "cluster up in $((SECONDS - started))s under $STATE_DIR"
  print_env
  ;;
install)
  install_packages
  ;;
env)
  cluster_answers || die "no cluster runs under $STATE_DIR; run: $0 start"
  print_env
  ;;
status)
  cluster_answers
  ;;
stop)
  cancel_jobs
  stop_pidfile "$STATE_DIR/run/slurmd.pid"
  stop_pidfile "$STATE_DIR/run/slurmctld.pid"
  stop_pidfile "$STATE_DIR/run/munged.pid"
  log "stopped the cluster under $STATE_DIR"
  ;;
*)
  echo "usage: $0 start|stop|env|status|install" >&2
  exit 2
  ;;
esac
