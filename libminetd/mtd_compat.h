/* What the C libraries minetd builds with (glibc; musl for make MUSL=1)
   do not all offer, met here once instead of in each caller. */
#ifndef MTD_COMPAT_H
#define MTD_COMPAT_H

/* close_range(2), fds first to last inclusive (~0U: no limit), flags 0.
   Linux has it since 5.9, glibc wraps it since 2.34, musl 1.2.3 does not:
   called through syscall(2) for both. Where the kernel lacks it, a loop
   closes them up to the open-file limit, so it cannot fail: async-signal
   safe, fit for a vfork'd child. */
extern void mtd_close_range (unsigned int first, unsigned int last) ;

#endif
