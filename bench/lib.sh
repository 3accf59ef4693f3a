# Shared by the benchmark scripts; source it after setting TMP.

# start_registry DATA_DIR: a docker-registry on a free 127.0.0.1 port storing
# under DATA_DIR; sets REG (host:port) and REG_PID (kill it on exit), and
# returns once the registry answers /v2/.
start_registry() {
  local data=$1 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$data"
  cat >"$TMP/registry-config.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $data
http:
  addr: 127.0.0.1:$port
YML
  docker-registry serve "$TMP/registry-config.yml" >"$TMP/registry.log" 2>&1 &
  REG_PID=$!
  REG="127.0.0.1:$port"

  for _ in $(seq 100); do
    curl -fs "http://$REG/v2/" >/dev/null && return 0
    sleep 0.1
  done
  echo "docker-registry did not start: $(cat "$TMP/registry.log")" >&2
  return 1
}
