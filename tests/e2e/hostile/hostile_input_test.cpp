// Hostile input is ordinary input: a generated corpus (deep nesting, numbers
// out of range, bytes that are not UTF-8, NUL, BOM, CRLF, duplicate keys,
// large strings, a line larger than any document may be) goes through every
// command that reads JSON. Each run ends with an exit code, never a signal;
// what cannot be read is exit 2 naming the file, line and column; a failure
// leaves the state file as it was; and memory stays bounded.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

// Peak memory any one run may reach: a small multiple of the largest
// document salesint reads (16 MiB), higher under the sanitizers' shadow.
#ifdef SALESINT_TEST_SANITIZED
constexpr long kMaxRssKb = 1024 * 1024;
#else
constexpr long kMaxRssKb = 256 * 1024;
#endif

struct Hostile {
    std::string name;
    std::string bytes;
    bool readable;  // a JSON document salesint accepts (then judged on its merits)
};

std::string nested_arrays(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

std::string nested_objects(std::size_t depth) {
    std::string text;
    for (std::size_t i = 0; i < depth; ++i) {
        text += "{\"a\":";
    }
    return text + "1" + std::string(depth, '}');
}

std::string many_keys(std::size_t count) {
    std::string text = "{";
    for (std::size_t i = 0; i < count; ++i) {
        text += (i > 0 ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
    }
    return text + "}";
}

const std::vector<Hostile>& corpus() {
    static const std::vector<Hostile> kCorpus{
        {"deep-1k", nested_arrays(1000), false},
        {"deep-10k", nested_objects(10000), false},
        {"deep-100k", nested_arrays(100000), false},
        {"number-1e400", R"({"a": 1e400})", false},
        {"integer-2e64", R"({"a": 18446744073709551616})", false},
        {"minus-zero", R"({"a": -0})", true},
        {"invalid-utf8", "{\"a\": \"\xff\xfe\"}", false},
        {"overlong-utf8", "{\"a\": \"\xc0\xaf\"}", false},
        {"lone-surrogate", R"({"a": "\ud800"})", false},
        {"nul-byte", std::string("{\"a\": 1}\0{}", 11), false},
        {"escaped-nul", R"({"a": "x\u0000y"})", true},
        {"bom", "\xEF\xBB\xBF{\"a\": 1}", true},
        {"crlf", "{\r\n  \"a\": 1\r\n}\r\n", true},
        {"duplicate-keys", R"({"a": 1, "b": 2, "a": 3})", false},
        {"many-keys", many_keys(200000), true},
        {"string-10mb", "{\"a\": \"" + std::string(10 << 20, 'x') + "\"}", true},
        {"line-50mb", "{\"a\": \"" + std::string(50 << 20, 'x') + "\"}", false},
        {"empty", "", false},
        {"truncated", R"({"a": [1, 2)", false},
        {"escape-sequence", R"({"a": "\u001b[31mred"})", true},
    };
    return kCorpus;
}

void check_run(const RunResult& result, const std::string& what) {
    INFO(what << "\nstderr: " << result.err.substr(0, 400));
    CHECK_FALSE(result.signaled);
    CHECK(result.exit_code <= 5);
    CHECK(result.err.find("internal error") == std::string::npos);
    CHECK(result.max_rss_kb <= kMaxRssKb);
    // Whatever came in, no raw escape sequence goes out to a terminal.
    CHECK(result.err.find('\x1b') == std::string::npos);
}

// An unreadable input: exit 2 naming the file with a line and a column.
void check_unreadable(const RunResult& result, const std::string& file, const std::string& what) {
    INFO(what << "\nstdout: " << result.out.substr(0, 400)
              << "\nstderr: " << result.err.substr(0, 400));
    CHECK(result.exit_code == 2);
    const std::string output = result.out + result.err;
    const std::size_t named = output.find(file + ":");
    REQUIRE(named != std::string::npos);
    // FILE:LINE:COL: or FILE:LINE:
    CHECK(std::isdigit(static_cast<unsigned char>(output[named + file.size() + 1])));
}

}  // namespace

TEST_CASE("every command that reads JSON survives the hostile corpus", "[e2e][hostile][backends]") {
    SeededState seeded;
    const TempDir& dir = seeded.dir();
    const std::string order = read_file(execute_fixture("order-intake.json"));
    write_file(dir.file("good.json"), "{\"a\": 1}");
    for (const Hostile& input : corpus()) {
        const std::string file = dir.file(input.name + ".json");
        write_file(file, input.bytes);
        const std::string before = snapshot(seeded.state());

        struct Command {
            std::string what;
            std::vector<std::string> args;
            bool writes_on_success;
        };
        const std::vector<Command> commands{
            {"execute --input", {"execute", kOrderIntake, "--input", file}, true},
            {"contract validate", {"contract", "validate", file}, false},
            {"contract validate --schema FILE",
             {"contract", "validate", "--schema", file, dir.file("good.json")},
             false},
            {"contract validate --config", {"contract", "validate", "--config", file, file}, false},
            {"contract breaking", {"contract", "breaking", file, file}, false},
            {"checkpoint set --from-json", {"checkpoint", "set", "--from-json", file}, true},
            {"execute --roster",
             {"execute", "fsm.slot.availability.v1", "--roster", file, "--input",
              execute_fixture("slot-availability.json")},
             true},
            {"webhook verify --explain",
             {"webhook", "verify", "--scheme", "fsm", "--secret", "s3cret", "--payload", file, "-H",
              "X-FSM-Signature: 00", "-H", "X-FSM-Timestamp: 2026-01-01T00:00:00Z", "--explain"},
             false},
        };
        for (const Command& command : commands) {
            const std::string what = input.name + " through " + command.what;
            RunResult result = seeded.run(command.args);
            check_run(result, what);
            if (!input.readable && command.what != "webhook verify --explain") {
                check_unreadable(result, file, what);
            }
            if (result.exit_code != 0 || !command.writes_on_success) {
                INFO(what);
                CHECK(snapshot(seeded.state()) == before);  // a failure changes nothing
            }
        }
        if (input.bytes.size() < 100'000) {  // an argument is at most 128 KiB
            RunResult metadata =
                seeded.run({"mapping", "set", "PYXIS", "customer", "CUST-HOSTILE", "--metadata",
                            input.bytes.substr(0, input.bytes.find('\0'))});
            check_run(metadata, input.name + " as --metadata");
        }
    }
}

TEST_CASE("in NDJSON a hostile line is that line's error, and the other lines go on",
          "[e2e][hostile][backends]") {
    const std::string order =
        nlohmann::json::parse(read_file(execute_fixture("order-intake.json"))).dump();  // one line
    for (const Hostile& input : corpus()) {
        if (input.readable || input.bytes.find('\n') != std::string::npos || input.bytes.empty()) {
            continue;  // one line each, and one that cannot be read
        }
        TempDir dir;
        const std::string file = dir.file(input.name + ".ndjson");
        write_file(file, order + "\n" + input.bytes + "\n" + order + "\n");
        const std::string place = file + ":2:";

        RunResult batch = run_salesint(
            {"--state", dir.state(), "execute", kOrderIntake, "--batch", file, "-o", "ndjson"});
        check_run(batch, input.name + " in execute --batch");
        CHECK(batch.exit_code == 2);  // the highest code of its rows
        CHECK(count_rows(dir.state(), "SELECT count(*) FROM executions") == 1);
        CHECK_THAT(batch.out, Catch::Contains("\"line\":3"));  // read past the bad line
        CHECK_THAT(batch.out, Catch::Contains(place));

        RunResult validate =
            run_salesint({"contract", "validate", "--schema", "order-intake-request", file});
        check_run(validate, input.name + " in contract validate");
        CHECK(validate.exit_code == 2);
        CHECK_THAT(validate.out, Catch::Contains(place));
        CHECK_THAT(validate.out, Catch::Contains("checked 3 documents"));
    }
}
