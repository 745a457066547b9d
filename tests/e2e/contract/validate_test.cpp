// contract validate against fixtures/contracts: one valid document per
// shipped schema, one invalid fixture per rule (rule, pointer, line and
// column from cases.json), many inputs at once, stdin, NDJSON, parse errors.
#include <catch2/catch.hpp>

#include "e2e/contract/contracts_support.hpp"

using namespace salesint::test;

TEST_CASE("every valid fixture passes, its schema picked by topic or shape", "[e2e][contract]") {
    const nlohmann::json cases = contract_cases();
    for (const auto& entry : cases["valid"]) {
        const std::string file = contract_fixture(entry["file"]);
        const std::string schema = entry["schema"];
        INFO(file);
        std::vector<std::string> args{file};
        if (schema.rfind("custom/", 0) == 0) {
            args = {"--schema", contract_fixture(schema), file};
        }
        nlohmann::json report = validate_json(args);
        CHECK(report["exit_code"] == 0);
        CHECK(report["summary"]["valid"] == 1);
        CHECK(report["violations"].empty());
        const nlohmann::json& picked = report["files"][0]["schemas"];
        REQUIRE(picked.size() == 1);
        if (schema.rfind("custom/", 0) != 0) {
            CHECK(picked.begin().key().rfind(schema + " (picked by ", 0) == 0);
        }
    }
}

TEST_CASE("every invalid fixture reports its rule at its pointer, line and column",
          "[e2e][contract]") {
    const nlohmann::json cases = contract_cases();
    for (const auto& entry : cases["invalid"]) {
        const std::string file = contract_fixture(entry["file"]);
        INFO(file);
        std::vector<std::string> args{file};
        if (entry["file"].get<std::string>().rfind("custom/", 0) == 0) {
            args = {"--schema", contract_fixture(entry["schema"]), file};
        }
        nlohmann::json report = validate_json(args);
        CHECK(report["exit_code"] == 1);
        REQUIRE(report["violations"].size() == 1);
        const nlohmann::json& violation = report["violations"][0];
        CHECK(violation["rule"] == entry["rule"]);
        CHECK(violation["pointer"] == entry["pointer"]);
        CHECK(violation["line"] == entry["line"]);
        CHECK(violation["column"] == entry["column"]);
        CHECK(violation["file"] == file);
        CHECK_FALSE(violation["message"].get<std::string>().empty());
    }
}

TEST_CASE("text output is file:line:col: rule: message, then the schemas and a summary",
          "[e2e][contract]") {
    const std::string file = contract_fixture("invalid/meta-message-id.json");
    RunResult result = run_salesint({"contract", "validate", file});
    CHECK(result.exit_code == 1);
    CHECK(result.out ==
          file + ":4:19: meta.message_id: \"msg-001\" is not a UUID (at /meta/message_id)\n" +
              file + ": 1 document: integration-fact (picked by shape)\n" +
              "checked 1 document in 1 file: 0 valid, 1 invalid, 1 violation\n");
}

TEST_CASE("directories and many files are checked in one run", "[e2e][contract]") {
    nlohmann::json cases = contract_cases();
    std::size_t valid = 0;
    std::size_t invalid = 0;
    for (const auto& entry : cases["valid"]) {
        valid += entry["file"].get<std::string>().rfind("valid/", 0) == 0 ? 1 : 0;
    }
    for (const auto& entry : cases["invalid"]) {
        invalid += entry["file"].get<std::string>().rfind("invalid/", 0) == 0 ? 1 : 0;
    }
    nlohmann::json report = validate_json({contract_fixture("valid"), contract_fixture("invalid"),
                                           contract_fixture("stream/envelopes.ndjson")});
    CHECK(report["exit_code"] == 1);
    CHECK(report["summary"]["files"] == valid + invalid + 1);
    CHECK(report["summary"]["documents"] == valid + invalid + 5);
    CHECK(report["summary"]["valid"] == valid + 4);
    CHECK(report["summary"]["invalid"] == invalid + 1);
    CHECK(report["violations"].size() == invalid + 1);
}

