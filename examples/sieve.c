/*
 * examples/sieve.c - the concurrent prime sieve: a chain of coroutines
 * joined by channels, as in the classic Newsqueak and Go program.
 *
 *   sieve [N]       print the first N primes, one a line (default 100)
 *
 * A generator sends 2, 3, 4, ... down a rendezvous channel.  Main receives
 * the first number, a prime, prints it, and puts a filter on the channel: a
 * coroutine that passes on, down a new channel, the numbers its prime does
 * not divide.  The next number out of that channel is the next prime, and so
 * on: N primes take N coroutines (the generator and N - 1 filters), so N is
 * at most the pool's capacity.  Returning from main ends them all.
 */
#include "coroutine.h"
#include "print.h"
#include "args.h"

struct filter {
	struct co_chan *in, *out;
	unsigned prime;
};

static struct co_chan chans[CO_CAPACITY];       /* one per coroutine */
static struct filter filters[CO_CAPACITY];

static void generate(void *arg)
{
	for (unsigned n = 2; co_send(arg, &n, -1) == 0; n++)
		;
}

static void filter(void *arg)
{
	struct filter *f = arg;
	unsigned n;

	while (co_recv(f->in, &n, -1) == 0)
		if (n % f->prime && co_send(f->out, &n, -1))
			break;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? arg_number(argv[1]) : 100;
	struct co_chan *ch = &chans[0];
	unsigned prime;

	if (argc > 2 || count < 1) {
		co_eprint("usage: sieve [N]   print the first N primes (default 100)\n");
		return CO_EXIT_USAGE;
	}
	if (count > CO_CAPACITY) {
		co_eprint("sieve: %ld primes need %ld coroutines; the pool holds %d "
			  "(make CAPACITY=...)\n", count, count, CO_CAPACITY);
		return CO_EXIT_USAGE;
	}
	co_chan_init(ch, sizeof prime, 0, 0);
	int err = co_spawn(generate, ch);
	for (long i = 0; err >= 0; i++) {
		co_recv(ch, &prime, -1);
		co_print("%u\n", prime);
		if (i == count - 1)
			return 0;
		filters[i] = (struct filter){ ch, ch + 1, prime };
		co_chan_init(++ch, sizeof prime, 0, 0);
		err = co_spawn(filter, &filters[i]);
	}
	co_eprint("sieve: cannot start a coroutine (error %d)\n", err);
	return 1;
}
