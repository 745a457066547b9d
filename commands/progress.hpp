// A progress line on stderr for long work: shown on a terminal only, redrawn
// at most five times a second, and cleared at the end, so that piped runs and
// logs stay clean.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace salesint::cli {

class ProgressLine {
  public:
    ProgressLine(std::string noun, bool quiet)
        : noun_(std::move(noun)), enabled_(!quiet && ::isatty(STDERR_FILENO) == 1) {}

    void update(std::size_t done) {
        if (!enabled_) {
            return;
        }
        const auto now = Clock::now();
        if (now - last_ < std::chrono::milliseconds(200)) {
            return;
        }
        last_ = now;
        const double seconds = std::chrono::duration<double>(now - started_).count();
        std::fprintf(stderr, "\r%zu %s, %.0f/s ", done, noun_.c_str(),
                     seconds > 0 ? static_cast<double>(done) / seconds : 0.0);
        std::fflush(stderr);
        drawn_ = true;
    }

    void finish() {
        if (drawn_) {
            std::fputs("\r\033[K", stderr);
            std::fflush(stderr);
        }
    }

  private:
    using Clock = std::chrono::steady_clock;
    std::string noun_;
    bool enabled_;
    bool drawn_ = false;
    Clock::time_point started_ = Clock::now();
    Clock::time_point last_{};
};

}  // namespace salesint::cli
