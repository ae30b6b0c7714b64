/*
 * t_chan.c - channels and select: every bad call's code; blocked senders
 * and receivers served in the order they came; messages never reordered,
 * under many senders and receivers; close while coroutines wait on both
 * sides; select's choice among ready cases, its deadline, its closed
 * channels, a select that sends and receives on one rendezvous channel;
 * timeouts that never fire early; messages byte for byte through a chain.
 *   t_chan            the table below
 *   t_chan chain N    N messages through the chain of 100 coroutines
 *                     (the table sends 10000): its one line
 *   t_chan deadlock   coroutines blocked for ever on channels and in a
 *                     select: the deadlock report names each wait (status 70)
 */
#include "check.h"

#define MS 1000000LL

/* A coroutine's one operation, and what came of it. */
struct op {
	struct co_chan *ch;
	int value;              /* sent, or received */
	long long timeout;
	int result;
};

static int done[16], ndone;     /* the values of finished operations, in order */

static void finished(int value)
{
	if (ndone < 16)
		done[ndone] = value;
	ndone++;
}

static void sender(void *arg)
{
	struct op *o = arg;

	o->result = co_send(o->ch, &o->value, o->timeout);
	finished(o->value);
}

static void receiver(void *arg)
{
	struct op *o = arg;

	o->result = co_recv(o->ch, &o->value, o->timeout);
	finished(o->value);
}

/* ---- bad calls ------------------------------------------------------------ */

static void bad_calls(void)
{
	static struct co_chan never;            /* zeroed: never initialised */
	struct co_chan c, full;
	int buf[4], v = 1, w;
	struct co_case k[2];

	CHECK_EQ("init a NULL channel: -EINVAL", co_chan_init(0, 4, buf, 4), -EINVAL);
	CHECK_EQ("init with size 0: -EINVAL", co_chan_init(&c, 0, buf, 4), -EINVAL);
	CHECK_EQ("init capacity 4, buf NULL: -EINVAL", co_chan_init(&c, 4, 0, 4), -EINVAL);
	CHECK_EQ("init capacity * size past memory: -EINVAL",
		 co_chan_init(&c, 0x10000, buf, 0x10000), sizeof(long) == 4 ? -EINVAL : 0);
	CHECK_EQ("init capacity 0, buf NULL: 0", co_chan_init(&c, sizeof v, 0, 0), 0);
	CHECK_EQ("send on a NULL channel: -EINVAL", co_send(0, &v, 0), -EINVAL);
	CHECK_EQ("recv on a NULL channel: -EINVAL", co_recv(0, &v, -1), -EINVAL);
	CHECK_EQ("close a NULL channel: -EINVAL", co_chan_close(0), -EINVAL);
	CHECK_EQ("send on a channel never initialised: -EINVAL", co_send(&never, &v, -1), -EINVAL);
	CHECK_EQ("recv on a channel never initialised: -EINVAL", co_recv(&never, &v, -1), -EINVAL);
	CHECK_EQ("close a channel never initialised: -EINVAL", co_chan_close(&never), -EINVAL);
	CHECK_EQ("send from NULL: -EFAULT", co_send(&c, 0, -1), -EFAULT);
	CHECK_EQ("recv into NULL: -EFAULT", co_recv(&c, 0, -1), -EFAULT);
	CHECK_EQ("send, timeout 0, no receiver: -EAGAIN", co_send(&c, &v, 0), -EAGAIN);
	CHECK_EQ("recv, timeout 0, no sender: -EAGAIN", co_recv(&c, &v, 0), -EAGAIN);
	CHECK_EQ("close: 0", co_chan_close(&c), 0);
	CHECK_EQ("close again: -EALREADY", co_chan_close(&c), -EALREADY);
	CHECK_EQ("send on a closed channel: -ESHUTDOWN", co_send(&c, &v, -1), -ESHUTDOWN);
	CHECK_EQ("recv from a closed channel: -EPIPE", co_recv(&c, &v, -1), -EPIPE);
	CHECK_EQ("recv from a closed one, timeout 0: -EPIPE", co_recv(&c, &v, 0), -EPIPE);

	co_chan_init(&full, sizeof v, buf, 1);
	co_send(&full, &v, 0);
	k[0] = (struct co_case){ .ch = &full, .op = CO_RECV, .msg = &w };
	k[1] = (struct co_case){ .ch = &never, .op = CO_RECV, .msg = &w };
	CHECK_EQ("select with cases NULL: -EINVAL", co_select(0, 1, -1), -EINVAL);
	CHECK_EQ("select of 0 cases: -EINVAL", co_select(k, 0, -1), -EINVAL);
	CHECK_EQ("select of -1 cases: -EINVAL", co_select(k, -1, -1), -EINVAL);
	CHECK_EQ("select, a case never initialised: -EINVAL", co_select(k, 2, -1), -EINVAL);
	CHECK_EQ("  ... and the ready case before it not done", full.count, 1);
	k[1].ch = 0;
	CHECK_EQ("select, a case's channel NULL: -EINVAL", co_select(k, 2, -1), -EINVAL);
	k[1] = (struct co_case){ .ch = &c, .op = 0, .msg = &w };
	CHECK_EQ("select, a case's op 0: -EINVAL", co_select(k, 2, -1), -EINVAL);
	k[1].op = CO_SEND | CO_RECV;
	CHECK_EQ("select, a case's op 3: -EINVAL", co_select(k, 2, -1), -EINVAL);
	k[1] = (struct co_case){ .ch = &c, .op = CO_SEND, .msg = 0 };
	CHECK_EQ("select, a case's msg NULL: -EFAULT", co_select(k, 2, -1), -EFAULT);
	CHECK_EQ("  ... and the ready case before it not done", full.count, 1);
}

