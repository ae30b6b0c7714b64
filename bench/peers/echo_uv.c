/*
 * bench/peers/echo_uv.c PORT - the echo server written with libuv (Debian's
 * libuv1-dev), as its users write one (libuv's own guide): a uv_tcp_t per
 * connection, reads into a buffer from the alloc callback, each read
 * written back with uv_write and its buffer freed when the write is done.
 * Single-threaded (one loop), on 127.0.0.1:PORT like examples/echo.c and
 * bench/echo_epoll.c; prints "listening" once ready.  A host program
 * (libc and libuv), built by bench/bench.mk into build/bench/<arch>/peers/.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

struct write_req {
	uv_write_t req;
	uv_buf_t buf;
};

static uv_loop_t *loop;

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	buf->base = malloc(suggested);
	buf->len = buf->base ? suggested : 0;
}

static void on_close(uv_handle_t *h)
{
	free(h);
}

static void on_written(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;

	(void)status;
	free(w->buf.base);
	free(w);
}

static void on_read(uv_stream_t *client, ssize_t n, const uv_buf_t *buf)
{
	struct write_req *w;

	if (n > 0 && (w = malloc(sizeof *w))) {
		w->buf = uv_buf_init(buf->base, (unsigned)n);
		if (uv_write(&w->req, client, &w->buf, 1, on_written) == 0)
			return;
		free(w);
	}
	free(buf->base);
	if (n < 0 || n > 0)             /* end, error, or a write not started */
		uv_close((uv_handle_t *)client, on_close);
}

static void on_connection(uv_stream_t *server, int status)
{
	uv_tcp_t *client;

	if (status < 0 || !(client = malloc(sizeof *client)))
		return;
	uv_tcp_init(loop, client);
	if (uv_accept(server, (uv_stream_t *)client) == 0)
		uv_read_start((uv_stream_t *)client, on_alloc, on_read);
	else
		uv_close((uv_handle_t *)client, on_close);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr;
	uv_tcp_t server;

	signal(SIGPIPE, SIG_IGN);       /* a client gone mid-write: an error, not death */
	loop = uv_default_loop();
	uv_tcp_init(loop, &server);
	uv_ip4_addr("127.0.0.1", argc > 1 ? atoi(argv[1]) : 7779, &addr);
	if (uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0) ||
	    uv_listen((uv_stream_t *)&server, 4096, on_connection)) {
		fprintf(stderr, "echo_uv: cannot listen\n");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	return uv_run(loop, UV_RUN_DEFAULT);
}
