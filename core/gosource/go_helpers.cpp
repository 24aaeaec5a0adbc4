// The helpers every generated Go program ends with (see go_program.cpp). They are
// Go source text; each says why it exists, because students read them too.
#include "gosource/go_helpers.hpp"

namespace pollscope::gosource {

const char* const kGoHelpers = R"GO(
// ---- helpers ---------------------------------------------------------------

// wg is the main goroutine's wait for every goroutine, spawned ones included.
var wg sync.WaitGroup

// A signal is something that happens once (a name is created, a labelled step
// has finished); waiting on it afterwards returns at once.
type signal struct {
	once sync.Once
	ch   chan struct{}
}

func newSignal() *signal { return &signal{ch: make(chan struct{})} }
func (s *signal) fire()  { s.once.Do(func() { close(s.ch) }) }
func (s *signal) wait()  { <-s.ch }

// hint tells a waitParked caller that this goroutine is about to make a network
// call that may park. It never blocks.
func hint(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// waitParked returns once some goroutine is parked in the network poller at one
// of the given lines of this file. Go has no API to ask "is that goroutine parked
// on the socket yet?". The goroutine about to make the call sends a hint first.
// With one P that is exact: the hinting goroutine keeps the P until it parks in
// its call, and only then can the waiter run. With more Ps the waiter checks the
// runtime's goroutine dump, which shows a goroutine parked by netpollblock as
// "[IO wait]" with the line it called from; the dump stops the world, and
// restarting the world polls the network, so that check is not free.
func waitParked(hintCh chan struct{}, lines ...int) {
	if hintCh != nil {
		<-hintCh
		if runtime.GOMAXPROCS(0) == 1 {
			return
		}
	}
	for !parkedAt(lines) {
		time.Sleep(time.Millisecond)
	}
}

func parkedAt(lines []int) bool {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, " [IO wait") {
			continue
		}
		if len(lines) == 0 {
			return true
		}
		for _, l := range lines {
			if strings.Contains(g, fmt.Sprintf("%s:%d ", thisFile, l)) {
				return true
			}
		}
	}
	return false
}

var thisFile = func() string { _, f, _, _ := runtime.Caller(0); return f }()

// spin keeps the CPU busy. pollscope's engine never preempts it; Go's runtime
// preempts a goroutine that runs for more than 10 ms.
func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

// unixAddr is a fresh name in Linux's abstract socket namespace.
func unixAddr(name string) string { return fmt.Sprintf("@pollscope-%d-%s", os.Getpid(), name) }

// report prints what one call returned, in the words of pollscope's traces
// (bytes moved and the kind of error), so a run can be checked against the
// scenario's trace.
func report(step int, goroutine, op string, n int, err error) {
	fmt.Printf("step %d %s %s: n=%d err=%s\n", step, goroutine, op, n, errKind(err))
}

func reportRead(step int, goroutine string, n int, err error, data []byte) {
	if len(data) > 64 {
		data = data[:64]
	}
	fmt.Printf("step %d %s read: n=%d err=%s data=%q\n", step, goroutine, n, errKind(err), data)
}

func errKind(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, io.EOF):
		return "eof"
	case errors.Is(err, net.ErrClosed):
		return "closed"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, syscall.EPIPE):
		return "broken_pipe"
	}
	return "other(" + err.Error() + ")"
}

// traceName names the current goroutine in Go's execution trace (runtime/trace),
// so a trace of this program can be read in the scenario's terms.
func traceName(goroutine string) {
	trace.Log(context.Background(), "pollscope.goroutine", goroutine)
}

// startTrace records Go's execution trace when POLLSCOPE_GO_TRACE names a file
// (pollscope compare-go sets it); it returns the function that stops it.
func startTrace() func() {
	path := os.Getenv("POLLSCOPE_GO_TRACE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	return func() { trace.Stop(); f.Close() }
}

// closeIfOpen closes what the scenario's runner closes at the end.
func closeIfOpen(c io.Closer) {
	if c != nil {
		c.Close()
	}
}
)GO";

}  // namespace pollscope::gosource
