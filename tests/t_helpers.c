/*
 * t_helpers.c - the small helpers (helpers.c, costring.h): co_strlen,
 * co_chan_len, co_sem_value, and costring.h's declarations of mem.c's
 * functions, called through it.
 */
#include "check.h"
#include "costring.h"

CO_CHAN_DECLARE(ch, int, 3);
static struct co_chan rendezvous;
static struct co_sem sem = CO_SEM_INIT(2);

static void sender(void *arg)
{
	int v = 1;

	co_send(arg, &v, -1);
}

int main(void)
{
	char buf[8], long_str[300];
	int v = 5;

	CHECK_EQ("co_strlen(\"\")", co_strlen(""), 0);
	CHECK_EQ("co_strlen(\"hello\")", co_strlen("hello"), 5);
	memset(long_str, 'x', sizeof long_str - 1);
	long_str[sizeof long_str - 1] = 0;
	CHECK_EQ("co_strlen of 299 bytes", co_strlen(long_str), 299);
	memcpy(buf, "abcdefg", 8);
	memmove(buf + 1, buf, 6);
	check(!memcmp(buf, "aabcdef", 8) && memcmp("a", "b", 1) < 0,
	      "memcpy, memmove, memcmp through costring.h", "%s", buf);

	CHECK_EQ("co_chan_len: empty", co_chan_len(&ch), 0);
	co_send(&ch, &v, 0);
	co_send(&ch, &v, 0);
	CHECK_EQ("co_chan_len: 2 sent", co_chan_len(&ch), 2);
	co_recv(&ch, &v, 0);
	CHECK_EQ("co_chan_len: 1 received", co_chan_len(&ch), 1);
	co_chan_init(&rendezvous, sizeof(int), 0, 0);
	co_spawn(sender, &rendezvous);
	co_yield();
	CHECK_EQ("co_chan_len: rendezvous, a sender waits", co_chan_len(&rendezvous), 0);
	co_recv(&rendezvous, &v, 0);
	CHECK_EQ("co_chan_len(NULL): -EINVAL", co_chan_len(0), -EINVAL);
	CHECK_EQ("co_chan_len(uninitialised): -EINVAL", co_chan_len(&(struct co_chan){ 0 }), -EINVAL);

	CHECK_EQ("co_sem_value: CO_SEM_INIT(2)", co_sem_value(&sem), 2);
	co_sem_wait(&sem, 0);
	CHECK_EQ("co_sem_value: one taken", co_sem_value(&sem), 1);
	co_sem_post(&sem);
	co_sem_post(&sem);
	CHECK_EQ("co_sem_value: two given back", co_sem_value(&sem), 3);
	CHECK_EQ("co_sem_value(NULL): -EINVAL", co_sem_value(0), -EINVAL);
	return check_done();
}
