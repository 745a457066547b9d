// execute and contract validate judge the sales payloads by the same code:
// every invalid contract fixture of a payload that an adapter takes is
// refused by execute, every input execute refuses is refused by contract
// validate, and both agree on hand-made variants of the sample order,
// outcome and appointment. Every error body execute prints honours the
// error-response schema.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "e2e/contract/contracts_support.hpp"
#include "e2e/execute/execute_support.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

// The adapter that takes each shipped payload schema.
const std::map<std::string, std::string> kAdapterOf{
    {"order-intake-request", kOrderIntake},
    {"slot-availability-request", "fsm.slot.availability.v1"},
    {"installation-outcome", "fsm.installation_outcome.notify.v1"},
    {"appointment-scheduled", "fsm.appointment_scheduled.notify.v1"},
};

// Each document on one line, as NDJSON.
std::string ndjson(const std::vector<nlohmann::json>& documents) {
    std::string text;
    for (const auto& document : documents) {
        text += document.dump() + "\n";
    }
    return text;
}

// execute --batch --dry-run over the documents: each line's outcome.
std::vector<nlohmann::json> execute_each(const std::string& adapter,
                                         const std::vector<nlohmann::json>& documents) {
    TempDir dir;
    write_file(dir.file("in.ndjson"), ndjson(documents));
    RunResult result = run_salesint({"--state", dir.state(), "execute", adapter, "--batch",
                                     dir.file("in.ndjson"), "--dry-run", "-o", "ndjson"});
    INFO(result.err);
    std::vector<nlohmann::json> outcomes;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        outcomes.push_back(nlohmann::json::parse(line));
    }
    REQUIRE(outcomes.size() == documents.size());
    return outcomes;
}

// contract validate --schema over the documents: the 1-based lines refused.
std::set<int> refused_lines(const std::string& schema,
                            const std::vector<nlohmann::json>& documents) {
    TempDir dir;
    write_file(dir.file("in.ndjson"), ndjson(documents));
    RunResult result = run_salesint(
        {"contract", "validate", "--schema", schema, dir.file("in.ndjson"), "--format", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code <= 1);
    std::set<int> lines;
    const nlohmann::json report = result.json();
    for (const auto& violation : report["violations"]) {
        lines.insert(violation["document_line"].get<int>());
    }
    return lines;
}

// Every error body validates against the shipped error-response schema.
void check_error_bodies(const std::vector<nlohmann::json>& outcomes) {
    std::vector<nlohmann::json> errors;
    for (const auto& outcome : outcomes) {
        if (outcome.contains("error")) {
            errors.push_back(outcome["error"]);
        }
    }
    REQUIRE(!errors.empty());
    std::set<int> refused = refused_lines("error-response", errors);
    for (int line : refused) {
        FAIL_CHECK("error body does not honour error-response: " << errors[line - 1].dump());
    }
}

// A case's schema; "" for one checked against a team's own schema file.
std::string schema_of(const nlohmann::json& test) {
    return test["schema"].is_string() ? test["schema"].get<std::string>() : "";
}

nlohmann::json read_json(const std::string& path) {
    return nlohmann::json::parse(read_file(path));
}

}  // namespace

TEST_CASE("every invalid payload fixture of the contracts is refused by execute",
          "[e2e][execute][contracts][backends]") {
    nlohmann::json cases = read_json(contract_fixture("cases.json"));
    std::map<std::string, std::vector<nlohmann::json>> invalid;
    std::map<std::string, std::vector<nlohmann::json>> valid;
    for (const auto& test : cases["invalid"]) {
        if (kAdapterOf.count(schema_of(test))) {
            invalid[test["schema"]].push_back(read_json(contract_fixture(test["file"])));
        }
    }
    for (const auto& test : cases["valid"]) {
        if (kAdapterOf.count(schema_of(test))) {
            valid[test["schema"]].push_back(read_json(contract_fixture(test["file"])));
        }
    }
    REQUIRE(invalid.size() == kAdapterOf.size());
    for (const auto& [schema, documents] : invalid) {
        INFO(schema);
        std::vector<nlohmann::json> outcomes = execute_each(kAdapterOf.at(schema), documents);
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            INFO(documents[i].dump());
            CHECK(outcomes[i]["status"] == "rejected");
        }
        check_error_bodies(outcomes);
    }
    for (const auto& [schema, documents] : valid) {
        INFO(schema);
        for (const auto& outcome : execute_each(kAdapterOf.at(schema), documents)) {
            CHECK(outcome["status"] == "succeeded");  // a dry run: computed, not written
        }
    }
}

TEST_CASE("every input execute rejects is refused by contract validate",
          "[e2e][execute][contracts][backends]") {
    nlohmann::json cases = read_json(execute_fixture("invalid/cases.json"));
    std::map<std::string, std::string> schema_of;
    for (const auto& [schema, adapter] : kAdapterOf) {
        schema_of[adapter] = schema;
    }
    std::map<std::string, std::vector<nlohmann::json>> by_adapter;
    for (const auto& test : cases["cases"]) {
        by_adapter[test["adapter"]].push_back(read_json(execute_fixture(test["file"])));
    }
    std::size_t compared = 0;
    for (const auto& [adapter, documents] : by_adapter) {
        INFO(adapter);
        std::vector<nlohmann::json> outcomes = execute_each(adapter, documents);
        check_error_bodies(outcomes);
        if (!schema_of.count(adapter)) {
            continue;  // no shipped contract for its payload
        }
        std::set<int> refused = refused_lines(schema_of[adapter], documents);
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            INFO(documents[i].dump());
            // A roster that has no slot is an answer, not a broken contract.
            CHECK((outcomes[i]["status"] == "rejected") == (refused.count(int(i) + 1) == 1));
            ++compared;
        }
    }
    CHECK(compared >= 25);
}

