// The kqueue backend (Go's runtime/netpoll_kqueue.go) for macOS and the BSDs.
// Compiled only there; see docs/fidelity.md for what has and has not been run.
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || \
    defined(__DragonFly__)
#error "kqueue backend: not yet written (see docs/fidelity.md)"
#endif
