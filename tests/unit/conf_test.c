/* Unit tests for the minetd.conf parser and the chain it yields (TAP). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/stralloc.h>
#include "mtd_conf.h"
#include "mtd_sup_chain.h"

static unsigned int tests = 0, failed = 0 ;

static void ok (int cond, char const *name)
{
  tests++ ;
  if (!cond) failed++ ;
  printf("%sok %u - %s\n", cond ? "" : "not ", tests, name) ;
}

/* Parses text as file "t.conf"; returns the result, the errors in *errs. */
static int parse (mtd_conf *c, char const *text)
{
  mtd_conf_free(c) ;
  return mtd_conf_parse_text(c, "/tmp/t.conf", text, strlen(text)) ;
}

static int errors_have (mtd_conf *c, char const *needle)
{
  int r ;
  if (!stralloc_0(&c->errors)) return 0 ;
  r = strstr(c->errors.s, needle) != 0 ;
  if (!r) printf("#   errors: %s#   wanted: %s\n", c->errors.s, needle) ;
  c->errors.len-- ;
  return r ;
}

static char const *chain_line (mtd_conf_service const *s, unsigned int flags)
{
  static stralloc words = STRALLOC_ZERO, line = STRALLOC_ZERO ;
  int n ;
  words.len = line.len = 0 ;
  n = mtd_sup_chain(&words, s, "/B", "/run/minetd", flags, -1) ;
  if (n < 0 || !mtd_sup_shell_line(&line, words.s, n) || !stralloc_0(&line)) return "(nomem)" ;
  return line.s ;
}

