/*
 * bench/peers/peer.h - what every peer program provides, and the harness
 * (peer.c) that measures it the way bench/bench.c measures our runtime.
 *
 * A peer is another way to run many stacks in one process (boost.context,
 * boost.fiber, glibc's swapcontext, OS threads).  It fills in the five
 * operations below; peer.c times them and prints one line of fields:
 *
 *   NAME  NS@2  NS@1000  NS@4096  SPAWN_NS  RSS_BYTES
 *
 *   NS@n       ns per switch in a ring of n stacks (main one of them), each
 *              passing to the next in turn: at least RING_NS of switches
 *              (RING_NS_QUICK when the environment has BENCH_QUICK=1) after
 *              one untimed round, so the clock's cost does not count;
 *   SPAWN_NS   ns per coroutine to create, run to its end and reclaim, in
 *              batches of 100, for as long, its stack allocated and freed;
 *   RSS_BYTES  growth of VmRSS (/proc/self/status) per coroutine while
 *              RSS_COUNT of them are alive, each having touched 1 KiB of
 *              its stack; measured first, in a fresh process.
 *
 *   PROGRAM count S   S switches of the ring of 2, untimed: bench/table.sh
 *                     runs it under callgrind for S and 2S (the difference
 *                     is the instructions of S switches, start-up cancels).
 *   PROGRAM stack     the bytes of each coroutine's stack (stack_bytes()).
 *
 * Each peer allocates its stacks the way its own users get them by default
 * (its file says how); peer.c allocates none.
 *
 * Host programs: they use libc and the ordinary compiler, never the runtime.
 */
#ifndef PEER_H
#define PEER_H

#ifdef __cplusplus
extern "C" {
#endif

#define STACK_SIZE 32768        /* bytes of stack per coroutine, as CO_STACK_SIZE */
#define RSS_COUNT  10000        /* coroutines alive for the RSS figure */
#define BATCH      100          /* coroutines per spawn batch */
#define RING_NS    100000000LL  /* least time a figure runs for: 100 ms */
#define RING_NS_QUICK 10000000LL  /* with BENCH_QUICK=1: 10 ms */

/* ---- provided by each peer -------------------------------------------- */
extern const char peer_name[];          /* first field of the line */
void ring_start(int n);                 /* n - 1 coroutines beside main, parked */
void ring_round(void);                  /* from main: once round, n switches */
void ring_stop(void);                   /* end the ring (or abandon it) */
void spawn_batch(int k);                /* k coroutines created, run, reclaimed */
void rss_start(int count);              /* count alive, each touched 1 KiB */
void rss_stop(void);
long stack_bytes(void);                 /* each coroutine's stack, bytes */

/* ---- provided by peer.c ----------------------------------------------- */
void touch_1k(void);                    /* write 1 KiB of the caller's stack */
long long now_ns(void);                 /* CLOCK_MONOTONIC */

#ifdef __cplusplus
}
#endif
#endif