/* ---- FIFO: blocked coroutines are served in the order they came -------------- */

static int values_are(int first, int n)
{
	for (int i = 0; i < n; i++)
		if (done[i] != first + i)
			return 0;
	return ndone == n;
}

static void fifo(void)
{
	static int ring[4];
	struct co_chan rv, bf;
	struct op o[8];
	int v, results = 0;

	/* Five receivers block, in order, on a rendezvous channel. */
	co_chan_init(&rv, sizeof v, 0, 0);
	for (int i = 0; i < 5; i++) {
		o[i] = (struct op){ .ch = &rv, .timeout = -1 };
		co_spawn(receiver, &o[i]);
	}
	co_yield();                     /* they all block */
	for (v = 10; v < 15; v++)
		results |= co_send(&rv, &v, 0);
	co_run();
	for (int i = 0; i < 5; i++)
		results |= o[i].result;
	check(!results && o[0].value == 10 && o[1].value == 11 && o[2].value == 12 &&
	      o[3].value == 13 && o[4].value == 14, "rendezvous: blocked receivers served FIFO",
	      "%d %d %d %d %d", o[0].value, o[1].value, o[2].value, o[3].value, o[4].value);

	/* Five senders block, in order; main takes their messages. */
	for (int i = 0; i < 5; i++) {
		o[i] = (struct op){ .ch = &rv, .value = 20 + i, .timeout = -1 };
		co_spawn(sender, &o[i]);
	}
	co_yield();
	int got[5];
	for (int i = 0; i < 5; i++)
		results |= co_recv(&rv, &got[i], 0);
	co_run();
	check(!results && got[0] == 20 && got[1] == 21 && got[2] == 22 && got[3] == 23 &&
	      got[4] == 24, "rendezvous: blocked senders served FIFO",
	      "%d %d %d %d %d", got[0], got[1], got[2], got[3], got[4]);

	/* Eight senders on a ring of four: four fill it, four block.  Each
	 * receive takes the ring's oldest, then the oldest sender's comes in. */
	co_chan_init(&bf, sizeof v, ring, 4);
	ndone = 0;
	for (int i = 0; i < 8; i++) {
		o[i] = (struct op){ .ch = &bf, .value = 30 + i, .timeout = -1 };
		co_spawn(sender, &o[i]);
	}
	co_yield();
	CHECK_EQ("ring of 4, 8 senders: 4 have sent, 4 wait", ndone, 4);
	int order = 1;
	for (int i = 0; i < 8; i++) {
		results |= co_recv(&bf, &v, 0);
		order &= v == 30 + i;
		co_yield();
	}
	check(!results && order && values_are(30, 8) && bf.count == 0,
	      "ring of 4, 8 senders: received in send order", "%d results, %s", ndone,
	      order ? "in order" : "reordered");
	for (int i = 0; i < 8; i++)
		results |= o[i].result;
	CHECK_EQ("  ... and every send returned 0", results, 0);
}

