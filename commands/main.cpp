#include <csignal>

#include "cli.hpp"

int main(int argc, char** argv) {
    // Under a file size limit (ulimit -f) a write past it raises SIGXFSZ, which
    // kills the process mid-write; ignored, the write fails with EFBIG instead,
    // and the state file's transaction rolls back with a one-line error.
    std::signal(SIGXFSZ, SIG_IGN);
    return salesint::cli::run(argc, argv);
}
