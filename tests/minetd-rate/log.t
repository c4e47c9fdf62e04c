#!/bin/bash
# minetd-rate logs refusals without letting a flood flood the log: the first
# refusal gets its own line, the rest at most one summary line a second with
# counts per source prefix, shared by all processes through the state file.
. "$(dirname "$0")/../lib.sh"
R=$B/minetd-rate
S=$T/state
L=$T/log
export TCPREMOTEPORT=5555
try() { TCPREMOTEIP=$1 "$R" -s 1 -f "$S" echo admitted 2>>"$L"; }

is "$(try 127.0.0.1)" admitted "rate_first_source_admitted"
t0=$(date +%s.%N)
out=$(for i in $(seq 60); do try 127.0.0.2; done; for i in $(seq 20); do try 127.0.0.3; done)
t1=$(date +%s.%N)
is "$(printf '%s\n' "$out" | grep -c admitted)" 2 "rate_each_flooder_admitted_once"
like "$(head -n 1 "$L")" '^minetd-rate: info: refuse 127\.0\.0\.2 port 5555: source limit 1 per 60s for 127\.0\.0\.2/32$' \
  "rate_first_refusal_logged_alone_with_reason"
lines=$(wc -l <"$L")
allowed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print 1 + int(b - a + 0.999) }')
ok $(( lines > allowed )) "rate_78_refusals_at_most_one_log_line_per_second ($lines lines, $allowed allowed)"

# the next process a second later (here an admission) prints the summary
sleep 1.1
is "$(try 127.0.0.9)" admitted "rate_new_source_admitted_after_flood"
like "$(tail -n 1 "$L")" '^minetd-rate: info: refused [0-9]+ in the last [0-9]+ms \(service limit 0, source limit [0-9]+\): 127\.0\.0\.[23]/32 [0-9]+' \
  "rate_summary_line_counts_per_prefix"
total=$(awk '/info: refuse / { n++ } /info: refused / { n += $4 } END { print n }' "$L")
is "$total" 78 "rate_log_accounts_for_every_refusal"
# (a slow machine may have split the flood over several summaries)
# (and a stall of over a second may have given one of them a line alone)
n3=$(grep -o '127\.0\.0\.3/32 [0-9][0-9]*' "$L" | awk '{ n += $2 } END { print n + 0 }')
a3=$(grep -c 'info: refuse 127\.0\.0\.3 ' "$L")
is "$((n3 + a3))" 19 "rate_log_counts_second_source"
n=$(wc -l <"$L")
sleep 1.1
try 127.0.0.10 >/dev/null
is "$(wc -l <"$L")" "$n" "rate_nothing_pending_no_summary"
done_testing
