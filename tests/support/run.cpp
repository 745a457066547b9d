#include "run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <csignal>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace salesint::test {
namespace {

// The caller's environment minus SALESINT_*, so a developer's settings cannot
// leak into a test, plus the test's own variables.
std::vector<std::string> environment(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        if (std::strncmp(*entry, "SALESINT_", 9) != 0) {
            env.emplace_back(*entry);
        }
    }
    for (const auto& [key, value] : extra) {
        env.push_back(key + "=" + value);
    }
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

}  // namespace

nlohmann::json RunResult::json() const {
    INFO("stdout: " << out << "\nstderr: " << err);
    auto parsed = nlohmann::json::parse(out, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    return parsed;
}

const std::string& salesint_binary() {
    static const std::string path = SALESINT_TEST_BINARY;
    return path;
}

std::string fixtures_dir() {
    return std::string(SALESINT_SOURCE_DIR) + "/fixtures";
}
std::string source_dir() {
    return SALESINT_SOURCE_DIR;
}

RunResult run_program(const std::vector<std::string>& argv, const RunOptions& options) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
        pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    if (!options.cwd.empty()) {
        posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
    }
    std::vector<std::string> args = argv;
    std::vector<std::string> env = environment(options.env);
    auto arg_ptrs = pointers(args);
    auto env_ptrs = pointers(env);
    pid_t pid = 0;
    int spawned =
        posix_spawn(&pid, args[0].c_str(), &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (spawned != 0) {
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("cannot run " + args[0] + ": " + std::strerror(spawned));
    }
    // Feed stdin and drain both outputs together, so no pipe fills up and blocks.
    RunResult result;
    std::size_t written = 0;
    int in_fd = in_pipe[1];
    if (options.input.empty()) {
        close(in_fd);
        in_fd = -1;
    } else {
        fcntl(in_fd, F_SETFL, O_NONBLOCK);
    }
    int open_outputs = 2;
    pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
    while (open_outputs > 0 || in_fd >= 0) {
        fds[2].fd = in_fd;
        if (poll(fds, 3, -1) < 0) {
            continue;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
                char buffer[65536];
                ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
                if (got > 0) {
                    (i == 0 ? result.out : result.err)
                        .append(buffer, static_cast<std::size_t>(got));
                } else {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    --open_outputs;
                }
            }
        }
        if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t put =
                write(in_fd, options.input.data() + written, options.input.size() - written);
            if (put > 0) {
                written += static_cast<std::size_t>(put);
            }
            if (put < 0 || written == options.input.size()) {
                close(in_fd);
                in_fd = -1;
            }
        }
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.signaled = WIFSIGNALED(status);
    result.max_rss_kb = usage.ru_maxrss;
    return result;
}

Background::Background(const std::vector<std::string>& argv, const RunOptions& options) {
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    std::vector<std::string> args = argv;
    std::vector<std::string> env = environment(options.env);
    auto arg_ptrs = pointers(args);
    auto env_ptrs = pointers(env);
    int spawned =
        posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
    if (spawned != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot run " + args[0] + ": " + std::strerror(spawned));
    }
}

Background::~Background() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0)
        close(out_fd_);
    if (err_fd_ >= 0)
        close(err_fd_);
}

std::string Background::read_line(int timeout_ms) {
    while (out_buffer_.find('\n') == std::string::npos) {
        pollfd fd{out_fd_, POLLIN, 0};
        if (poll(&fd, 1, timeout_ms) <= 0) {
            return "";
        }
        char buffer[4096];
        ssize_t got = read(out_fd_, buffer, sizeof buffer);
        if (got <= 0) {
            return "";
        }
        out_buffer_.append(buffer, static_cast<std::size_t>(got));
    }
    auto end = out_buffer_.find('\n');
    std::string line = out_buffer_.substr(0, end);
    result_.out += out_buffer_.substr(0, end + 1);
    out_buffer_.erase(0, end + 1);
    return line;
}

void Background::signal(int signal_number) {
    if (pid_ > 0) {
        kill(pid_, signal_number);
    }
}

RunResult Background::wait(int timeout_ms) {
    result_.out += out_buffer_;
    out_buffer_.clear();
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    int open_outputs = 2;
    while (open_outputs > 0) {
        if (poll(fds, 2, timeout_ms) <= 0) {
            kill(pid_, SIGKILL);  // hung: fail the test rather than the whole suite
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
                char buffer[65536];
                ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
                if (got > 0) {
                    (i == 0 ? result_.out : result_.err)
                        .append(buffer, static_cast<std::size_t>(got));
                } else {
                    fds[i].fd = -1;
                    --open_outputs;
                }
            }
        }
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result_;
}

RunResult run_salesint(const std::vector<std::string>& args, const RunOptions& options) {
    std::vector<std::string> argv{salesint_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, options);
}

}  // namespace salesint::test
