// The state file on disk, through the real binary and real SQLite files in
// temp dirs: modes and owners, paths where it cannot be created or written, a
// creation that fails, damaged pages, and `state backup` while another
// process writes (README, "The state file").
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "salesint/store.hpp"
#include "support/run.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

constexpr uid_t kNobody = 65534;
constexpr const char* kChoosePath = "choose another path with --state or SALESINT_STATE";

int mode_of(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 ? static_cast<int>(status.st_mode & 07777) : -1;
}

bool exists(const std::string& path) {
    return ::access(path.c_str(), F_OK) == 0;
}

std::vector<std::string> entries(const std::string& directory) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

long count_lines(const std::string& text) {
    return static_cast<long>(std::count(text.begin(), text.end(), '\n'));
}

RunResult salesint_on(const std::string& state, std::vector<std::string> args) {
    args.insert(args.begin(), {"--state", state});
    return run_salesint(args);
}

// The documented failure: exit code, then one error line (plus the usage
// hint for exit 2), and never a signal or an internal error.
void check_error(const RunResult& result, int exit_code) {
    INFO("stdout: " << result.out << "\nstderr: " << result.err);
    CHECK(result.exit_code == exit_code);
    CHECK_THAT(result.err, Catch::StartsWith("salesint: error: "));
    CHECK(count_lines(result.err) == (exit_code == 2 ? 2 : 1));
    CHECK_THAT(result.err, !Catch::Contains("internal error"));
}

void overwrite(const std::string& path, std::streamoff offset, const std::string& bytes) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(offset);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(file.good());
}

// Runs salesint as a user the file modes apply to: this user, or nobody
// (through setpriv) when the tests run as root, whom chmod does not stop.
struct Unprivileged {
    bool available = ::geteuid() != 0 || ::access("/usr/bin/setpriv", X_OK) == 0;
    uid_t uid = ::geteuid() == 0 ? kNobody : ::geteuid();

    RunResult run(std::vector<std::string> args) const {
        if (::geteuid() != 0) {
            return run_salesint(args);
        }
        args.insert(args.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                   "--clear-groups", "--", salesint_binary()});
        return run_program(args);
    }
    // A directory this user may enter and, if writable, create files in.
    void prepare(const std::string& directory, bool writable) const {
        if (::geteuid() == 0) {
            REQUIRE(::chown(directory.c_str(), writable ? uid : 0, static_cast<gid_t>(-1)) == 0);
        }
        REQUIRE(::chmod(directory.c_str(), writable ? 0755 : 0555) == 0);
    }
};

// Commands in a private mount namespace, for a read-only filesystem; empty
// when this machine does not allow one (no CAP_SYS_ADMIN).
std::optional<RunResult> in_mount_namespace(const std::string& script,
                                            const std::string& directory) {
    if (::geteuid() != 0 || ::access("/usr/bin/unshare", X_OK) != 0) {
        return std::nullopt;
    }
    RunResult probe = run_program({"/usr/bin/unshare", "-m", "/bin/sh", "-c",
                                   "mount -t tmpfs tmpfs \"$1\"", "sh", directory});
    if (probe.exit_code != 0) {
        return std::nullopt;
    }
    return run_program(
        {"/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", directory, salesint_binary()});
}

}  // namespace

TEST_CASE("a 0644 state file and its -wal are made 0600 by the first write, with a warning",
          "[e2e][state_file][modes]") {
    TempDir dir;
    const std::string state = dir.state();
    REQUIRE(salesint_on(state, {"state", "init"}).exit_code == 0);
    REQUIRE(::chmod(state.c_str(), 0644) == 0);
    {
        // An open connection keeps the -wal and -shm beside the file; SQLite
        // creates them with the file's mode.
        SQLite::Database reader(state, SQLite::OPEN_READWRITE);
        reader.execAndGet("SELECT count(*) FROM sqlite_master");
        REQUIRE(mode_of(state + "-wal") == 0644);
        REQUIRE(mode_of(state + "-shm") == 0644);

        RunResult check = salesint_on(state, {"state", "check"});
        INFO(check.out << check.err);
        CHECK(check.exit_code == 1);
        CHECK_THAT(check.out, Catch::Contains("file_modes") && Catch::Contains("FAILED") &&
                                  Catch::Contains("state.db 0644") &&
                                  Catch::Contains("state.db-wal 0644"));
        CHECK(mode_of(state) == 0644);  // a read changes nothing

        RunResult write = salesint_on(state, {"connector", "add", "PYXIS"});
        INFO(write.err);
        CHECK(write.exit_code == 0);
        CHECK(count_lines(write.err) == 1);
        CHECK_THAT(write.err, Catch::StartsWith("salesint: warning: ") &&
                                  Catch::Contains(state + " 0644 -> 0600") &&
                                  Catch::Contains(state + "-wal 0644 -> 0600") &&
                                  Catch::Contains(state + "-shm 0644 -> 0600"));
        CHECK(mode_of(state) == 0600);
        CHECK(mode_of(state + "-wal") == 0600);
        CHECK(mode_of(state + "-shm") == 0600);
    }
    RunResult again = salesint_on(state, {"connector", "add", "TEMPO"});
    CHECK(again.exit_code == 0);
    CHECK(again.err.empty());
    CHECK(salesint_on(state, {"state", "check"}).exit_code == 0);

    SECTION("state init counts as a write") {
        REQUIRE(::chmod(state.c_str(), 0640) == 0);
        RunResult init = salesint_on(state, {"state", "init"});
        CHECK(init.exit_code == 0);
        CHECK_THAT(init.err, Catch::Contains("0640 -> 0600"));
        CHECK(mode_of(state) == 0600);
    }
}