int main (void)
{
  mtd_conf c = MTD_CONF_ZERO ;
  mtd_conf_service *s ;

  ok(parse(&c, "# comment\n\nservice echo    0.0.0.0:7000 60 /bin/cat\nservice daytime 0.0.0.0:7001 30 /bin/date -u\n") == 1,
     "conf_seed_lines_parse") ;
  ok(c.n == 2 && !strcmp(c.services[0]->name, "echo") && c.services[0]->port == 7000
     && c.services[0]->rate == 60 && c.services[1]->argc == 2 && !strcmp(c.services[1]->argv[1], "-u"),
     "conf_seed_fields") ;
  ok(parse(&c, "service a 127.0.0.1:7000 0 /bin/echo hi # the greeting\nservice b 127.0.0.1:7001 0 /bin/echo \"#not\" '#no' x#y\n") == 1
     && c.services[0]->argc == 2 && c.services[1]->argc == 4 && !strcmp(c.services[1]->argv[1], "#not")
     && !strcmp(c.services[1]->argv[2], "#no") && !strcmp(c.services[1]->argv[3], "x#y"),
     "conf_hash_at_a_word_start_is_a_comment_quoted_one_an_argument") ;
  ok(parse(&c, "service a 127.0.0.1:7000 0 group=root /bin/cat\n") == 0 && errors_have(&c, "t.conf:1: group= needs user="),
     "conf_group_without_user_refused") ;
  ok(parse(&c, "service a 127.0.0.1:7000 0 user=root maxconn=5 persource=2 source_rate=10 prefix4=24 prefix6=48 backlog=64 nodelay=yes keepalive=yes stderr=no refuse=\"421 busy\\r\\n\" /bin/cat -u\n") == 1,
     "conf_all_options_parse") ;
  s = c.services[0] ;
  ok(c.n == 1 && s->maxconn == 5 && s->persource == 2 && s->source_rate == 10 && s->prefix4 == 24
     && s->prefix6 == 48 && s->backlog == 64 && s->nodelay == 1 && s->keepalive == 1 && s->stderr_to_socket == 0
     && s->has_user && s->uid == 0 && !strcmp(s->refuse, "421 busy\\r\\n") && s->argc == 2,
     "conf_option_values") ;
  ok(!strcmp(chain_line(s, 0),
     "/B/minetd-tcp -D -K -c 5 -C 2 -p 24 -P 48 -b 64 -r '421 busy\\r\\n' -u 0 -g 0 -G 0 -i "
     "/B/minetd-rate -w 60 -s 10 -p 24 -P 48 -f /run/minetd/a.rate -m '421 busy\\r\\n' /bin/cat -u"),
     "conf_chain_rules_then_rate_then_program") ;
  ok(parse(&c, "service b [::1]:7000 10 /bin/cat\nservice c *:7001 0 /bin/cat\nservice d localhost:echo 0 /bin/cat\n") == 1,
     "conf_ipv6_star_localhost_service_name") ;
  ok(c.n == 3 && c.services[0]->ip.is6 && !strcmp(c.services[0]->hosttext, "::1") && c.services[1]->dualstack
     && c.services[2]->port == 7, "conf_host_forms_values") ;
  ok(!strcmp(chain_line(c.services[1], MTD_CHAIN_STANDALONE), "/B/minetd-tcp '*' 7001 /bin/cat"),
     "conf_chain_standalone_quotes_star_and_omits_idle_links") ;
  ok(!strcmp(chain_line(c.services[0], 0), "/B/minetd-tcp -i /B/minetd-rate -n 10 -w 60 -f /run/minetd/b.rate /bin/cat"),
     "conf_chain_rate_link_kept_when_rate_set") ;

  /* group= is the primary group whatever the order; the supplementary
     groups are group= and those that list the user, not the user's own
     primary group from passwd */
  ok(parse(&c, "service a 127.0.0.1:7000 0 user=nobody group=daemon /bin/cat\n") == 1
     && c.services[0]->uid == 65534 && c.services[0]->gid == 1 && !strcmp(c.services[0]->gidlist, "1"),
     "conf_group_after_user_is_the_primary_group") ;
  ok(parse(&c, "service a 127.0.0.1:7000 0 group=daemon user=nobody /bin/cat\n") == 1
     && c.services[0]->uid == 65534 && c.services[0]->gid == 1 && !strcmp(c.services[0]->gidlist, "1"),
     "conf_group_before_user_is_the_primary_group") ;
  ok(!strcmp(chain_line(c.services[0], 0), "/B/minetd-tcp -u 65534 -g 1 -G 1 -i /bin/cat"),
     "conf_group_and_user_chain") ;
  ok(parse(&c, "service a 127.0.0.1:7000 0 user=nobody /bin/cat\n") == 1
     && c.services[0]->gid == 65534 && !strcmp(c.services[0]->gidlist, "65534"),
     "conf_user_alone_has_its_primary_group") ;
  ok(parse(&c, "service a 127.0.0.1:7000 0 group=2 user=4000000 /bin/cat\n") == 1
     && c.services[0]->uid == 4000000 && c.services[0]->gid == 2 && !strcmp(c.services[0]->gidlist, ""),
     "conf_group_with_bare_uid") ;

  /* rules_default= is minetd-env's -a or -d; not given, minetd-env's own
     default with -r: deny */
  {
    char rules[] = "/tmp/conf_test.rules.XXXXXX" ;
    char text[256], want[256] ;
    int fd = mkstemp(rules) ;
    ok(fd >= 0 && write(fd, "allow 10.0.0.0/8\n", 17) == 17 && !close(fd), "conf_rules_default_test_file_written") ;
    snprintf(text, sizeof text, "service a 127.0.0.1:7000 0 rules_default=allow rules=%s /bin/cat\n", rules) ;
    snprintf(want, sizeof want, "/B/minetd-tcp -i /B/minetd-env -a -r %s /bin/cat", rules) ;
    ok(parse(&c, text) == 1 && c.services[0]->rules_default == 1 && !strcmp(chain_line(c.services[0], 0), want),
       "conf_rules_default_allow_is_env_a") ;
    snprintf(text, sizeof text, "service a 127.0.0.1:7000 0 rules=%s rules_default=deny /bin/cat\n", rules) ;
    snprintf(want, sizeof want, "/B/minetd-tcp -i /B/minetd-env -d -r %s /bin/cat", rules) ;
    ok(parse(&c, text) == 1 && !strcmp(chain_line(c.services[0], 0), want), "conf_rules_default_deny_is_env_d") ;
    snprintf(text, sizeof text, "service a 127.0.0.1:7000 0 rules=%s /bin/cat\n", rules) ;
    snprintf(want, sizeof want, "/B/minetd-tcp -i /B/minetd-env -r %s /bin/cat", rules) ;
    ok(parse(&c, text) == 1 && c.services[0]->rules_default == -1 && !strcmp(chain_line(c.services[0], 0), want),
       "conf_rules_default_not_given_is_env_default_deny") ;
    snprintf(text, sizeof text, "service a 127.0.0.1:7000 0 rules=%s rules_default=yes /bin/cat\n", rules) ;
    ok(parse(&c, text) == 0 && errors_have(&c, "/tmp/t.conf:1: invalid rules_default=\"yes\": expected allow or deny"),
       "conf_rules_default_bad_value") ;
    ok(parse(&c, "service a 127.0.0.1:7000 0 rules_default=deny /bin/cat\n") == 0
       && errors_have(&c, "/tmp/t.conf:1: rules_default= without rules="), "conf_rules_default_without_rules") ;
    unlink(rules) ;
  }

  /* error classes: each message checked */
  ok(parse(&c, "service e 127.0.0.1:7000 10 maxcon=3 /bin/cat\n") == 0 && errors_have(&c, "/tmp/t.conf:1: unknown option \"maxcon\" (did you mean \"maxconn\"?)"),
     "conf_unknown_key_did_you_mean") ;
  ok(parse(&c, "service e 127.0.0.1:7000 10 /bin/cat\nservice e 127.0.0.1:7001 10 /bin/cat\n") == 0 && errors_have(&c, "/tmp/t.conf:2: duplicate service name \"e\" (first defined at line 1)"),
     "conf_duplicate_name") ;
  ok(parse(&c, "service e 127.0.0.1:7000 10 /bin/cat\nservice f 127.0.0.1:7000 10 /bin/cat\n") == 0 && errors_have(&c, "/tmp/t.conf:2: duplicate address \"127.0.0.1:7000\": conflicts with service e at line 1"),
     "conf_duplicate_address") ;
  ok(parse(&c, "service e 0.0.0.0:7000 10 /bin/cat\nservice f 127.0.0.1:7000 10 /bin/cat\n") == 0 && errors_have(&c, "duplicate address"),
     "conf_wildcard_conflicts_with_specific") ;
  ok(parse(&c, "service e *:7000 10 /bin/cat\nservice f [::1]:7000 10 /bin/cat\n") == 0, "conf_star_conflicts_with_ipv6") ;
  ok(parse(&c, "service e 0.0.0.0:7000 10 /bin/cat\nservice f [::]:7000 10 /bin/cat\n") == 1, "conf_v4_and_v6_wildcards_coexist") ;
  ok(parse(&c, "service e 127.0.0.1:99999 10 /bin/cat\n") == 0 && errors_have(&c, "/tmp/t.conf:1: invalid port \"99999\""), "conf_bad_port") ;
  ok(parse(&c, "service e 127.0.0.1:0 10 /bin/cat\n") == 0 && errors_have(&c, "port 0 is not allowed"), "conf_port_zero") ;
  ok(parse(&c, "service e 127.0.0.1:nosuchservicename 10 /bin/cat\n") == 0 && errors_have(&c, "invalid port \"nosuchservicename\""), "conf_unknown_port_name") ;
  ok(parse(&c, "service e 1.2.3.4.5:70 10 /bin/cat\n") == 0 && errors_have(&c, "invalid host \"1.2.3.4.5\""), "conf_bad_host") ;
  ok(parse(&c, "service e 300.1.1.1:70 10 /bin/cat\n") == 0 && errors_have(&c, "invalid host \"300.1.1.1\""), "conf_ipv4_octet_over_255") ;
  ok(parse(&c, "service e ::1:70 10 /bin/cat\n") == 0 && errors_have(&c, "write IPv6 hosts in brackets"), "conf_unbracketed_ipv6") ;
  ok(parse(&c, "service e [::ffff:127.0.0.1]:70 10 /bin/cat\n") == 0
     && errors_have(&c, "/tmp/t.conf:1: invalid host \"[::ffff:127.0.0.1]\": an IPv4-mapped IPv6 address cannot be bound: write the IPv4 address 127.0.0.1 instead"),
     "conf_v4_mapped_host_rejected") ;
  ok(parse(&c, "service e [::ffff:0.0.0.0]:70 10 /bin/cat\n") == 0 && errors_have(&c, "write the IPv4 address 0.0.0.0 instead"),
     "conf_v4_mapped_any_rejected") ;
  ok(parse(&c, "service e [::fffe:127.0.0.1]:70 10 /bin/cat\n") == 1, "conf_other_ipv6_with_v4_tail_accepted") ;
  ok(parse(&c, "service e 127.0.0.1 10 /bin/cat\n") == 0 && errors_have(&c, "expected host:port"), "conf_missing_port") ;
  {
    /* 255 bytes of address are parsed (here: an unknown port name), 256 are refused whole */
    char line[400], port[300] ;
    memset(port, 'p', 245) ; port[245] = 0 ;
    snprintf(line, sizeof line, "service e 127.0.0.1:%s 10 /bin/cat\n", port) ;
    ok(parse(&c, line) == 0 && errors_have(&c, "invalid port \"ppp"), "conf_address_of_255_bytes_parsed") ;
    port[245] = 'p' ; port[246] = 0 ;
    snprintf(line, sizeof line, "service e 127.0.0.1:%s 10 /bin/cat\n", port) ;
    ok(parse(&c, line) == 0 && errors_have(&c, "/tmp/t.conf:1: invalid address: longer than 255 bytes"), "conf_address_over_255_bytes_refused") ;
  }

  ok(parse(&c, "service e 127.0.0.1:70 -1 /bin/cat\n") == 0 && errors_have(&c, "invalid max_conn_per_min \"-1\""), "conf_bad_rate") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 user=nosuchuserxyz /bin/cat\n") == 0 && errors_have(&c, "/tmp/t.conf:1: unknown user \"nosuchuserxyz\""), "conf_unknown_user") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 group=nosuchgroupxyz /bin/cat\n") == 0 && errors_have(&c, "unknown group \"nosuchgroupxyz\""), "conf_unknown_group") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 /nonexistent/prog\n") == 0 && errors_have(&c, "/tmp/t.conf:1: program /nonexistent/prog: No such file or directory"), "conf_missing_program") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 /etc/passwd\n") == 0 && errors_have(&c, "program /etc/passwd: not executable"), "conf_non_executable_program") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 /tmp\n") == 0 && errors_have(&c, "program /tmp: not a regular file"), "conf_directory_program") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 nosuchprogramxyz\n") == 0 && errors_have(&c, "program \"nosuchprogramxyz\" not found in PATH"), "conf_program_not_in_path") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 maxconn=0 /bin/cat\n") == 0 && errors_have(&c, "invalid maxconn=\"0\": expected an integer from 1 to 65535"), "conf_bad_option_value") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 nodelay=maybe /bin/cat\n") == 0 && errors_have(&c, "invalid nodelay=\"maybe\": expected yes or no"), "conf_bad_bool") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 maxconn=2 maxconn=3 /bin/cat\n") == 0 && errors_have(&c, "option \"maxconn\" given twice"), "conf_option_twice") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 rules=/nonexistent.rules /bin/cat\n") == 0 && errors_have(&c, "/tmp/t.conf:1: rules file /nonexistent.rules: unable to open: No such file"), "conf_missing_rules_file") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 maxconn=2\n") == 0 && errors_have(&c, "missing program"), "conf_options_without_program") ;
  ok(parse(&c, "service e 127.0.0.1:70\n") == 0 && errors_have(&c, "/tmp/t.conf:1: service line needs a rate"), "conf_short_line") ;
  ok(parse(&c, "servce e 127.0.0.1:70 1 /bin/cat\n") == 0 && errors_have(&c, "unknown directive \"servce\""), "conf_unknown_directive") ;
  ok(parse(&c, "service e/x 127.0.0.1:70 1 /bin/cat\n") == 0 && errors_have(&c, "invalid service name \"e/x\""), "conf_bad_name") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 refuse=\"abc /bin/cat\n") == 0 && errors_have(&c, "unterminated \" quote"), "conf_unterminated_quote") ;
  ok(parse(&c, "service a 127.0.0.1:70 x /bin/cat\nservice b 127.0.0.1:71 1 /nope\nservice c 127.0.0.1:72 1 bogus=1 /bin/cat\n") == 0
     && c.nerrors == 3 && c.n == 0 && errors_have(&c, "t.conf:1:") && errors_have(&c, "t.conf:2:") && errors_have(&c, "t.conf:3:"),
     "conf_all_errors_in_one_pass_nothing_kept") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 ../bin/cat\n") == 1 && !strcmp(c.services[0]->argv[0], "/tmp/../bin/cat"), "conf_relative_program_from_config_dir") ;
  ok(parse(&c, "service e 127.0.0.1:70 1 cat\n") == 1 && c.services[0]->argv[0][0] == '/', "conf_bare_program_resolved_in_path") ;

  /* bounded input: no stack array sized by a word or a line */
  {
    static char big[8000100] ;
    size_t n = 0 ;
    memcpy(big, "service e ", 10) ; n = 10 ;
    memset(big + n, 'a', 8000000) ; n += 8000000 ;
    memcpy(big + n, ":70 1 /bin/cat\n", 15) ; n += 15 ;
    mtd_conf_free(&c) ;
    ok(mtd_conf_parse_text(&c, "/tmp/t.conf", big, n) == 0 && errors_have(&c, "/tmp/t.conf:1: line too long (at most 8192 bytes)"),
       "conf_8mb_word_is_a_line_too_long") ;
    n = 0 ;
    memcpy(big, "service e 127.0.0.1:70 1 /bin/cat ", 34) ; n = 34 ;
    memset(big + n, 'a', 4096) ; n += 4096 ;
    big[n++] = '\n' ;
    mtd_conf_free(&c) ;
    ok(mtd_conf_parse_text(&c, "/tmp/t.conf", big, n) == 0 && errors_have(&c, "/tmp/t.conf:1: word too long (at most 4095 bytes)"),
       "conf_word_over_4095_bytes") ;
    big[n - 2] = '\n' ;
    mtd_conf_free(&c) ;
    ok(mtd_conf_parse_text(&c, "/tmp/t.conf", big, n - 1) == 1, "conf_word_of_4095_bytes") ;
    n = 0 ;
    for (unsigned int i = 0 ; i < 300 ; i++) { memcpy(big + n, "bogus\n", 6) ; n += 6 ; }
    mtd_conf_free(&c) ;
    ok(mtd_conf_parse_text(&c, "/tmp/t.conf", big, n) == 0 && c.nerrors == 101 && errors_have(&c, "/tmp/t.conf: too many errors, stopped at line 100"),
       "conf_errors_bounded") ;
  }

  /* protocols, wait mode, internal services */
  ok(parse(&c, "service a 127.0.0.1:7000 0 /bin/cat\nservice b 127.0.0.1:7000/udp 0 /bin/cat\nservice c 127.0.0.1:7001/tcp 0 /bin/cat\n") == 1
     && c.services[0]->proto == MTD_CONF_TCP && !c.services[0]->wait
     && c.services[1]->proto == MTD_CONF_UDP && c.services[1]->wait == 1 && c.services[1]->port == 7000
     && c.services[2]->proto == MTD_CONF_TCP && c.services[2]->port == 7001,
     "conf_udp_and_tcp_on_one_port_default_wait") ;
  ok(mtd_conf_address_conflict(c.services[0], c.services[1]) == 0 && mtd_conf_address_conflict(c.services[1], c.services[1]) == 1,
     "conf_tcp_and_udp_never_conflict") ;
  ok(parse(&c, "service a *:7000/udp 0 /bin/cat\nservice b 127.0.0.1:7000/udp 0 /bin/cat\n") == 0
     && errors_have(&c, "t.conf:2: duplicate address \"127.0.0.1:7000/udp\": conflicts with service a at line 1"),
     "conf_udp_star_overlaps_udp_v4") ;
  ok(parse(&c, "service t 127.0.0.1:tftp/udp 0 /bin/cat\n") == 1 && c.services[0]->port == 69, "conf_udp_port_name_looked_up_for_udp") ;
  ok(parse(&c, "service d 127.0.0.1:13 0 idle=7 internal:daytime\n") == 1 && !strcmp(c.services[0]->internal, "daytime")
     && c.services[0]->argc == 0 && c.services[0]->argv && !c.services[0]->argv[0] && c.services[0]->idle == 7,
     "conf_internal_stores_the_name_not_a_program") ;
  ok(!strcmp(chain_line(c.services[0], 0), "/B/minetd-tcp -i /B/minetd-internal -t 7 daytime"), "conf_internal_chain") ;
  ok(parse(&c, "service u 127.0.0.1:69/udp 0 wait=yes activation=systemd /bin/cat\n") == 1 && c.services[0]->activation == 1
     && !strcmp(chain_line(c.services[0], 0), "/B/minetd-udp -w -L -i /bin/cat"),
     "conf_udp_wait_systemd_chain") ;
  ok(parse(&c, "service u 127.0.0.1:69/udp 5 wait=no idle=9 maxconn=3 persource=1 prefix4=24 source_rate=2 user=0 /bin/cat\n") == 1
     && !strcmp(chain_line(c.services[0], MTD_CHAIN_STANDALONE),
       "/B/minetd-udp -n -t 9 -c 3 -C 1 -p 24 -u 0 -g 0 -G 0 127.0.0.1 69 /B/minetd-rate -n 5 -w 60 -s 2 -p 24 -f /run/minetd/u.rate /bin/cat"),
     "conf_udp_nowait_chain") ;
  ok(parse(&c, "service w 127.0.0.1:80 0 wait=yes nodelay=yes backlog=5 /bin/cat\n") == 1
     && !strcmp(chain_line(c.services[0], 0), "/B/minetd-tcp -w -D -b 5 -i /bin/cat"),
     "conf_tcp_wait_chain") ;
  ok(parse(&c, "service e 127.0.0.1:7/udp 0 internal:echo\n") == 0
     && errors_have(&c, "t.conf:1: internal:echo over UDP would answer forged sources (reflection and amplification): TCP only"),
     "conf_udp_echo_refused") ;
  ok(parse(&c, "service e 127.0.0.1:7 0 wait=yes idle=3 /bin/cat\n") == 0 && c.nerrors == 1
     && errors_have(&c, "t.conf:1: idle= applies only"),
     "conf_idle_where_it_does_not_apply") ;
  ok(parse(&c, "service l 127.0.0.1:7000 0 rlimit_as=1g rlimit_cpu=5:10 nice=-4 umask=077 no_new_privs=yes process_group=session "
     "env=A=1 env=B= passenv=X,Y passenv=Z time_limit=60 time_limit_grace=0 user=0 /bin/cat\n") == 1,
     "conf_limit_keys_parse") ;
  s = c.services[0] ;
  ok(c.n == 1 && !strcmp(s->rlimit[0], "1g") && !strcmp(s->rlimit[7], "5:10") && !s->rlimit[4] && s->has_nice && s->nice == -4
     && s->umask == 077 && s->no_new_privs == 1 && s->process_group == 2 && s->nenv == 2 && !strcmp(s->env[1], "B=")
     && s->npassenv == 3 && !strcmp(s->passenv[2], "Z") && s->time_limit == 60 && s->time_limit_grace == 0,
     "conf_limit_values") ;
  ok(mtd_conf_drops_late(s) && !strcmp(chain_line(s, 0),
     "/B/minetd-tcp -i /B/minetd-limit -a 1g -t 5:10 -n -4 -M 077 -N -S -e A=1 -e B= -x X -x Y -x Z -T 60 -k 0 -u 0 -g 0 -G 0 /bin/cat"),
     "conf_negative_nice_drops_in_minetd_limit") ;
  ok(parse(&c, "service l 127.0.0.1:7000 0 user=0 nice=0 /bin/cat\n") == 1 && !mtd_conf_drops_late(c.services[0])
     && !strcmp(chain_line(c.services[0], 0), "/B/minetd-tcp -u 0 -g 0 -G 0 -i /B/minetd-limit -n 0 /bin/cat"),
     "conf_nice_zero_keeps_the_drop_on_the_launcher") ;
  ok(parse(&c, "service l 127.0.0.1:7000 0 rlimit_stack=1x nice=x umask=8 chroot=r env== passenv=9 time_limit=0 /bin/cat\n") == 0
     && c.nerrors == 7 && errors_have(&c, "t.conf:1: invalid rlimit_stack=\"1x\": unknown unit (k, m or g)\n"),
     "conf_limit_bad_values_each_an_error") ;
  {
    static char line[8192] ;
    size_t n = 0 ;
    n += (size_t)sprintf(line + n, "service l 127.0.0.1:7000 0") ;
    for (unsigned int i = 0 ; i < 65 ; i++) n += (size_t)sprintf(line + n, " passenv=V%u", i) ;
    sprintf(line + n, " /bin/cat\n") ;
    ok(parse(&c, line) == 0 && c.nerrors == 1 && errors_have(&c, "too many passenv= variables (at most 64)"), "conf_passenv_bounded") ;
  }
  mtd_conf_free(&c) ;
  ok(mtd_conf_parse_file(&c, "/nonexistent/minetd.conf") == 0 && errors_have(&c, "/nonexistent/minetd.conf: unable to read: No such file"), "conf_unreadable_file") ;
  mtd_conf_free(&c) ;
  ok(mtd_conf_parse_file(&c, "/dev/null") == 0 && errors_have(&c, "/dev/null: not a regular file"), "conf_device_is_not_a_config") ;
  mtd_conf_free(&c) ;
  printf("1..%u\n", tests) ;
  return !!failed ;
}
