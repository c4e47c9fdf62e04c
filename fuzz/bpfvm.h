/* For fuzz/rulesbpf.c: the test interpreter (tests/unit/bpfvm.h) built in
   fuzz/bpfvm.c without coverage instrumentation. It is the oracle, not the
   code under test: tracing its every comparison took most of the time and
   told libFuzzer nothing about the compiler. */
#ifndef FUZZ_BPFVM_H
#define FUZZ_BPFVM_H

#define BPFVM_TYPES_ONLY
#include "../tests/unit/bpfvm.h"
#undef BPFVM_TYPES_ONLY

extern int fuzz_bpfvm_check (struct sock_filter const *p, unsigned int n, char const **why) ;
extern uint32_t fuzz_bpfvm_run (struct sock_filter const *p, unsigned int n, bpfvm_packet const *pk, unsigned int *steps) ;
extern void fuzz_bpfvm_udp_packet (bpfvm_packet *pk, unsigned char *net, unsigned char *udp, int is6, unsigned char const *ip) ;

#endif