TEST_CASE("another user's state file is refused if others can read it, and used if 0600",
          "[e2e][state_file][modes]") {
    if (::geteuid() != 0) {
        WARN("skipped: giving a file to another user needs root");
        return;
    }
    TempDir dir;
    const std::string state = dir.state();
    REQUIRE(salesint_on(state, {"connector", "add", "PYXIS"}).exit_code == 0);
    REQUIRE(::chown(state.c_str(), kNobody, kNobody) == 0);
    REQUIRE(::chmod(state.c_str(), 0644) == 0);
    const std::string before = snapshot(state);

    RunResult write = salesint_on(state, {"connector", "add", "TEMPO"});
    check_error(write, 4);
    CHECK_THAT(write.err, Catch::Contains("refusing to write " + state) &&
                              Catch::Contains("uid 65534") && Catch::Contains("0644"));
    struct stat status {};
    REQUIRE(::stat(state.c_str(), &status) == 0);
    CHECK(status.st_uid == kNobody);
    CHECK((status.st_mode & 0777) == 0644);
    CHECK(snapshot(state) == before);

    // Reading is what its mode allows anyway; state check reports the mode.
    CHECK(salesint_on(state, {"connector", "list"}).exit_code == 0);
    RunResult check = salesint_on(state, {"state", "check"});
    CHECK(check.exit_code == 1);
    CHECK_THAT(check.out, Catch::Contains("file_modes") && Catch::Contains("0644"));

    REQUIRE(::chmod(state.c_str(), 0600) == 0);
    RunResult private_file = salesint_on(state, {"connector", "add", "TEMPO"});
    INFO(private_file.err);
    CHECK(private_file.exit_code == 0);
    CHECK(private_file.err.empty());
    REQUIRE(::stat(state.c_str(), &status) == 0);
    CHECK(status.st_uid == kNobody);
    CHECK((status.st_mode & 0777) == 0600);
}

TEST_CASE("a state file that cannot be created says why, and leaves nothing",
          "[e2e][state_file][paths]") {
    TempDir dir;
    write_file(dir.file("plain"), "a regular file\n");

    SECTION("a parent that is a regular file") {
        const std::string state = dir.file("plain/state.db");
        RunResult result = salesint_on(state, {"state", "init"});
        check_error(result, 2);
        CHECK_THAT(result.err,
                   Catch::Contains("cannot create state file " + state + ": " + dir.file("plain") +
                                   " is not a directory; " + kChoosePath));
    }
    SECTION("a parent that does not exist") {
        const std::string state = dir.file("missing/state.db");
        // A command that writes: one that reads answers that the file does not exist.
        RunResult result = salesint_on(state, {"connector", "add", "ERP"});
        check_error(result, 2);
        CHECK_THAT(result.err, Catch::Contains("the directory " + dir.file("missing") +
                                               " does not exist; " + kChoosePath));
        CHECK_FALSE(exists(dir.file("missing")));
    }
    SECTION("a path that is a directory") {
        std::filesystem::create_directory(dir.file("sub"));
        RunResult result = salesint_on(dir.file("sub"), {"state", "info"});
        check_error(result, 2);
        CHECK_THAT(result.err, Catch::Contains("it is a directory"));
    }
    SECTION("a directory this user cannot write to") {
        Unprivileged user;
        if (!user.available) {
            WARN("skipped: running as root without setpriv to drop privileges");
            return;
        }
        const std::string locked = dir.file("locked");
        std::filesystem::create_directory(locked);
        REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
        user.prepare(locked, false);
        const std::string state = locked + "/state.db";
        RunResult result = user.run({"--state", state, "state", "init"});
        check_error(result, 2);
        CHECK_THAT(result.err,
                   Catch::Contains("cannot create state file " + state + ": the directory " +
                                   locked + " is not writable; " + kChoosePath));
        ::chmod(locked.c_str(), 0755);
        CHECK(entries(locked).empty());
    }
    SECTION("a read-only filesystem") {
        const std::string mount_point = dir.file("ro");
        std::filesystem::create_directory(mount_point);
        auto result = in_mount_namespace(
            "mount -t tmpfs -o ro tmpfs \"$1\" && exec \"$2\" --state \"$1/state.db\" state init",
            mount_point);
        if (!result) {
            WARN("skipped: no private mount namespace here (needs root and CAP_SYS_ADMIN)");
            return;
        }
        check_error(*result, 2);
        CHECK_THAT(result->err, Catch::Contains("cannot create state file " + mount_point +
                                                "/state.db: the directory " + mount_point +
                                                " is on a read-only filesystem; " + kChoosePath));
    }
}