TEST_CASE("NDJSON: each line is a document, placed at its own line", "[e2e][contract]") {
    nlohmann::json report = validate_json({contract_fixture("stream/envelopes.ndjson")});
    CHECK(report["exit_code"] == 1);
    CHECK(report["summary"]["documents"] == 5);  // the blank line is no document
    REQUIRE(report["violations"].size() == 1);
    CHECK(report["violations"][0]["rule"] == "meta.message_id");
    CHECK(report["violations"][0]["line"] == 3);
    CHECK(report["violations"][0]["document_line"] == 3);
    CHECK(report["violations"][0]["column"] == 74);
    const nlohmann::json& schemas = report["files"][0]["schemas"];
    CHECK(schemas["domain-fact (picked by topic)"] == 2);
    CHECK(schemas["integration-fact (picked by shape)"] == 1);
}

TEST_CASE("stdin is read as NDJSON or one document, by its content", "[e2e][contract]") {
    RunOptions lines;
    lines.input = read_file(contract_fixture("stream/envelopes.ndjson"));
    nlohmann::json report = validate_json({"-"}, lines);
    CHECK(report["summary"]["documents"] == 5);
    REQUIRE(report["violations"].size() == 1);
    CHECK(report["violations"][0]["file"] == "<stdin>");
    CHECK(report["violations"][0]["line"] == 3);

    RunOptions pretty;
    pretty.input = read_file(contract_fixture("invalid/slot-total.json"));
    report = validate_json({}, pretty);  // no input named: stdin
    CHECK(report["summary"]["documents"] == 1);
    REQUIRE(report["violations"].size() == 1);
    CHECK(report["violations"][0]["rule"] == "slot.total");
    CHECK(report["violations"][0]["line"] == 17);
}

TEST_CASE("a file that is not JSON exits 2 naming line and column, and the rest is still checked",
          "[e2e][contract]") {
    RunResult result = run_salesint({"contract", "validate", contract_fixture("broken")});
    CHECK(result.exit_code == 2);
    CHECK(result.out.find(contract_fixture("broken/bad-line.ndjson") +
                          ":3:31: json.parse: invalid JSON: ") != std::string::npos);
    CHECK(result.out.find(contract_fixture("broken/trailing-comma.json") + ":6:1: json.parse: ") !=
          std::string::npos);
    // The good lines around the bad one were checked: one of them breaks a rule.
    CHECK(result.out.find("bad-line.ndjson:4:74: meta.message_id:") != std::string::npos);
    CHECK(result.out.find("2 unparseable") != std::string::npos);
}

TEST_CASE("validate --schema names a shipped schema or a file, and a wrong name is not found",
          "[e2e][contract]") {
    // A domain fact checked as an integration fact lacks adapter_id and status.
    nlohmann::json report =
        validate_json({"--schema", "integration-fact", contract_fixture("valid/domain-fact.json")});
    CHECK(report["exit_code"] == 1);
    CHECK(report["violations"].size() >= 2);
    CHECK(report["files"][0]["schemas"].contains("integration-fact"));

    RunResult unknown = run_salesint({"contract", "validate", "--schema", "no-such-schema",
                                      contract_fixture("valid/domain-fact.json")});
    CHECK(unknown.exit_code == 3);
    CHECK(unknown.err.find("no-such-schema") != std::string::npos);

    // A schema valijson cannot load is a usage error naming it, not a crash.
    TempDir dir;
    write_file(dir.file("remote.json"),
               R"({"type": "object", "properties": {"a": {"$ref": "http://example.com/a.json"}}})");
    RunResult remote = run_salesint({"contract", "validate", "--schema", dir.file("remote.json"),
                                     contract_fixture("custom/valid.json")});
    CHECK(remote.exit_code == 2);
    CHECK(remote.err.find(dir.file("remote.json") + ": not a JSON Schema salesint can use") !=
          std::string::npos);

    RunResult missing = run_salesint({"contract", "validate", "/nonexistent/file.json"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("/nonexistent/file.json") != std::string::npos);
}
