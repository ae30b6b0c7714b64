/*
 * bench/peers/uv_echo.c PORT - the echo server written with libuv (Debian
 * libuv1-dev), as its users write one: a uv_tcp_t listening on
 * 127.0.0.1:PORT, uv_read_start on each connection, each chunk read written
 * back with uv_write.  Single-threaded, like examples/echo.c and
 * bench/echo_epoll.c; a peer for bench/syscalls.sh (system calls per round
 * trip) and for timed runs.  Built by the host's compiler with its libc
 * (bench/bench.mk), never with the runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

struct write_req {
	uv_write_t req;
	uv_buf_t buf;
};

static uv_loop_t *loop;

static void on_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
	(void)h;
	buf->base = malloc(size);
	buf->len = buf->base ? size : 0;
}

static void on_closed(uv_handle_t *h)
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

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct write_req *w;

	if (n > 0 && (w = malloc(sizeof *w))) {
		w->buf = uv_buf_init(buf->base, (unsigned)n);
		if (uv_write(&w->req, s, &w->buf, 1, on_written) == 0)
			return;         /* on_written frees the buffer */
		free(w);
	}
	free(buf->base);
	if (n < 0)
		uv_close((uv_handle_t *)s, on_closed);
}

static void on_connection(uv_stream_t *server, int status)
{
	uv_tcp_t *c;

	if (status < 0 || !(c = malloc(sizeof *c)))
		return;
	uv_tcp_init(loop, c);
	if (uv_accept(server, (uv_stream_t *)c) == 0)
		uv_read_start((uv_stream_t *)c, on_alloc, on_read);
	else
		uv_close((uv_handle_t *)c, on_closed);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr;
	uv_tcp_t server;

	loop = uv_default_loop();
	uv_ip4_addr("127.0.0.1", argc > 1 ? atoi(argv[1]) : 7779, &addr);
	uv_tcp_init(loop, &server);
	if (uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0) ||
	    uv_listen((uv_stream_t *)&server, 4096, on_connection)) {
		fprintf(stderr, "uv_echo: cannot listen on port %s\n", argc > 1 ? argv[1] : "7779");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	return uv_run(loop, UV_RUN_DEFAULT);
}