TEST_CASE("an existing state file that cannot be written says why", "[e2e][state_file][paths]") {
    Unprivileged user;
    if (!user.available) {
        WARN("skipped: running as root without setpriv to drop privileges");
        return;
    }
    TempDir dir;
    const std::string home = dir.file("home");
    std::filesystem::create_directory(home);
    REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
    user.prepare(home, true);
    const std::string state = home + "/state.db";
    REQUIRE(user.run({"--state", state, "connector", "add", "PYXIS"}).exit_code == 0);

    SECTION("a read-only file: reads work, a write says so") {
        REQUIRE(::chmod(state.c_str(), 0400) == 0);
        RunResult read = user.run({"--state", state, "connector", "list", "-o", "json"});
        INFO(read.err);
        CHECK(read.exit_code == 0);
        RunResult write = user.run({"--state", state, "connector", "add", "TEMPO"});
        check_error(write, 2);
        CHECK_THAT(write.err, Catch::Contains("cannot write the state file " + state + ": " +
                                              state + " is read-only (mode 0400") &&
                                  Catch::Contains(kChoosePath));
        CHECK(mode_of(state) == 0400);
    }
    SECTION("a directory where SQLite cannot create the -wal") {
        user.prepare(home, false);
        RunResult read = user.run({"--state", state, "connector", "list"});
        check_error(read, 2);
        CHECK_THAT(read.err, Catch::Contains("cannot open state file " + state +
                                             ": the directory " + home + " is not writable") &&
                                 Catch::Contains(state + "-wal") && Catch::Contains(kChoosePath));
        ::chmod(home.c_str(), 0755);
    }
    CHECK(salesint_on(state, {"connector", "show", "PYXIS"}).exit_code == 0);
}

TEST_CASE("a state file on a read-only filesystem says so", "[e2e][state_file][paths]") {
    TempDir dir;
    const std::string mount_point = dir.file("media");
    std::filesystem::create_directory(mount_point);
    auto result = in_mount_namespace(
        "mount -t tmpfs tmpfs \"$1\" && \"$2\" --state \"$1/state.db\" state init >/dev/null && "
        "mount -o remount,ro \"$1\" && exec \"$2\" --state \"$1/state.db\" connector add PYXIS",
        mount_point);
    if (!result) {
        WARN("skipped: no private mount namespace here (needs root and CAP_SYS_ADMIN)");
        return;
    }
    check_error(*result, 2);
    CHECK_THAT(result->err, Catch::Contains(mount_point + "/state.db") &&
                                Catch::Contains("is on a read-only filesystem") &&
                                Catch::Contains(kChoosePath));
}

