/* Unit tests for the minetd-env rules parser and matcher (TAP). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mtd_addr.h"
#include "mtd_rules.h"

static unsigned int tests = 0, failed = 0 ;

static void ok (int cond, char const *name)
{
  tests++ ;
  if (!cond) failed++ ;
  printf("%sok %u - %s\n", cond ? "" : "not ", tests, name) ;
}

static mtd_rules R = MTD_RULES_ZERO ;
static mtd_rules_error E ;

static int parse (char const *text)
{
  mtd_rules_free(&R) ;
  memset(&E, 0, sizeof E) ;
  return mtd_rules_parse(&R, text, strlen(text), &E) ;
}

static ip46 ip (char const *s)
{
  ip46 a ;
  int ds ;
  if (!mtd_host_scan(s, &a, &ds)) { printf("# bad test address %s\n", s) ; exit(1) ; }
  mtd_ip_unmap(&a) ;
  return a ;
}

/* Line number of the rule matching s, 0 if none. */
static unsigned int match_line (char const *s)
{
  ip46 a = ip(s) ;
  mtd_rule const *r = mtd_rules_match(&R, &a) ;
  return r ? r->line : 0 ;
}

/* Expect a parse error on line `line` whose reason contains `needle`. */
static void bad (char const *text, unsigned int line, char const *needle, char const *name)
{
  int r = parse(text) ;
  int good = !r && E.line == line && strstr(E.why, needle) && R.n == 0 && !R.rule ;
  if (!good) printf("#   parse=%d line=%u why=%s (wanted line %u, \"%s\")\n", r, E.line, r ? "" : E.why, line, needle) ;
  ok(good, name) ;
}