/* ---- many senders and receivers -------------------------------------------- */

enum { SENDERS = 8, RECEIVERS = 8, EACH = 300 };
struct msg { int from, seq; };
static struct co_chan many;
static short seen[SENDERS][EACH];
static int out_of_order, last_end;

static void many_sender(void *arg)
{
	int me = (int)(long)arg;

	for (int i = 0; i < EACH; i++) {
		struct msg m = { me, i };

		co_send(&many, &m, -1);
		if ((i + me) % 3 == 0)
			co_yield();
	}
}

static void many_receiver(void *arg)
{
	int me = (int)(long)arg, last[SENDERS], r;
	struct msg m;

	for (int i = 0; i < SENDERS; i++)
		last[i] = -1;
	while ((r = co_recv(&many, &m, -1)) == 0) {
		out_of_order += m.seq <= last[m.from];  /* each sender's, in order */
		last[m.from] = m.seq;
		seen[m.from][m.seq]++;
		if ((m.seq + me) % 4 == 0)
			co_yield();
	}
	last_end |= r != -EPIPE;
}

static void many_to_many(unsigned cap)
{
	static struct msg ring[5];
	int ids[SENDERS], once = 0;

	co_chan_init(&many, sizeof(struct msg), ring, cap);
	out_of_order = last_end = 0;
	for (int i = 0; i < SENDERS; i++)
		for (int j = 0; j < EACH; j++)
			seen[i][j] = 0;
	for (long i = 0; i < RECEIVERS; i++)
		co_spawn(many_receiver, (void *)i);
	for (long i = 0; i < SENDERS; i++)
		ids[i] = co_spawn(many_sender, (void *)i);
	for (int i = 0; i < SENDERS; i++)
		co_join(ids[i]);
	co_chan_close(&many);
	co_run();
	for (int i = 0; i < SENDERS; i++)
		for (int j = 0; j < EACH; j++)
			once += seen[i][j] == 1;
	check(once == SENDERS * EACH, "8 senders to 8 receivers: each message once",
	      "capacity %u: %d of %d", cap, once, SENDERS * EACH);
	check(!out_of_order, "  ... each sender's in order at every receiver",
	      "capacity %u: %d out of order", cap, out_of_order);
	check(!last_end, "  ... then every receiver gets -EPIPE", "capacity %u", cap);
}

/* ---- close ------------------------------------------------------------------- */