TEST_CASE("execute and contract validate agree on variants of the sample payloads",
          "[e2e][execute][contracts][backends]") {
    const nlohmann::json order = read_json(execute_fixture("order-intake.json"));
    using Edit = std::function<void(nlohmann::json&)>;
    const std::vector<Edit> order_edits{
        [](auto&) {},
        [](auto& o) { o["serviceItems"] = {"x"}; },
        [](auto& o) { o["serviceItems"][0]["quantity"] = "abc"; },
        [](auto& o) { o["serviceItems"][0]["quantity"] = 0; },
        [](auto& o) { o["serviceItems"][0]["quantity"] = -1; },
        [](auto& o) { o["serviceItems"][0]["quantity"] = 1.5; },
        [](auto& o) { o["serviceItems"][0].erase("itemId"); },
        [](auto& o) { o["estimatedDuration"] = -5; },
        [](auto& o) {
            o["requiredSkills"] = {1, 2};
        },
        [](auto& o) { o.erase("serviceAddress"); },
        [](auto& o) { o["serviceAddress"].erase("city"); },
        [](auto& o) { o.erase("totalAmount"); },
        [](auto& o) { o["totalAmount"]["total"] = "108.50"; },  // one cent off
        [](auto& o) { o["totalAmount"]["total"] = "108.49"; },  // the sum itself
        [](auto& o) { o["totalAmount"]["currency"] = "usd"; },
        [](auto& o) { o["customer"].erase("email"); },
        [](auto& o) { o["customer"].erase("phone"); },
        [](auto& o) { o["customer"]["phone"] = "+1 (555) 123-4567"; },
        [](auto& o) { o["customer"]["email"] = "a@b"; },
        [](auto& o) {
            o["schedulingPreferences"]["timeWindow"] = {{"start", "25:00"}, {"end", "26:00"}};
        },
        [](auto& o) { o["schedulingPreferences"]["preferredDate"] = "2026-02-30"; },
        [](auto& o) {
            o["metadata"] = {{"source", 1}};
        },
        [](auto& o) { o["externalOrderId"] = ""; },
        [](auto& o) { o["salesSystem"] = "pyxis"; },
    };
    const nlohmann::json outcome = read_json(execute_fixture("installation-outcome.json"));
    const std::vector<Edit> outcome_edits{
        [](auto&) {},
        [](auto& o) { o.erase("correlationId"); },
        [](auto& o) {
            o["photos"] = {{{"photoId", "P1"}}};
        },
        [](auto& o) {
            o["issues"] = {{{"issueType", "LEAK"}}};
        },
        [](auto& o) {
            o["testResults"] = {{{"result", "PASS"}}};
        },
        [](auto& o) {
            o["followUpRequired"] = true;
            o["followUpReason"] = "";
        },
        [](auto& o) { o["completionDetails"]["actualDuration"] = -1; },
        [](auto& o) { o["installedItems"][0]["serialNumbers"] = {1}; },
        [](auto& o) {
            o["customerSatisfaction"] = {{"rating", 0}};
        },
        [](auto& o) { o["timestamp"] = "2026-13-01T00:00:00Z"; },
    };
    const nlohmann::json appointment = read_json(execute_fixture("appointment-scheduled.json"));
    const std::vector<Edit> appointment_edits{
        [](auto&) {},
        [](auto& a) { a.erase("correlationId"); },
        [](auto& a) { a["orderId"] = "ORD-2025-000123"; },
        [](auto& a) { a["externalOrderId"] = "tmp-2025-0042"; },
        [](auto& a) { a["externalOrderId"] = "TMP-2025-0042"; },
        [](auto& a) { a["status"] = "scheduled"; },
        [](auto& a) { a["slot"]["timeWindow"]["end"] = a["slot"]["timeWindow"]["start"]; },
        // 08:59:59Z, before the end at 11:00Z: another offset, the same order.
        [](auto& a) { a["slot"]["timeWindow"]["start"] = "2025-01-20T10:59:59+02:00"; },
        [](auto& a) { a["slot"].erase("technicianName"); },
        [](auto& a) { a["slot"]["technicianName"] = ""; },
        [](auto& a) { a["slot"]["date"] = "20/01/2025"; },
        [](auto& a) { a["slot"] = "SLOT-1"; },
        [](auto& a) { a["appointmentId"] = 456; },
        [](auto& a) { a["notes"] = "gate code 1234"; },
    };
    for (const auto& [schema, base, edits] :
         {std::tuple{std::string("order-intake-request"), order, order_edits},
          std::tuple{std::string("installation-outcome"), outcome, outcome_edits},
          std::tuple{std::string("appointment-scheduled"), appointment, appointment_edits}}) {
        INFO(schema);
        std::vector<nlohmann::json> documents;
        for (const Edit& edit : edits) {
            nlohmann::json document = base;
            edit(document);
            documents.push_back(document);
        }
        std::vector<nlohmann::json> outcomes = execute_each(kAdapterOf.at(schema), documents);
        std::set<int> refused = refused_lines(schema, documents);
        CHECK(refused.size() >= edits.size() / 2);
        for (std::size_t i = 0; i < documents.size(); ++i) {
            INFO("variant " << i << ": " << documents[i].dump());
            CHECK((outcomes[i]["status"] == "rejected") == (refused.count(int(i) + 1) == 1));
        }
        check_error_bodies(outcomes);
    }
}
