#!/bin/bash
# minetd-sup -t on the keys that become the minetd-limit link (rlimit_*,
# nice, umask, chroot, no_new_privs, process_group, env, passenv,
# time_limit, time_limit_grace): each prints its option in the chain,
# minetd-limit the last link before the program; user= moves onto
# minetd-limit with chroot= or a negative nice=; every bad value is
# "file:line: reason", exit 100.
. "$(dirname "$0")/../lib.sh"
SUP=$B/minetd-sup
# user=nobody checks the program as nobody: not in the checkout, which may
# be private (mode 0700), but in a public copy of the build
public_build; EX=$PUB/examples
F=$T/c.conf

. "$(dirname "$0")/check.sh"

chain "service e 127.0.0.1:7000 0 rlimit_as=512m:1g rlimit_core=0 rlimit_data=256m:unlimited rlimit_fsize=1m:2m rlimit_files=64:128 rlimit_nproc=500:600 rlimit_stack=8m rlimit_cpu=30:40 $EX/echo-server" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-limit -a 512m:1g -c 0 -d 256m:unlimited -f 1m:2m -o 64:128 -p 500:600 -s 8m -t 30:40 $EX/echo-server" \
  "conf_rlimit_keys_become_minetd_limit_options"
chain "service e 127.0.0.1:7000 0 nice=7 umask=027 no_new_privs=yes process_group=yes env=SET=yes 'env=TWO=a b' passenv=KEEP,LANG passenv=TERM time_limit=30 time_limit_grace=2 $EX/echo-server" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-limit -n 7 -M 027 -N -P -e SET=yes -e 'TWO=a b' -x KEEP -x LANG -x TERM -T 30 -k 2 $EX/echo-server" \
  "conf_sandbox_keys_become_minetd_limit_options"
chain "service e 127.0.0.1:7000 0 process_group=session umask=0 nice=-5 $EX/echo-server" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-limit -n -5 -M 000 -S $EX/echo-server" "conf_session_umask_zero_negative_nice"
chain "service e 127.0.0.1:7000 0 no_new_privs=no process_group=no $EX/echo-server" \
  "/B/minetd-tcp 127.0.0.1 7000 $EX/echo-server" "conf_defaults_written_out_add_no_link"
# after rules and rate, before the program (and before minetd-internal)
printf 'allow 127.0.0.1\n' >"$T/r.rules"
chain "service e 127.0.0.1:7000 5 rules=$T/r.rules rlimit_files=32 $EX/echo-server -x" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-env -r $T/r.rules /B/minetd-rate -n 5 -w 60 -f /run/minetd/e.rate /B/minetd-limit -o 32 $EX/echo-server -x" \
  "conf_minetd_limit_is_the_last_link_before_the_program"
chain "service e 127.0.0.1:7000 0 rlimit_cpu=5 internal:echo" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-limit -t 5 /B/minetd-internal echo" "conf_minetd_limit_before_minetd_internal"
chain "service u 127.0.0.1:7000/udp 0 wait=no time_limit=9 $EX/echo-server" \
  "/B/minetd-udp -n 127.0.0.1 7000 /B/minetd-limit -T 9 $EX/echo-server" "conf_udp_nowait_time_limit"
chain "service w 127.0.0.1:7000 0 wait=yes rlimit_files=99 $EX/echo-server" \
  "/B/minetd-tcp -w 127.0.0.1 7000 /B/minetd-limit -o 99 $EX/echo-server" "conf_wait_service_takes_the_other_limits"

# credentials: on the launcher as before, on minetd-limit when the
# connection process needs root first (chroot=, a negative nice=)
u=$(id -u nobody) g=$(id -g nobody)
check "service e 127.0.0.1:7000 0 user=nobody $EX/echo-server"
G=$(printf '%s\n' "$OUT" | sed -n 's/.* -G \([^ ]*\) .*/\1/p')
chain "service e 127.0.0.1:7000 0 user=nobody nice=3 $EX/echo-server" \
  "/B/minetd-tcp -u $u -g $g -G $G 127.0.0.1 7000 /B/minetd-limit -n 3 $EX/echo-server" "conf_user_stays_on_the_launcher"