static void close_while_blocked(void)
{
	static int ring[2];
	struct co_chan rv, bf;
	struct op r[3], s[3];
	int v, a, b, c, results = 0;

	co_chan_init(&rv, sizeof v, 0, 0);
	co_chan_init(&bf, sizeof v, ring, 2);
	v = 1, co_send(&bf, &v, 0);
	v = 2, co_send(&bf, &v, 0);
	for (int i = 0; i < 3; i++) {
		r[i] = (struct op){ .ch = &rv, .value = -1, .timeout = i == 2 ? 10000 * MS : -1 };
		s[i] = (struct op){ .ch = &bf, .value = 3 + i, .timeout = i == 2 ? 10000 * MS : -1 };
		co_spawn(receiver, &r[i]);
		co_spawn(sender, &s[i]);
	}
	co_yield();                     /* three block on each channel */
	results |= co_chan_close(&rv);
	results |= co_chan_close(&bf);
	co_run();
	check(r[0].result == -EPIPE && r[1].result == -EPIPE && r[2].result == -EPIPE,
	      "close: blocked receivers get -EPIPE", "%d %d %d (one with a timeout)",
	      r[0].result, r[1].result, r[2].result);
	check(s[0].result == -ESHUTDOWN && s[1].result == -ESHUTDOWN && s[2].result == -ESHUTDOWN,
	      "close: blocked senders get -ESHUTDOWN", "%d %d %d (one with a timeout)",
	      s[0].result, s[1].result, s[2].result);
	a = co_recv(&bf, &v, -1) ? -1 : v;
	b = co_recv(&bf, &v, -1) ? -1 : v;
	c = co_recv(&bf, &v, -1);
	check(!results && a == 1 && b == 2 && c == -EPIPE,
	      "closed: what it held is received, then -EPIPE", "%d %d %d", a, b, c);
	CHECK_EQ("closed: a send gets -ESHUTDOWN", co_send(&bf, &v, -1), -ESHUTDOWN);

	/* A blocked sender on a rendezvous channel: its message is not sent. */
	co_chan_init(&rv, sizeof v, 0, 0);
	s[0] = (struct op){ .ch = &rv, .value = 7, .timeout = -1 };
	co_spawn(sender, &s[0]);
	co_yield();
	co_chan_close(&rv);
	co_run();
	c = co_recv(&rv, &v, 0);
	check(s[0].result == -ESHUTDOWN && c == -EPIPE,
	      "close: rendezvous sender -ESHUTDOWN, not sent", "%d, then recv %d", s[0].result, c);
}

/* ---- select ---------------------------------------------------------------- */

struct selector {
	struct co_case k[2];
	int n, index, value[2];
	long long timeout;
};

static void selecting(void *arg)
{
	struct selector *s = arg;

	s->index = co_select(s->k, s->n, s->timeout);
}

static struct co_case send_case(struct co_chan *ch, int *v)
{
	return (struct co_case){ .ch = ch, .op = CO_SEND, .msg = v };
}

static struct co_case recv_case(struct co_chan *ch, int *v)
{
	return (struct co_case){ .ch = ch, .op = CO_RECV, .msg = v };
}

static void select_ready(void)
{
	static int ra[2], rb[2], rc[2];
	struct co_chan a, b, c, d;
	struct co_case k[3];
	int one = 1, two = 2, three = 3, x = 0, y = 0, i;

	co_chan_init(&a, sizeof x, ra, 2);
	co_chan_init(&b, sizeof x, rb, 2);
	co_chan_init(&c, sizeof x, rc, 2);
	co_chan_init(&d, sizeof x, 0, 0);
	co_send(&a, &one, 0);
	co_send(&b, &two, 0);
	k[0] = recv_case(&a, &x);
	k[1] = recv_case(&b, &y);
	k[2] = send_case(&c, &three);
	i = co_select(k, 3, -1);
	check(i == 0 && k[0].result == 0 && x == 1 && b.count == 1 && c.count == 0,
	      "select, three ready: the first, only it", "case %d, got %d; %u and %u held",
	      i, x, b.count, c.count);
	k[0] = send_case(&c, &three);
	k[1] = recv_case(&b, &y);
	i = co_select(k, 2, -1);
	check(i == 0 && c.count == 1 && b.count == 1, "select, a send first: the send",
	      "case %d; %u and %u held", i, c.count, b.count);
	k[0] = recv_case(&a, &x);
	k[1] = recv_case(&b, &y);
	i = co_select(k, 2, -1);
	check(i == 1 && k[1].result == 0 && y == 2, "select, the first not ready: the second",
	      "case %d, got %d", i, y);

	/* A closed channel is ready: a receive -EPIPE, a send -ESHUTDOWN. */
	co_chan_close(&a);
	k[0] = recv_case(&d, &x);
	k[1] = recv_case(&a, &x);
	i = co_select(k, 2, -1);
	check(i == 1 && k[1].result == -EPIPE, "select, receive from a closed channel",
	      "case %d, result %d", i, k[1].result);
	k[1] = send_case(&a, &one);
	i = co_select(k, 2, -1);
	check(i == 1 && k[1].result == -ESHUTDOWN, "select, send to a closed channel",
	      "case %d, result %d", i, k[1].result);
	co_chan_close(&c);
	k[1] = recv_case(&c, &x);
	x = 0;
	i = co_select(k, 2, -1);
	check(i == 1 && k[1].result == 0 && x == 3, "select, a closed channel still holding",
	      "case %d, result %d, got %d", i, k[1].result, x);
}