TEST_CASE("a creation that fails leaves no file behind, and never removes an older one",
          "[e2e][state_file][creation]") {
    TempDir dir;
    // A file size limit of 8 blocks: creating the schema cannot succeed. The
    // binary itself ignores SIGXFSZ, so it gets EFBIG rather than being killed.
    auto limited = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv{"/bin/sh", "-c", "ulimit -f 8; exec \"$0\" \"$@\"",
                                      salesint_binary()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_program(argv);
    };

    SECTION("state init") {
        RunResult result = limited({"--state", dir.state(), "state", "init"});
        check_error(result, 5);
        CHECK_THAT(result.err, Catch::Contains("cannot create state file " + dir.state()));
        CHECK(entries(dir.path()).empty());
    }
    SECTION("first use by a write command") {
        RunResult result = limited({"--state", dir.state(), "connector", "add", "PYXIS"});
        check_error(result, 5);
        CHECK(entries(dir.path()).empty());
    }
    SECTION("an empty file that existed before is kept") {
        write_file(dir.state(), "");
        RunResult result = limited({"--state", dir.state(), "state", "init"});
        CHECK(result.exit_code == 5);
        CHECK(entries(dir.path()) == std::vector<std::string>{"state.db"});
    }
    SECTION("a state file that existed before is kept as it was") {
        REQUIRE(salesint_on(dir.state(), {"connector", "add", "PYXIS"}).exit_code == 0);
        const std::string before = snapshot(dir.state());
        RunResult result = limited({"--state", dir.state(), "connector", "add", "TEMPO"});
        check_error(result, 5);
        CHECK(snapshot(dir.state()) == before);
    }
}

