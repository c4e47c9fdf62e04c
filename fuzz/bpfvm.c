/* The test interpreter for fuzz/rulesbpf.c, compiled without coverage
   (see fuzz/bpfvm.h). */
#include "../tests/unit/bpfvm.h"
#include "bpfvm.h"

int fuzz_bpfvm_check (struct sock_filter const *p, unsigned int n, char const **why) { return bpfvm_check(p, n, why) ; }
uint32_t fuzz_bpfvm_run (struct sock_filter const *p, unsigned int n, bpfvm_packet const *pk, unsigned int *steps) { return bpfvm_run(p, n, pk, steps) ; }
void fuzz_bpfvm_udp_packet (bpfvm_packet *pk, unsigned char *net, unsigned char *udp, int is6, unsigned char const *ip) { bpfvm_udp_packet(pk, net, udp, is6, ip) ; }