/* A select blocked on a receive and a send on one rendezvous channel (first
 * the op given), which then closes: both cases are ready at once, and the
 * first wins, as in the same select on a channel already closed. */
static void closed_wakes_first(int first)
{
	struct co_chan ch;
	struct selector s;
	int i, r, want = first == CO_RECV ? -EPIPE : -ESHUTDOWN;

	co_chan_init(&ch, sizeof i, 0, 0);
	for (i = 0; i < 2; i++) {
		s = (struct selector){ .n = 2, .timeout = -1 };
		s.k[0] = first == CO_RECV ? recv_case(&ch, &s.value[0]) : send_case(&ch, &s.value[0]);
		s.k[1] = first == CO_RECV ? send_case(&ch, &s.value[1]) : recv_case(&ch, &s.value[1]);
		if (i) {                        /* closed already */
			selecting(&s);
		} else {                        /* closed while it waits */
			co_spawn(selecting, &s);
			co_yield();
			co_chan_close(&ch);
			co_run();
		}
		r = s.k[s.index < 0 ? 0 : s.index].result;
		check(s.index == 0 && r == want, !i ? (first == CO_RECV ?
		      "select [recv, send] blocked, closed: recv's" :
		      "select [send, recv] blocked, closed: send's") :
		      "  ... as on a channel already closed", "case %d, result %d", s.index, r);
	}
}

static void select_blocked(void)
{
	static int ra[1];
	struct co_chan a, d, e, x;
	struct selector s;
	int v = 7, r, w;
	long long t0, took;

	co_chan_init(&d, sizeof v, 0, 0);
	co_chan_init(&e, sizeof v, 0, 0);

	/* None ready: the deadline, never early; nothing left behind. */
	s = (struct selector){ .n = 2, .timeout = 30 * MS };
	s.k[0] = recv_case(&d, &s.value[0]);
	s.k[1] = send_case(&e, &v);
	t0 = co_now();
	r = co_select(s.k, 2, 30 * MS);
	took = co_now() - t0;
	check(r == -ETIMEDOUT && took >= 30 * MS, "select, none ready in 30 ms: -ETIMEDOUT",
	      "%d after %lld us", r, took / 1000);
	check(co_send(&d, &v, 0) == -EAGAIN && co_recv(&e, &w, 0) == -EAGAIN,
	      "  ... and it left no waiter behind", "-EAGAIN both");
	CHECK_EQ("select, none ready, timeout 0: -EAGAIN", co_select(s.k, 2, 0), -EAGAIN);

	/* Blocked on two: a send on the second ends it; the first is let go. */
	s = (struct selector){ .n = 2, .timeout = -1 };
	s.k[0] = recv_case(&d, &s.value[0]);
	s.k[1] = recv_case(&e, &s.value[1]);
	co_spawn(selecting, &s);
	co_yield();
	r = co_send(&e, &v, 0);
	co_run();
	check(r == 0 && s.index == 1 && s.k[1].result == 0 && s.value[1] == 7,
	      "select blocked on two: a send to the second", "send %d; case %d, got %d",
	      r, s.index, s.value[1]);
	CHECK_EQ("  ... its other case is gone: -EAGAIN", co_send(&d, &v, 0), -EAGAIN);

	/* Blocked on two: closing the second ends it. */
	s = (struct selector){ .n = 2, .timeout = 10000 * MS };
	s.k[0] = send_case(&d, &v);
	s.k[1] = recv_case(&e, &s.value[1]);
	co_spawn(selecting, &s);
	co_yield();
	co_chan_close(&e);
	co_run();
	check(s.index == 1 && s.k[1].result == -EPIPE, "select blocked, its channel closed",
	      "case %d, result %d", s.index, s.k[1].result);
	CHECK_EQ("  ... its other case is gone: -EAGAIN", co_recv(&d, &w, 0), -EAGAIN);
	closed_wakes_first(CO_RECV);
	closed_wakes_first(CO_SEND);

	/* A blocked send case on a full ring: a receive moves it in. */
	co_chan_init(&a, sizeof v, ra, 1);
	v = 1, co_send(&a, &v, 0);
	s = (struct selector){ .n = 1, .timeout = -1, .value = { 2 } };
	s.k[0] = send_case(&a, &s.value[0]);
	co_spawn(selecting, &s);
	co_yield();
	r = co_recv(&a, &v, 0);
	w = a.count;
	co_run();
	check(r == 0 && v == 1 && w == 1 && s.index == 0 && s.k[0].result == 0,
	      "select's blocked send, ring full: moved in", "got %d, %d held, case %d", v, w, s.index);
	v = 0;
	r = co_recv(&a, &v, 0);
	CHECK_EQ("  ... and received next", v, 2);

	/* A send and a receive on one rendezvous channel: never with itself. */
	co_chan_init(&x, sizeof v, 0, 0);
	s = (struct selector){ .n = 2, .value = { 5, 0 } };
	s.k[0] = send_case(&x, &s.value[0]);
	s.k[1] = recv_case(&x, &s.value[1]);
	r = co_select(s.k, 2, 20 * MS);
	CHECK_EQ("select send+recv on one rendezvous channel", r, -ETIMEDOUT);
	s.timeout = -1;
	co_spawn(selecting, &s);
	co_yield();
	v = 0;
	r = co_recv(&x, &v, 0);
	co_run();
	check(r == 0 && v == 5 && s.index == 0, "  ... another receives: the select's send done",
	      "got %d, case %d", v, s.index);
	co_spawn(selecting, &s);
	co_yield();
	v = 9;
	r = co_send(&x, &v, 0);
	co_run();
	check(r == 0 && s.value[1] == 9 && s.index == 1, "  ... another sends: the select's receive done",
	      "got %d, case %d", s.value[1], s.index);
}

