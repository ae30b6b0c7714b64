/*
 * bench/peers/rss.h - VmRSS of /proc/self/status through the C library,
 * for the peer programs (peer.c's harness and scale_fcontext.cpp); the
 * runtime's own programs read it with bench/vmrss.h.
 */
#ifndef PEERS_RSS_H
#define PEERS_RSS_H
#include <stdio.h>

/* VmRSS of /proc/self/status, in bytes (-1024 if it cannot be read). */
static inline long vm_rss(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib * 1024;
}
#endif
