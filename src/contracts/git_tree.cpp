#include "git_tree.hpp"

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "salesint/errors.hpp"

extern char** environ;

namespace salesint::contracts {
namespace {

namespace fs = std::filesystem;

struct GitRun {
    int status = -1;  // git's exit status; -1 when it could not be run
    std::string out;
    std::string err;
};

// git -C directory ARGS..., its output read whole.
GitRun run_git(const std::string& directory, std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", directory});
    std::vector<char*> argv;
    for (std::string& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe(out_pipe) != 0) {
        throw usage_error(std::string("cannot run git: ") + std::strerror(errno));
    }
    if (::pipe(err_pipe) != 0) {
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        throw usage_error(std::string("cannot run git: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    int spawned = ::posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    GitRun run;
    if (spawned != 0) {
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        return run;
    }
    std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
    std::array<std::string*, 2> into{&run.out, &run.err};
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                into[i]->append(buffer, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (pollfd& fd : fds) {
        if (fd.fd >= 0) {
            ::close(fd.fd);
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (line.starts_with("fatal: ")) {
        line.erase(0, 7);
    }
    return line;
}

}  // namespace

std::vector<GitFile> files_at_revision(const std::string& ref, const std::string& path,
                                       bool directory) {
    if (ref.empty() || ref.front() == '-') {
        // git would read it as an option.
        throw usage_error("git revision '" + ref + "': expected a branch, tag or commit");
    }
    const fs::path at = fs::path(path).lexically_normal();
    const std::string dir =
        directory ? at.string() : (at.has_parent_path() ? at.parent_path().string() : ".");
    GitRun prefix = run_git(dir, {"rev-parse", "--show-prefix"});
    if (prefix.status < 0) {
        throw usage_error("cannot run git: is it installed and on PATH?");
    }
    if (prefix.status != 0) {
        throw usage_error(path + ": " + first_line(prefix.err));
    }
    std::string where = prefix.out.substr(0, prefix.out.find('\n'));
    if (run_git(dir, {"rev-parse", "--verify", "--quiet", ref + "^{commit}"}).status != 0) {
        throw not_found("no commit " + ref + " in the git repository of " + path);
    }
    auto object = [&ref](const std::string& in_tree) {
        return in_tree.empty() ? ref + "^{tree}" : ref + ":" + in_tree;
    };
    std::vector<std::string> names;
    if (directory) {
        if (!where.empty() && where.back() == '/') {
            where.pop_back();
        }
        GitRun kind = run_git(dir, {"cat-file", "-t", object(where)});
        if (kind.status != 0 || kind.out.substr(0, 4) != "tree") {
            throw not_found(path + " is not a directory at " + ref);
        }
        GitRun listing = run_git(dir, {"ls-tree", "-z", "--full-tree", object(where)});
        if (listing.status != 0) {
            throw usage_error(path + " at " + ref + ": " + first_line(listing.err));
        }
        // "MODE TYPE SHA\tNAME\0" per entry.
        for (std::size_t start = 0; start < listing.out.size();) {
            std::size_t end = listing.out.find('\0', start);
            end = end == std::string::npos ? listing.out.size() : end;
            std::string entry = listing.out.substr(start, end - start);
            start = end + 1;
            std::size_t tab = entry.find('\t');
            if (tab == std::string::npos || entry.find(" blob ") == std::string::npos) {
                continue;
            }
            std::string name = entry.substr(tab + 1);
            if (fs::path(name).extension() == ".json") {
                names.push_back(name);
            }
        }
        std::sort(names.begin(), names.end());
        if (!where.empty()) {
            where += '/';
        }
    } else {
        names.push_back(at.filename().string());
    }
    std::vector<GitFile> files;
    for (const std::string& name : names) {
        GitRun blob = run_git(dir, {"cat-file", "blob", object(where + name)});
        if (blob.status != 0) {
            throw not_found(path + " is not in " + ref);
        }
        files.push_back({name, std::move(blob.out)});
    }
    return files;
}

}  // namespace salesint::contracts
