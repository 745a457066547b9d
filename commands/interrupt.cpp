#include "interrupt.hpp"

#include <csignal>

namespace salesint::cli {
namespace {

std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};

struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

extern "C" void on_interrupt(int signal_number) {
    if (g_requested.exchange(true)) {
        // The second signal: the default action, now (async-signal-safe).
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
        return;
    }
    g_signal = signal_number;
}

}  // namespace

InterruptGuard::InterruptGuard() {
    g_requested = false;
    g_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    // SA_RESTART: a write to a full pipe that a signal interrupts must not
    // fail, or the stream drops what it holds and a line is cut in half. The
    // readers wait in poll() with a timeout, which a signal ends anyway.
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, &g_previous_int);
    sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
    sigaction(SIGINT, &g_previous_int, nullptr);
    sigaction(SIGTERM, &g_previous_term, nullptr);
}

const std::atomic<bool>& InterruptGuard::requested() const {
    return g_requested;
}

int InterruptGuard::signal_number() const {
    return g_signal;
}

}  // namespace salesint::cli