/* ---- timeouts ---------------------------------------------------------------- */

static int ran;
static void run_once(void *arg) { (void)arg; ran = 1; }

static void timeouts(void)
{
	static int ring[1];
	struct co_chan rv, bf, later;
	struct op o;
	int v = 1, r;
	long long t0, took;

	co_chan_init(&rv, sizeof v, 0, 0);
	co_chan_init(&bf, sizeof v, ring, 1);
	co_send(&bf, &v, 0);

	t0 = co_now();
	r = co_recv(&rv, &v, 30 * MS);
	took = co_now() - t0;
	check(r == -ETIMEDOUT && took >= 30 * MS, "recv, nothing in 30 ms: -ETIMEDOUT, not early",
	      "%d after %lld us", r, took / 1000);
	t0 = co_now();
	r = co_send(&bf, &v, 30 * MS);
	took = co_now() - t0;
	check(r == -ETIMEDOUT && took >= 30 * MS, "send, full for 30 ms: -ETIMEDOUT, not early",
	      "%d after %lld us", r, took / 1000);
	t0 = co_now();
	r = co_send(&rv, &v, 1);
	took = co_now() - t0;
	check(r == -ETIMEDOUT && took >= 1, "send, 1 ns: -ETIMEDOUT, not early",
	      "%d after %lld ns", r, took);
	CHECK_EQ("  ... the ring still holds only the first", bf.count, 1);

	ran = 0;
	co_spawn(run_once, 0);
	r = co_recv(&rv, &v, 0);
	check(r == -EAGAIN && !ran, "timeout 0: -EAGAIN, without a switch", "%d, ran %d", r, ran);
	co_run();

	/* A wait with a timeout, satisfied in time: its timer must not end a
	 * later wait of the same coroutine. */
	co_chan_init(&later, sizeof v, 0, 0);
	o = (struct op){ .ch = &rv, .timeout = 20 * MS };
	co_spawn(receiver, &o);
	co_yield();
	v = 4;
	co_send(&rv, &v, 0);
	co_run();
	o.ch = &later;
	o.timeout = -1;
	co_spawn(receiver, &o);
	co_sleep(40 * MS);              /* past the first timeout */
	v = 5;
	r = co_send(&later, &v, 0);
	co_run();
	check(r == 0 && o.result == 0 && o.value == 5, "a timeout met in time ends no later wait",
	      "send %d, recv %d, got %d", r, o.result, o.value);
}

