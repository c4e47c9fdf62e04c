#!/bin/bash
# rules_default= in minetd.conf chooses what happens to a client no rule
# matches: allow lets it in, deny (and no rules_default= at all: a rules
# file is an allow-list) refuses it, logged as "rule default".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
# no rule for 127.0.0.1
printf 'deny 192.0.2.1\nallow 10.0.0.0/8\n' >"$T/r.rules"
cat >"$T/conf" <<CONF
service open    127.0.0.1:$P1 0 rules=r.rules rules_default=allow $EX/hello-server
service plain   127.0.0.1:$P2 0 rules=r.rules $EX/hello-server
service closed  127.0.0.1:$P3 0 rules_default=deny rules=r.rules $EX/hello-server
CONF
start_sup "$T/log" "$T/conf"; ok $? "rules_default_sup_started"
like "$(fetch 127.0.0.1 "$P1")" '^hello 127\.0\.0\.1' "rules_default_allow_serves_an_unmatched_client"
is "$(fetch 127.0.0.1 "$P2")" "" "rules_default_not_given_denies_an_unmatched_client"
is "$(fetch 127.0.0.1 "$P3")" "" "rules_default_deny_denies_an_unmatched_client"
logged() { [ "$(grep -c "minetd-env: info: deny 127\.0\.0\.1 port [0-9]* rule default" "$T/log")" -ge 2 ]; }
wait_until 5 logged; ok $? "rules_default_denials_logged_as_rule_default"
stop "$SUP_PID"
done_testing