chain "service e 127.0.0.1:7000 0 user=nobody nice=-3 $EX/echo-server" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-limit -n -3 -u $u -g $g -G $G $EX/echo-server" "conf_negative_nice_moves_user_to_minetd_limit"
# the jail under $T, which is 0700: nobody checks the program from inside
mkdir -p "$T/jail/bin" "$T/jail/usr/bin"; chmod 700 "$T"; chmod 755 "$T/jail" "$T/jail/bin"
cp "$EX/echo-server" "$T/jail/bin/echo-server"; chmod 755 "$T/jail/bin/echo-server"
chain "service e 127.0.0.1:7000 0 user=nobody chroot=$T/jail /bin/echo-server" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-limit -/ $T/jail -u $u -g $g -G $G /bin/echo-server" "conf_chroot_moves_user_to_minetd_limit"
cp "$EX/echo-server" "$T/jail/bin/private"; chmod 700 "$T/jail/bin/private"
if [ "$(id -u)" = 0 ]; then
  err conf_chroot_program_not_executable_by_the_user "service e 127.0.0.1:7000 0 user=nobody chroot=$T/jail /bin/private" \
    "program /bin/private inside chroot $T/jail: not executable by user nobody: Permission denied"
else
  skip "checking the program as another user needs root"
fi
# a run script: minetd-rate runs as the script's user, who keeps the file
printf '%s\n' "service e 127.0.0.1:7000 5 user=nobody chroot=$T/jail /bin/echo-server" >"$F"
"$SUP" --generate-s6 "$T/gen" -c "$F" -R /run/minetd -B /B >/dev/null 2>&1
like "$(cat "$T/gen/e/run" 2>/dev/null)" 'chown -h "\$\(id -u\):\$\(id -g\)" "\$f"' "conf_generate_late_drop_rate_file_stays_the_scripts"
like "$(cat "$T/gen/e/run" 2>/dev/null)" "exec /B/minetd-tcp -d 3 127.0.0.1 7000 /B/minetd-rate .* /B/minetd-limit -/ $T/jail -u $u -g $g -G $G /bin/echo-server\$" "conf_generate_builds_the_same_chain"
check "service e 127.0.0.1:7000 0 chroot=$T/jail echo-server"
like "$OUT" "/B/minetd-limit -/ $T/jail /bin/echo-server\$" "conf_chroot_bare_program_found_in_path_inside_the_chroot"