TEST_CASE("a damaged state file is one line from every command, and a failed state check",
          "[e2e][state_file][damage]") {
    SeededState seeded;
    const std::string state = seeded.state();
    std::string detail;

    SECTION("pages in the middle of the file") {
        // The root pages of the tables the commands below read: every one of
        // them reaches a damaged page, whichever it reads first.
        std::vector<long long> roots;
        long long page_size = 0;
        {
            SQLite::Database db(state, SQLite::OPEN_READONLY);
            page_size = db.execAndGet("PRAGMA page_size").getInt64();
            SQLite::Statement query(db,
                                    "SELECT rootpage FROM sqlite_master WHERE tbl_name IN "
                                    "('connectors', 'mappings', 'checkpoints')");
            while (query.executeStep()) {
                roots.push_back(query.getColumn(0).getInt64());
            }
        }
        REQUIRE_FALSE(roots.empty());
        for (long long page : roots) {
            REQUIRE(page > 1);  // never the header page
            overwrite(state, (page - 1) * page_size, std::string(64, '\x5a'));
        }
        detail = "database disk image is malformed";
    }
    SECTION("the header of a file that carries salesint's application_id") {
        overwrite(state, 0, "not SQLite, no!");
        detail = "file is not a database";
    }

    const std::string bytes_before = read_file(state);
    const std::string damaged = "the state file " + state + " is damaged (";
    const std::string advice =
        "); run 'salesint state check' and restore from a backup ('salesint state backup')\n";
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"state", "info"},
                                               {"checkpoint", "list"},
                                               {"mapping", "list", "-o", "json"},
                                               {"connector", "add", "ERP"}}) {
        RunResult result = seeded.run(args);
        INFO("salesint " << args[0] << " " << args[1]);
        check_error(result, 4);
        CHECK(result.err == "salesint: error: " + damaged + detail + advice);
    }
    // The copy holds the same damaged pages; it is not kept.
    RunResult backup = seeded.run({"state", "backup", "--to", seeded.dir().file("copy.db")});
    check_error(backup, 4);
    CHECK_THAT(backup.err, Catch::Contains(damaged) && Catch::EndsWith(advice));
    CHECK_FALSE(exists(seeded.dir().file("copy.db")));

    RunResult check = seeded.run({"state", "check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(check.err.empty());
    CHECK_THAT(check.out, Catch::Contains("sqlite_integrity") && Catch::Contains("FAILED"));
    RunResult json = seeded.run({"state", "check", "-o", "json"});
    CHECK(json.exit_code == 1);
    bool found = false;
    for (const auto& finding : json.json()) {
        if (finding["check"] == "sqlite_integrity") {
            found = true;
            CHECK(finding["ok"] == false);
            CHECK_FALSE(finding["detail"].get<std::string>().empty());
        }
    }
    CHECK(found);
    CHECK(read_file(state) == bytes_before);  // nothing wrote to the damaged file
}

TEST_CASE("state backup copies a consistent snapshot while another process writes",
          "[e2e][state_file][backup]") {
    TempDir dir;
    const std::string state = dir.state();
    const int rows = 40'000;
    write_file(dir.file("orders.ndjson"), order_intakes_ndjson(rows, "PX-BACKUP-"));
    REQUIRE(salesint_on(state, {"state", "init"}).exit_code == 0);

    Background writer({salesint_binary(), "--state", state, "-q", "execute", kOrderIntake,
                       "--batch", dir.file("orders.ndjson")});
    auto executed = [&] { return count_rows(state, "SELECT count(*) FROM executions"); };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (executed() == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Copies while the writer commits, each checked after the writer is done.
    std::vector<std::string> copies;
    while (copies.size() < 3 && executed() < rows) {
        const std::string copy = dir.file("copy-" + std::to_string(copies.size()) + ".db");
        RunResult backup = salesint_on(state, {"state", "backup", "--to", copy});
        INFO(backup.err);
        REQUIRE(backup.exit_code == 0);
        CHECK(backup.err.empty());
        CHECK_THAT(backup.out, Catch::StartsWith(copy + ": ") && Catch::Contains(" bytes"));
        copies.push_back(copy);
    }
    for (const auto& name : entries(dir.path())) {
        CHECK_THAT(name, Catch::StartsWith("state.db") || Catch::StartsWith("orders.ndjson") ||
                             Catch::EndsWith(".db"));  // no temporary file, -wal or -shm left
    }
    RunResult written = writer.wait(120'000);
    INFO(written.err);
    CHECK(written.exit_code == 0);
    CHECK(executed() == rows);
    REQUIRE_FALSE(copies.empty());

    long long previous = 0;
    bool mid_way = false;
    for (const auto& copy : copies) {
        CHECK(mode_of(copy) == 0600);
        RunResult check = salesint_on(copy, {"state", "check"});
        INFO(copy << "\n" << check.out << check.err);
        CHECK(check.exit_code == 0);
        // Whole transactions only: each execution has its fact and its event.
        const long long executions = count_rows(copy, "SELECT count(*) FROM executions");
        CHECK(executions >= previous);
        CHECK(count_rows(copy, "SELECT count(*) FROM outbox") == 2 * executions);
        mid_way = mid_way || (executions > 0 && executions < rows);
        previous = executions;
    }
    CHECK(mid_way);  // at least one copy was taken while the writer was committing
}

TEST_CASE("state backup refuses what it must not replace and leaves nothing on failure",
          "[e2e][state_file][backup]") {
    SeededState seeded;
    const std::string copy = seeded.dir().file("copy.db");

    SECTION("an existing file is refused untouched; --force replaces it") {
        write_file(copy, "precious\n");
        RunResult refused = seeded.run({"state", "backup", "--to", copy});
        check_error(refused, 4);
        CHECK_THAT(refused.err, Catch::Contains(copy + " exists") && Catch::Contains("--force"));
        CHECK(read_file(copy) == "precious\n");

        RunResult forced = seeded.run({"state", "backup", "--to", copy, "--force", "-o", "json"});
        INFO(forced.err);
        REQUIRE(forced.exit_code == 0);
        nlohmann::json report = forced.json();
        CHECK(report["path"] == copy);
        CHECK(report["bytes"] == std::filesystem::file_size(copy));
        CHECK(report["schema_version"] == salesint::current_schema_version());
        CHECK(report.size() == 3);
        CHECK(mode_of(copy) == 0600);
        CHECK(snapshot(copy) == snapshot(seeded.state()));
    }
    SECTION("the state file itself is refused, even with --force") {
        const std::string before = snapshot(seeded.state());
        RunResult itself = seeded.run({"state", "backup", "--to", seeded.state(), "--force"});
        check_error(itself, 2);
        CHECK_THAT(itself.err, Catch::Contains("is the state file"));
        CHECK(snapshot(seeded.state()) == before);
    }
    SECTION("a directory that does not exist") {
        RunResult missing =
            seeded.run({"state", "backup", "--to", seeded.dir().file("no/copy.db")});
        check_error(missing, 2);
        CHECK_THAT(missing.err, Catch::Contains("does not exist"));
    }
    SECTION("a copy that cannot be written in full leaves nothing") {
        // Enough rows that the copy outgrows a 64 KiB file size limit.
        for (int i = 0; i < 40; ++i) {
            REQUIRE(seeded
                        .run({"mapping", "set", "PYXIS", "customer", "BULK-" + std::to_string(i),
                              "--metadata", R"({"note":")" + std::string(4000, 'x') + "\"}"})
                        .exit_code == 0);
        }
        RunResult limited =
            run_program({"/bin/sh", "-c", "ulimit -f 128; exec \"$0\" \"$@\"", salesint_binary(),
                         "--state", seeded.state(), "state", "backup", "--to", copy});
        check_error(limited, 5);
        CHECK_THAT(limited.err, Catch::Contains("cannot write backup " + copy));
    }
    std::vector<std::string> left = entries(seeded.dir().path());
    for (const auto& name : left) {
        CHECK_THAT(name, !Catch::Contains(".tmp-"));
    }
}
