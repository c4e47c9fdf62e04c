# Sourced by the tests that look at the limits from inside a connection
# (minetd-limit/limits.t, minetd-tcp/limit.t): the limit set they apply and
# what limitprobe then prints, the same for the exec'd and the fused link.
LIMIT_OPTS=(-a 512m:1g -c 0 -d 256m:unlimited -f 1m:2m -o 64:128 -p 500:600 -s 8m:16m -t 30:40
  -n 7 -M 027 -N -P -e SET=yes -x KEEP)
limit_want () {   # RULE USER: limitprobe's report under LIMIT_OPTS
  printf '%s\n' "as=536870912:1073741824" "core=0:$(ulimit -Hc)" "data=268435456:unlimited" \
    "fsize=1048576:2097152" "nofile=64:128" "nproc=500:600" "stack=8388608:16777216" "cpu=30:40" \
    "nice=7" "pgrp=own" "session=other" "umask=0027" "nnp=1" \
    "SET=yes KEEP=kept DROP=unset PROTO=TCP TCPREMOTEIP=127.0.0.1 PATH=set"
  printf 'RULE=%s UDPREMOTEIP=unset USER=%s' "$1" "$2"
}
