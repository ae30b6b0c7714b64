// bench/peers/scale.go - bench/scale.c's counterpart with Go's goroutines
// (make bench-scale; built with the host's Go toolchain into
// build/bench/<arch>/peers/, run with GOMAXPROCS=1: one P, as this runtime
// has one thread).
//
//	scale-go N   spawn N goroutines, let each run once, time yields through
//	             runtime.Gosched while all are alive, then let each finish.
//	             Prints the line bench/scale.c prints:
//	               N  SPAWN  FIRST_RUN  YIELD  FINISH  RSS_PER_GOROUTINE  STACK
//	             times in ns per goroutine (the yield: per Gosched), STACK
//	             the stack bytes in use per goroutine (runtime.MemStats).
//
// spawn: the N go statements; first run: main's Gosched calls until each
// goroutine has started (counted); yields: main's and every goroutine's
// Gosched calls, counted, over at least 300 ms; finish: from the stop flag
// until each has returned (counted).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

var stop int32
var started, finished int64
var counts []int64 // Gosched calls, per goroutine

func body(i int) {
	atomic.AddInt64(&started, 1)
	for atomic.LoadInt32(&stop) == 0 {
		runtime.Gosched()
		counts[i]++
	}
	atomic.AddInt64(&finished, 1)
}

func vmRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kib, _ := strconv.ParseInt(f[1], 10, 64)
			return kib * 1024
		}
	}
	return 0
}

func sum() (s int64) {
	for _, c := range counts {
		s += c
	}
	return
}

func ns(d time.Duration, units int64) string {
	return fmt.Sprintf("%.2f", float64(d.Nanoseconds())/float64(units))
}

func main() {
	runtime.GOMAXPROCS(1)
	n, err := strconv.Atoi(strings.Join(os.Args[1:], " "))
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: scale-go N")
		os.Exit(2)
	}
	counts = make([]int64, n)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	stack0, rss0 := ms.StackInuse, vmRSS()

	t0 := time.Now()
	for i := 0; i < n; i++ {
		go body(i)
	}
	spawned := time.Now()
	for atomic.LoadInt64(&started) < int64(n) {
		runtime.Gosched()
	}
	ran := time.Now()
	rss := vmRSS()
	runtime.ReadMemStats(&ms)
	stack := ms.StackInuse - stack0

	s0, mine := sum(), int64(0)
	t := time.Now()
	for time.Since(t) < 300*time.Millisecond || mine < 3 {
		runtime.Gosched()
		mine++
	}
	yields := time.Since(t)
	total := sum() - s0 + mine
	atomic.StoreInt32(&stop, 1)
	t = time.Now()
	for atomic.LoadInt64(&finished) < int64(n) {
		runtime.Gosched()
	}
	fin := time.Since(t)
	fmt.Println(n, ns(spawned.Sub(t0), int64(n)), ns(ran.Sub(spawned), int64(n)),
		ns(yields, total), ns(fin, int64(n)), (rss-rss0)/int64(n), int64(stack)/int64(n))
}
