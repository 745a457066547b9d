// Runs the real salesint binary (or any program) with arguments, optional
// standard input and extra environment, and captures what it printed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace salesint::test {

struct RunResult {
    int exit_code = -1;  // 128 + the signal when a signal ended it
    bool signaled = false;
    long max_rss_kb = 0;  // the process's peak resident memory
    std::string out;
    std::string err;

    nlohmann::json json() const;  // parses stdout; fails the test if it is not JSON
};

struct RunOptions {
    std::string input;                       // written to stdin
    std::map<std::string, std::string> env;  // added to a clean environment
    std::string cwd;                         // empty: the test's working directory
};

// The built binary under test (set by CMake).
const std::string& salesint_binary();
// The fixtures/ directory of the source tree.
std::string fixtures_dir();
// The source tree, for comparing generated files with checked-in ones.
std::string source_dir();

RunResult run_program(const std::vector<std::string>& argv, const RunOptions& options = {});

// A program left running (a server): read its first lines, signal it, and
// collect its exit code and output. Killed if still running when destroyed.
class Background {
  public:
    Background(const std::vector<std::string>& argv, const RunOptions& options = {});
    ~Background();
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

    // The next line of stdout, waiting at most timeout_ms; "" on timeout or EOF.
    std::string read_line(int timeout_ms = 10'000);
    void signal(int signal_number);
    // Waits for the exit (at most timeout_ms, then kills) and returns what it printed.
    RunResult wait(int timeout_ms = 20'000);

  private:
    int pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::string out_buffer_;
    RunResult result_;
};
RunResult run_salesint(const std::vector<std::string>& args, const RunOptions& options = {});

}  // namespace salesint::test
