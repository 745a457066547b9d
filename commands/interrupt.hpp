// SIGINT and SIGTERM during long work (execute --batch): the first asks the
// work to stop at the next safe point (the current transaction commits or
// rolls back, committed rows are reported, the summary printed); the second
// ends the process at once, which the state file survives as it survives a
// crash. Installed for the lifetime of the guard, then the defaults return.
#pragma once

#include <atomic>

namespace salesint::cli {

class InterruptGuard {
  public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // Set once a signal arrived; the work polls it.
    const std::atomic<bool>& requested() const;
    // The signal that arrived (SIGINT, SIGTERM), or 0.
    int signal_number() const;
    // 128 + the signal, as a shell reports a process a signal ended: 130, 143.
    int exit_code() const { return 128 + signal_number(); }
};

}  // namespace salesint::cli