# every bad value, with minetd-limit's reason
err conf_rlimit_negative "service e 127.0.0.1:7000 0 rlimit_as=-1 $EX/echo-server" 'invalid rlimit_as="-1": negative value'
err conf_rlimit_overflow "service e 127.0.0.1:7000 0 rlimit_data=99999999999999999999 $EX/echo-server" 'invalid rlimit_data="99999999999999999999": value too large'
err conf_rlimit_unit_overflow "service e 127.0.0.1:7000 0 rlimit_stack=99999999999g $EX/echo-server" 'invalid rlimit_stack="99999999999g": value too large'
err conf_rlimit_unknown_unit "service e 127.0.0.1:7000 0 rlimit_fsize=8x $EX/echo-server" 'invalid rlimit_fsize="8x": unknown unit (k, m or g)'
err conf_rlimit_unit_on_a_count "service e 127.0.0.1:7000 0 rlimit_files=1k $EX/echo-server" 'invalid rlimit_files="1k": not a number (no unit suffix for a count or seconds)'
err conf_rlimit_soft_above_hard "service e 127.0.0.1:7000 0 rlimit_nproc=100:10 $EX/echo-server" 'invalid rlimit_nproc="100:10": soft limit above the hard limit'
err conf_rlimit_empty "service e 127.0.0.1:7000 0 rlimit_cpu= $EX/echo-server" 'invalid rlimit_cpu="": empty value'
err conf_rlimit_nofile_hint "service e 127.0.0.1:7000 0 rlimit_nofile=3 $EX/echo-server" 'unknown option "rlimit_nofile" (did you mean "rlimit_files"?)'
err conf_nice_too_low "service e 127.0.0.1:7000 0 nice=-21 $EX/echo-server" 'invalid nice="-21": expected an integer from -20 to 19'
err conf_nice_too_high "service e 127.0.0.1:7000 0 nice=20 $EX/echo-server" 'invalid nice="20": expected an integer from -20 to 19'
err conf_umask_not_octal "service e 127.0.0.1:7000 0 umask=0778 $EX/echo-server" 'invalid umask="0778": expected an octal umask from 0 to 0777'
err conf_umask_too_large "service e 127.0.0.1:7000 0 umask=1000 $EX/echo-server" 'invalid umask="1000": expected an octal umask from 0 to 0777'
err conf_chroot_relative "service e 127.0.0.1:7000 0 chroot=jail /bin/echo-server" 'invalid chroot="jail": expected an absolute directory'
err conf_chroot_missing "service e 127.0.0.1:7000 0 chroot=$T/none /bin/echo-server" "chroot directory $T/none: No such file or directory"
: >"$T/file"
err conf_chroot_not_a_directory "service e 127.0.0.1:7000 0 chroot=$T/file /bin/echo-server" "chroot directory $T/file: not a directory"
mkdir -p "$T/gw/bin" "$T/ow/bin" "$T/wp/inner/bin"; chmod 775 "$T/gw"; chmod 757 "$T/ow"; chmod 777 "$T/wp"; chmod 755 "$T/wp/inner"
err conf_chroot_group_writable "service e 127.0.0.1:7000 0 chroot=$T/gw /bin/echo-server" "refusing chroot directory: $T/gw is writable by group or others"
err conf_chroot_world_writable "service e 127.0.0.1:7000 0 chroot=$T/ow /bin/echo-server" "refusing chroot directory: $T/ow is writable by group or others"
err conf_chroot_parent_writable "service e 127.0.0.1:7000 0 chroot=$T/wp/inner /bin/echo-server" "refusing chroot directory: $T/wp is writable by group or others"
err conf_chroot_program_missing_inside "service e 127.0.0.1:7000 0 chroot=$T/jail /bin/nope" "program /bin/nope inside chroot $T/jail: No such file or directory"
err conf_chroot_program_relative "service e 127.0.0.1:7000 0 chroot=$T/jail bin/echo-server" "program bin/echo-server: with chroot= write the program's absolute path inside the chroot, or a name found in PATH there"
err conf_chroot_internal "service e 127.0.0.1:7000 0 chroot=$T/jail internal:echo" "chroot= does not apply to an internal service: minetd-internal would be run inside the chroot, where it is not"
err conf_env_bad_name "service e 127.0.0.1:7000 0 env=1A=x $EX/echo-server" 'invalid env="1A=x": expected env=VAR=VALUE, VAR of letters, digits and _, not starting with a digit'
err conf_env_no_value "service e 127.0.0.1:7000 0 env=NOVALUE $EX/echo-server" 'invalid env="NOVALUE": expected env=VAR=VALUE, VAR of letters, digits and _, not starting with a digit'
err conf_passenv_bad_name "service e 127.0.0.1:7000 0 passenv=A,,B $EX/echo-server" 'invalid passenv="A,,B": expected NAME[,NAME...], each of letters, digits and _, not starting with a digit'
err conf_time_limit_with_wait "service e 127.0.0.1:7000 0 wait=yes time_limit=5 $EX/echo-server" 'time_limit= does not apply to a service with wait=yes: one program serves every connection (wait=no gives each its own)'
err conf_time_limit_udp_wait "service e 127.0.0.1:7000/udp 0 time_limit=5 $EX/echo-server" 'time_limit= does not apply to a service with wait=yes: one program serves every connection (wait=no gives each its own)'
err conf_time_limit_zero "service e 127.0.0.1:7000 0 time_limit=0 $EX/echo-server" 'invalid time_limit="0": expected an integer from 1 to 31536000'
err conf_time_limit_negative "service e 127.0.0.1:7000 0 time_limit=-3 $EX/echo-server" 'invalid time_limit="-3": expected an integer from 1 to 31536000'
err conf_grace_without_time_limit "service e 127.0.0.1:7000 0 time_limit_grace=5 $EX/echo-server" 'time_limit_grace= without time_limit=: there is no time limit to give a grace period to'
err conf_time_limit_without_group "service e 127.0.0.1:7000 0 time_limit=5 process_group=no $EX/echo-server" "time_limit= with process_group=no: the time limit ends the connection's process group, which it must have"
err conf_process_group_bad "service e 127.0.0.1:7000 0 process_group=maybe $EX/echo-server" 'invalid process_group="maybe": expected yes, no or session'
err conf_no_new_privs_bad "service e 127.0.0.1:7000 0 no_new_privs=perhaps $EX/echo-server" 'invalid no_new_privs="perhaps": expected yes or no'
err conf_rlimit_twice "service e 127.0.0.1:7000 0 rlimit_as=1m rlimit_as=2m $EX/echo-server" 'option "rlimit_as" given twice'
env65=$(for i in $(seq 65); do printf 'env=V%s=1 ' "$i"; done)
err conf_env_at_most_64 "service e 127.0.0.1:7000 0 $env65$EX/echo-server" 'too many env= variables (at most 64)'
done_testing
