// bench/peers/chan.go - Go's channels beside ours (make bench): the same
// three figures as `bench chans` (bench/bench.c), by the same method, on
// one P (GOMAXPROCS=1: one thread runs Go code, as one thread runs ours).
// Built from bench/ by the Debian Go toolchain (bench/table.sh).  Prints
//
//	go RENDEZVOUS_NS BUFFERED_NS SELECT_NS
//
//	RENDEZVOUS_NS  a round trip over two unbuffered channels: main sends on
//	               ping, a goroutine receives and sends it back on pong;
//	BUFFERED_NS    per message through a channel of 128, a goroutine
//	               sending, main receiving;
//	SELECT_NS      per message, main sending on ping and pong in turn
//	               (unbuffered), a goroutine receiving in a two-way select.
//
// Each figure runs for at least 100 ms (10 ms with BENCH_QUICK=1) after an
// untimed warm-up; messages are ints, a negative one says stop.
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"
)

var ping, pong = make(chan int), make(chan int)
var queue = make(chan int, 128)

func echoer() {
	for v := range ping {
		if v < 0 {
			return
		}
		pong <- v
	}
}

func rendezvous(n int) int {
	go echoer()
	for i := 0; i < n; i++ {
		ping <- i
		<-pong
	}
	ping <- -1
	return n
}

func producer(n int) {
	for i := 0; i < n; i++ {
		queue <- i
	}
	queue <- -1
}

func buffered(n int) int {
	go producer(n)
	for v := range queue {
		if v < 0 {
			break
		}
	}
	return n
}

func selector(done chan bool) {
	for {
		var v int
		select {
		case v = <-ping:
		case v = <-pong:
		}
		if v < 0 {
			done <- true
			return
		}
	}
}

func selects(n int) int {
	done := make(chan bool)
	go selector(done)
	for i := 0; i < n; i++ {
		if i&1 != 0 {
			pong <- i
		} else {
			ping <- i
		}
	}
	ping <- -1
	<-done
	return n
}

// ns per operation of run, over at least least after one untimed call.
func measure(run func(int) int, least time.Duration) float64 {
	run(1000)
	done := 0
	start := time.Now()
	for time.Since(start) < least {
		done += run(10000)
	}
	return float64(time.Since(start).Nanoseconds()) / float64(done)
}

func main() {
	runtime.GOMAXPROCS(1)
	least := 100 * time.Millisecond
	if os.Getenv("BENCH_QUICK") == "1" {
		least = 10 * time.Millisecond
	}
	fmt.Printf("go %.2f %.2f %.2f\n", measure(rendezvous, least),
		measure(buffered, least), measure(selects, least))
}
