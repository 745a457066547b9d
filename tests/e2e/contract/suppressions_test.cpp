// Silencing violations: --ignore, a config file per path, and baselines.
#include <catch2/catch.hpp>

#include <filesystem>

#include "e2e/contract/contracts_support.hpp"

using namespace salesint::test;

TEST_CASE("validate --ignore silences a rule, or every rule a glob matches", "[e2e][contract]") {
    const std::string stream = contract_fixture("stream/envelopes.ndjson");
    nlohmann::json report = validate_json({"--ignore", "meta.message_id", stream});
    CHECK(report["exit_code"] == 0);
    CHECK(report["violations"].empty());
    CHECK(report["summary"]["suppressed"] == 1);

    report = validate_json({"--ignore", "meta.*", stream});
    CHECK(report["exit_code"] == 0);

    report = validate_json({"--ignore", "order.*", stream});
    CHECK(report["exit_code"] == 1);

    RunResult typo = run_salesint({"contract", "validate", "--ignore", "meta.mesage_id", stream});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("meta.mesage_id") != std::string::npos);
}

TEST_CASE("a config file skips rules in the paths it names", "[e2e][contract]") {
    TempDir dir;
    std::filesystem::create_directories(dir.file("legacy"));
    const std::string envelopes = read_file(contract_fixture("stream/envelopes.ndjson"));
    write_file(dir.file("legacy/old.ndjson"), envelopes);
    write_file(dir.file("new.ndjson"), envelopes);
    write_file(dir.file("contracts.json"), R"({"ignore": {"meta.message_id": ["*/legacy/*"]}})");

    nlohmann::json report = validate_json({"--config", dir.file("contracts.json"),
                                           dir.file("legacy/old.ndjson"), dir.file("new.ndjson")});
    CHECK(report["exit_code"] == 1);
    REQUIRE(report["violations"].size() == 1);
    CHECK(report["violations"][0]["file"] == dir.file("new.ndjson"));
    CHECK(report["summary"]["suppressed"] == 1);

    write_file(dir.file("bad.json"), R"({"ignore": {"meta.message_id": "legacy"}})");
    RunResult bad = run_salesint(
        {"contract", "validate", "--config", dir.file("bad.json"), dir.file("new.ndjson")});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find(dir.file("bad.json") + ": /ignore/meta.message_id:") != std::string::npos);

    write_file(dir.file("unknown.json"), R"({"ignroe": {}})");
    RunResult unknown = run_salesint(
        {"contract", "validate", "--config", dir.file("unknown.json"), dir.file("new.ndjson")});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("/ignroe") != std::string::npos);
}

TEST_CASE("a baseline accepts the violations it recorded and only those", "[e2e][contract]") {
    TempDir dir;
    std::filesystem::copy(contract_fixture("invalid"), dir.file("docs"));
    const std::string baseline = dir.file("baseline.json");

    RunResult written =
        run_salesint({"contract", "validate", dir.file("docs"), "--write-baseline", baseline});
    CHECK(written.exit_code == 0);
    nlohmann::json recorded = nlohmann::json::parse(read_file(baseline));
    std::size_t fixtures = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.file("docs"))) {
        fixtures += entry.path().extension() == ".json" ? 1 : 0;
    }
    CHECK(recorded["violations"].size() == fixtures);

    nlohmann::json report = validate_json({dir.file("docs"), "--baseline", baseline});
    CHECK(report["exit_code"] == 0);
    CHECK(report["summary"]["suppressed"] == fixtures);

    // A new violation fails; one whose document changed is no longer excused.
    write_file(dir.file("docs/new.json"), read_file(contract_fixture("invalid/meta-unknown.json")));
    std::string changed = read_file(dir.file("docs/slot-total.json"));
    changed.replace(changed.find("Ana Lima"), 8, "Ana Lima-Souza");
    write_file(dir.file("docs/slot-total.json"), changed);
    report = validate_json({dir.file("docs"), "--baseline", baseline});
    CHECK(report["exit_code"] == 1);
    std::vector<std::string> files;
    for (const auto& violation : report["violations"]) {
        files.push_back(violation["file"]);
    }
    CHECK(files ==
          std::vector<std::string>{dir.file("docs/new.json"), dir.file("docs/slot-total.json")});
}