/* ---- a chain of coroutines --------------------------------------------------- */

enum { LINKS = 100 };
struct word { unsigned seq, mix; };
static struct co_chan link[LINKS + 1];
static struct word rings[LINKS + 1][8];
static long chain_n;

static unsigned mix(unsigned seq) { return seq * 2654435761u ^ seq >> 7; }

static void producer(void *arg)
{
	(void)arg;
	for (long i = 0; i < chain_n; i++) {
		struct word w = { (unsigned)i, mix((unsigned)i) };

		co_send(&link[0], &w, -1);
	}
	co_chan_close(&link[0]);
}

static void relay(void *arg)
{
	struct co_chan *in = arg;
	struct word w;

	while (!co_recv(in, &w, -1))
		co_send(in + 1, &w, -1);
	co_chan_close(in + 1);
}

/* n messages from a producer through LINKS relays to main, over channels of
 * capacity 0, 1 and 8 in turn: the messages that arrived in order and
 * intact, or -1 if any did not. */
static long chain(long n)
{
	struct word w;
	long got = 0, bad = 0;
	int r;

	chain_n = n;
	for (int i = 0; i <= LINKS; i++)
		co_chan_init(&link[i], sizeof w, rings[i], i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : 8);
	co_spawn(producer, 0);
	for (int i = 0; i < LINKS; i++)
		co_spawn(relay, &link[i]);
	while ((r = co_recv(&link[LINKS], &w, -1)) == 0) {
		bad += w.seq != (unsigned)got || w.mix != mix((unsigned)got);
		got++;
	}
	co_run();
	return bad || r != -EPIPE ? -1 : got;
}

/* ---- the deadlock report ------------------------------------------------------- */

static struct co_chan dead1, dead2, dead3, dead4;

static void wait_recv(void *arg) { int v; (void)arg; co_recv(&dead1, &v, -1); }
static void wait_send(void *arg) { int v = 0; (void)arg; co_send(&dead2, &v, -1); }

static void wait_select(void *arg)
{
	int v = 0, w;
	struct co_case k[2] = { { .ch = &dead3, .op = CO_SEND, .msg = &v },
				{ .ch = &dead4, .op = CO_RECV, .msg = &w } };

	(void)arg;
	co_select(k, 2, -1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && str_eq(argv[1], "deadlock")) {
		/* 1 receives, 2 sends, 3 selects, each on rendezvous
		 * channels of its own, so none can meet another. */
		int v;

		co_chan_init(&dead1, sizeof v, 0, 0);
		co_chan_init(&dead2, sizeof v, 0, 0);
		co_chan_init(&dead3, sizeof v, 0, 0);
		co_chan_init(&dead4, sizeof v, 0, 0);
		co_spawn(wait_recv, 0);
		co_spawn(wait_send, 0);
		co_spawn(wait_select, 0);
		co_run();
		return 0;
	}
	if (argc > 2 && str_eq(argv[1], "chain") && arg_number(argv[2]) >= 0) {
		long n = arg_number(argv[2]), got = chain(n);

		check(got == n, "messages through 100 coroutines, intact", "%ld of %ld", got, n);
		return check_done();
	}
	if (argc > 1) {
		co_eprint("usage: t_chan [deadlock | chain N]\n");
		return CO_EXIT_USAGE;
	}
	bad_calls();
	fifo();
	many_to_many(0);
	many_to_many(1);
	many_to_many(5);
	close_while_blocked();
	select_ready();
	select_blocked();
	timeouts();
	long got = chain(10000);
	check(got == 10000, "10000 messages through 100 coroutines, intact",
	      "%ld (a million sends)", got);
	return check_done();
}
