// The payload contract checks as `execute` runs them
// (contracts/check_shipped.hpp; README, "Execute" and "Contracts"): the order
// intake request, the slot availability request, the installation outcome or
// the scheduled appointment, chosen by byte 0, on the rest as text. Nothing
// may throw: a text that is not JSON gives exactly one json.parse violation,
// a JSON text none. Every violation has a rule, a pointer and a place in the
// text, and they come in the order of their places. `execute` checks the
// canonical form of what it read (keys sorted, no spaces) and `contract
// validate` the text as written: both must find the same rules broken at the
// same pointers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.hpp"
#include "salesint/contracts/check_shipped.hpp"
#include "salesint/util/json_text.hpp"

namespace {

using salesint::contracts::Violation;

constexpr const char* kSchemas[] = {"order-intake-request", "slot-availability-request",
                                    "installation-outcome", "appointment-scheduled"};

void check_places(const std::vector<Violation>& violations, std::string_view text) {
    const std::size_t lines =
        1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    for (std::size_t i = 0; i < violations.size(); ++i) {
        const Violation& violation = violations[i];
        FUZZ_CHECK(!violation.rule.empty());
        FUZZ_CHECK(!violation.message.empty());
        FUZZ_CHECK(violation.pointer.empty() || violation.pointer.front() == '/');
        FUZZ_CHECK(violation.line >= 1 && violation.line <= lines);
        FUZZ_CHECK(violation.column >= 1 && violation.column <= text.size() + 1);
        if (i > 0) {
            const Violation& before = violations[i - 1];
            FUZZ_CHECK(std::make_pair(before.line, before.column) <=
                       std::make_pair(violation.line, violation.column));
        }
    }
}

std::vector<std::pair<std::string, std::string>> rules_and_pointers(
    const std::vector<Violation>& violations) {
    std::vector<std::pair<std::string, std::string>> found;
    for (const Violation& violation : violations) {
        found.emplace_back(violation.rule, violation.pointer);
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const char* schema = kSchemas[data[0] % std::size(kSchemas)];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    const std::vector<Violation> violations = salesint::contracts::check_shipped(schema, text);
    check_places(violations, text);

    nlohmann::json document;
    if (auto problem = salesint::read_json(text, document)) {
        FUZZ_CHECK(violations.size() == 1);
        FUZZ_CHECK(violations[0].rule == "json.parse");
        FUZZ_CHECK(violations[0].message == problem->message);
        FUZZ_CHECK(violations[0].pointer == problem->pointer);
        return 0;
    }
    for (const Violation& violation : violations) {
        FUZZ_CHECK(violation.rule != "json.parse");
        FUZZ_CHECK(violation.fingerprint.size() == 16);
    }
    if (!document.is_object()) {
        return 0;  // execute refuses it before any contract check
    }
    const std::string canonical = document.dump();
    const std::vector<Violation> canonical_violations =
        salesint::contracts::check_shipped(schema, canonical);
    check_places(canonical_violations, canonical);
    FUZZ_CHECK(rules_and_pointers(canonical_violations) == rules_and_pointers(violations));
    return 0;
}
