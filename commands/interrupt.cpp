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
    action.sa_flags = 0;  // no SA_RESTART: a blocked read returns and sees the request
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