int main (void)
{
  /* --- well-formed files --- */
  ok(parse("") && R.n == 0, "rules_empty_file_has_no_rules") ;
  ok(parse("# only a comment\n\n   \t\n# another\n") && R.n == 0, "rules_comments_and_blank_lines_ignored") ;
  ok(parse("allow 1.2.3.4") && R.n == 1 && R.rule[0].allow, "rules_last_line_without_newline") ;
  ok(parse("deny 1.2.3.4\r\nallow 5.6.7.8\r\n") && R.n == 2 && match_line("5.6.7.8") == 2, "rules_crlf_line_endings_accepted") ;
  ok(parse("allow 1.2.3.4 # trailing comment\n") && R.n == 1 && R.rule[0].envn == 0, "rules_trailing_comment_ignored") ;

  /* --- prefix edges --- */
  parse("allow 0.0.0.0/0\n") ;
  ok(match_line("0.0.0.0") == 1 && match_line("255.255.255.255") == 1 && match_line("::1") == 0, "match_v4_slash0_matches_all_ipv4_no_ipv6") ;
  parse("allow ::/0\n") ;
  ok(match_line("::") == 1 && match_line("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") == 1 && match_line("10.0.0.1") == 0, "match_v6_slash0_matches_all_ipv6_no_ipv4") ;
  parse("allow 192.0.2.7/32\n") ;
  ok(match_line("192.0.2.7") == 1 && !match_line("192.0.2.6") && !match_line("192.0.2.8"), "match_v4_slash32_is_one_address") ;
  parse("allow 192.0.2.7\n") ;
  ok(R.rule[0].bits == 32 && match_line("192.0.2.7") == 1 && !match_line("192.0.2.6"), "match_bare_v4_address_is_slash32") ;
  parse("allow 2001:db8::5/128\n") ;
  ok(match_line("2001:db8::5") == 1 && !match_line("2001:db8::4") && !match_line("2001:db8::6"), "match_v6_slash128_is_one_address") ;
  parse("allow 2001:db8::5\n") ;
  ok(R.rule[0].bits == 128 && match_line("2001:db8::5") == 1, "match_bare_v6_address_is_slash128") ;
  parse("allow 2001:db8:1:2::/64\n") ;
  ok(match_line("2001:db8:1:2::") == 1 && match_line("2001:db8:1:2:ffff:ffff:ffff:ffff") == 1
     && !match_line("2001:db8:1:3::") && !match_line("2001:db8:1:1:ffff:ffff:ffff:ffff"), "match_v6_slash64_edges") ;
  parse("allow 192.0.2.32/27\n") ;
  ok(match_line("192.0.2.32") == 1 && match_line("192.0.2.63") == 1 && !match_line("192.0.2.31") && !match_line("192.0.2.64"), "match_v4_slash27_non_octet_edges") ;
  parse("allow 2001:db8::/127\n") ;
  ok(match_line("2001:db8::") == 1 && match_line("2001:db8::1") == 1 && !match_line("2001:db8::2") && !match_line("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"), "match_v6_slash127_non_octet_edges") ;
  parse("allow [2001:db8::]/32\n") ;
  ok(R.n == 1 && match_line("2001:db8:ffff::1") == 1, "rules_bracketed_ipv6_accepted") ;
  parse("deny ::ffff:a00:1\n") ;
  ok(R.n == 1 && !R.rule[0].net.is6 && match_line("10.0.0.1") == 1 && match_line("::ffff:a00:1") == 1, "rules_v4_mapped_rule_and_peer_are_ipv4") ;
  parse("deny ::ffff:10.0.0.1\n") ;
  ok(R.n == 1 && !R.rule[0].net.is6 && match_line("10.0.0.1") == 1, "rules_v4_mapped_rule_in_dotted_form_is_ipv4") ;
  bad("allow ::ffff:10.0.0.256\n", 1, "invalid IP address", "error_v4_mapped_dotted_octet_over_255") ;

  /* --- most specific wins, whatever the order in the file --- */
  parse("allow 10.0.0.0/8\ndeny 10.1.0.0/16\nallow 10.1.2.3\n") ;
  ok(match_line("10.1.2.3") == 3 && match_line("10.1.9.9") == 2 && match_line("10.9.9.9") == 1 && !match_line("11.0.0.1"), "match_most_specific_wins_general_first") ;
  parse("allow 10.1.2.3\ndeny 10.1.0.0/16\nallow 10.0.0.0/8\n") ;
  ok(match_line("10.1.2.3") == 1 && match_line("10.1.9.9") == 2 && match_line("10.9.9.9") == 3, "match_most_specific_wins_specific_first") ;
  parse("allow *\ndeny 0.0.0.0/0\n") ;
  ok(match_line("1.2.3.4") == 2 && match_line("::1") == 1, "match_star_is_less_specific_than_slash0") ;
  parse("deny ::/0\nallow 2001:db8::/32\nallow 2001:db8:1::/48\ndeny 2001:db8:1::1\n") ;
  ok(match_line("2001:db8:1::1") == 4 && match_line("2001:db8:1::2") == 3 && match_line("2001:db8:2::1") == 2 && match_line("2001:db9::1") == 1, "match_most_specific_wins_ipv6") ;

  /* --- variables and messages --- */
  {
    static char const want[] = "FOO=bar\0BAZ\0E=\0Q=a b\n\"\\x\0" ;
    int r = parse("allow 1.2.3.4 FOO=bar -BAZ E= Q=\"a b\\n\\\"\\\\\"x\n") ;
    ok(r && R.rule[0].envn == 4 && R.rule[0].envlen == sizeof want - 1 && !memcmp(R.strings + R.rule[0].env, want, sizeof want - 1), "rules_allow_sets_and_unsets_variables_in_envmod_form") ;
  }
  {
    int r = parse("deny 1.2.3.4 msg=\"421 go away\\r\\n\"\n") ;
    ok(r && !R.rule[0].allow && R.rule[0].msglen == 13 && !memcmp(R.strings + R.rule[0].msg, "421 go away\r\n", 13), "rules_deny_message_with_escapes") ;
  }
  ok(parse("deny 1.2.3.4 msg=\n") && R.rule[0].msglen == 0, "rules_empty_message_means_none") ;
  ok(parse("deny 1.2.3.4 msg=bye\n") && R.rule[0].msglen == 3, "rules_unquoted_message") ;
  {
    char big[1100] ;
    memset(big, 0, sizeof big) ;
    strcpy(big, "deny 1.2.3.4 msg=") ;
    memset(big + strlen(big), 'x', 1024) ;
    ok(parse(big) && R.rule[0].msglen == 1024, "rules_message_of_1024_bytes_accepted") ;
    strcat(big, "x") ;
    bad(big, 1, "message too long", "rules_message_over_1024_bytes_refused") ;
  }

  /* --- every error class, with its line --- */
  bad("# c\nallow 1.2.3.4\nalow 1.2.3.4\n", 3, "unknown action \"alow\"", "error_unknown_action_reports_its_line") ;
  bad("\"allow\" 1.2.3.4\n", 1, "action must not be quoted", "error_quoted_action") ;
  bad("allow\n", 1, "missing address", "error_missing_address") ;
  bad("deny   # nothing\n", 1, "missing address", "error_missing_address_before_comment") ;
  bad("allow 1.2.3\n", 1, "invalid address \"1.2.3\"", "error_invalid_ipv4") ;
  bad("allow 300.1.2.3\n", 1, "invalid address \"300.1.2.3\": invalid IP address", "error_ipv4_octet_over_255_not_wrapped") ;
  bad("allow 10.0.0.256/32\n", 1, "invalid IP address", "error_ipv4_last_octet_over_255") ;
  bad("allow 0010.0.0.1\n", 1, "invalid IP address", "error_ipv4_octet_four_digits") ;
  bad("allow 10..0.1\n", 1, "invalid", "error_ipv4_empty_octet") ;
  bad("allow 10.0.0.0.0/8\n", 1, "invalid", "error_ipv4_five_octets") ;
  bad("allow 2001:db8::g\n", 1, "invalid address", "error_invalid_ipv6") ;
  bad("allow localhost\n", 1, "invalid address", "error_host_names_are_not_addresses") ;
  bad("allow 10.0.0.1/8\n", 1, "bits set past the prefix", "error_host_bits_set") ;
  bad("allow 2001:db8::1/64\n", 1, "bits set past the prefix", "error_host_bits_set_ipv6") ;
  bad("allow 10.0.0.0/33\n", 1, "0 to 32", "error_ipv4_prefix_over_32") ;
  bad("allow ::/129\n", 1, "0 to 128", "error_ipv6_prefix_over_128") ;
  bad("allow 10.0.0.0/x\n", 1, "invalid prefix length", "error_prefix_not_a_number") ;
  bad("allow 10.0.0.0/\n", 1, "invalid prefix length", "error_prefix_empty") ;
  bad("allow \"10.0.0.1\"\n", 1, "must not be quoted", "error_quoted_address") ;
  bad("allow 10.0.0.0/8\ndeny 10.0.0.0/8\n", 2, "duplicate rule for 10.0.0.0/8 (first at line 1)", "error_duplicate_prefix") ;
  bad("allow ::1\n\ndeny 0::1/128\n", 3, "duplicate rule for ::1/128 (first at line 1)", "error_duplicate_prefix_different_spelling") ;
  bad("allow 10.0.0.1\ndeny ::ffff:a00:1\n", 2, "duplicate rule", "error_duplicate_v4_and_v4_mapped") ;
  bad("allow *\ndeny *\n", 2, "duplicate rule for * (first at line 1)", "error_duplicate_star") ;
  bad("deny 1.2.3.4\ndeny 1.2.3.4\nallow 5.5.5.5\nallow 5.5.5.5\n", 2, "first at line 1", "error_duplicate_reports_earliest_repeat") ;
  ok(parse("allow 10.0.0.0/8\nallow 10.0.0.0/9\n") && R.n == 2, "rules_same_address_other_length_is_not_duplicate") ;
  bad("deny 1.2.3.4 FOO=bar\n", 1, "only allowed on allow rules", "error_variable_on_deny") ;
  bad("deny 1.2.3.4 -FOO\n", 1, "only allowed on allow rules", "error_unset_on_deny") ;
  bad("allow 1.2.3.4 msg=hi\n", 1, "msg= is only allowed on deny rules", "error_message_on_allow") ;
  bad("deny 1.2.3.4 msg=a msg=b\n", 1, "msg= given twice", "error_message_twice") ;
  bad("allow 1.2.3.4 A=1 A=2\n", 1, "\"A\" given twice", "error_variable_twice") ;
  bad("allow 1.2.3.4 A=1 -A\n", 1, "\"A\" given twice", "error_variable_set_and_unset") ;
  bad("allow 1.2.3.4 TCPREMOTEIP=1.1.1.1\n", 1, "fact about the connection", "error_rule_cannot_set_ucspi_variable") ;
  bad("allow 1.2.3.4 -PROTO\n", 1, "fact about the connection", "error_rule_cannot_unset_ucspi_variable") ;
  bad("allow 1.2.3.4 TCPREMOTEHOST=x\n", 1, "fact about the connection", "error_rule_cannot_set_remotehost") ;
  bad("allow 1.2.3.4 TCPCONNNUM=1\n", 1, "fact about the connection", "error_rule_cannot_set_launcher_tcpconnnum") ;
  bad("allow 1.2.3.4 -TCPREMOTEINFO\n", 1, "fact about the connection", "error_rule_cannot_unset_launcher_tcpremoteinfo") ;
  bad("allow 1.2.3.4 1X=a\n", 1, "invalid variable name", "error_variable_name_starts_with_digit") ;
  bad("allow 1.2.3.4 A-B=a\n", 1, "invalid variable name", "error_variable_name_with_dash") ;
  bad("allow 1.2.3.4 =a\n", 1, "invalid variable name", "error_variable_name_empty") ;
  bad("allow 1.2.3.4 -\n", 1, "invalid variable name", "error_unset_name_empty") ;
  bad("allow 1.2.3.4 \"A=b\"\n", 1, "unexpected word", "error_quoted_variable_name") ;
  bad("allow 1.2.3.4 hello\n", 1, "unexpected word \"hello\"", "error_unexpected_word") ;
  bad("allow 1.2.3.4 A=\"open\n", 1, "unterminated quoted string", "error_unterminated_quote") ;
  bad("allow 1.2.3.4 A=\"x\\\n", 1, "unterminated quoted string", "error_unterminated_quote_after_backslash") ;
  bad("allow 1.2.3.4 A=\"\\q\"\n", 1, "unknown escape \"\\q\"", "error_unknown_escape") ;
  bad("allow 1.2.3.4 A=C:\\x\n", 1, "backslash outside quotes", "error_backslash_outside_quotes") ;
  {
    static char const nul[] = "allow 1.2.3.4\ndeny 5.6.7.8 msg=a\0b\n" ;
    int r ;
    mtd_rules_free(&R) ;
    r = mtd_rules_parse(&R, nul, sizeof nul - 1, &E) ;
    ok(!r && E.line == 2 && strstr(E.why, "NUL byte"), "error_nul_byte") ;
  }
  {
    char *big = malloc(5000) ;
    memset(big, 0, 5000) ;
    strcpy(big, "allow 1.2.3.4 A=") ;
    memset(big + strlen(big), 'x', 4096 - strlen(big)) ;
    ok(parse(big) && R.n == 1, "rules_line_of_4096_bytes_accepted") ;
    strcat(big, "x") ;
    bad(big, 1, "line too long", "error_line_over_4096_bytes") ;
    free(big) ;
  }
  {
    size_t cap = 4100 * 24 ;
    char *t = malloc(cap), *p = t ;
    for (unsigned int i = 0 ; i < 4096 ; i++) p += sprintf(p, "allow 10.%u.%u.0/24\n", i >> 8, i & 255) ;
    ok(parse(t) && R.n == 4096, "rules_4096_rules_accepted") ;
    ok(match_line("10.15.255.1") == 4096 && match_line("10.0.0.9") == 1, "match_in_4096_rules") ;
    sprintf(p, "deny 11.0.0.0/8\n") ;
    bad(t, 4097, "too many rules", "error_over_4096_rules") ;
    free(t) ;
  }

  /* --- files --- */
  {
    mtd_rules_free(&R) ;
    ok(!mtd_rules_load(&R, "/nonexistent/minetd.rules", &E) && E.sys == ENOENT && E.line == 0, "load_missing_file_is_system_error") ;
    ok(!mtd_rules_load(&R, "/", &E) && !E.sys && E.line == 0 && !strcmp(E.why, "not a regular file"), "load_directory_is_config_error_not_a_regular_file") ;
    ok(!mtd_rules_load(&R, "/dev/zero", &E) && !E.sys && !strcmp(E.why, "not a regular file"), "load_endless_device_refused_not_a_regular_file") ;
    {
      char name[] = "/tmp/rules_test.XXXXXX" ;
      int fd = mkstemp(name) ;
      ok(fd >= 0 && !ftruncate(fd, MTD_RULES_FILE_MAX + 1) && !mtd_rules_load(&R, name, &E) && !E.sys && strstr(E.why, "file too large"), "load_file_over_4MiB_refused_bounded") ;
      if (fd >= 0) close(fd) ;
      remove(name) ;
    }
    {
      char name[] = "/tmp/rules_test.XXXXXX" ;
      int fd = mkstemp(name) ;
      FILE *f = fdopen(fd, "w") ;
      fputs("# test\nallow 127.0.0.0/8 LOCAL=1\ndeny * msg=no\n", f) ;
      fclose(f) ;
      ok(mtd_rules_load(&R, name, &E) && R.n == 2 && match_line("127.0.0.2") == 2 && match_line("::2") == 3, "load_reads_a_file") ;
      remove(name) ;
    }
  }

  mtd_rules_free(&R) ;
  printf("1..%u\n", tests) ;
  return !!failed ;
}
