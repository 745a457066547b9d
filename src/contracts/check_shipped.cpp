#include "salesint/contracts/check_shipped.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "document_check.hpp"

namespace salesint::contracts {
namespace {

// A checker compiles its schema once; it is then safe to share across
// threads (DocumentChecker::check is const and keeps its scratch per thread).
const DocumentChecker& checker_for(std::string_view schema_name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<DocumentChecker>, std::less<>> checkers;
    std::lock_guard<std::mutex> lock(mutex);
    auto found = checkers.find(schema_name);
    if (found == checkers.end()) {
        const std::string name(schema_name);
        found = checkers.emplace(name, std::make_unique<DocumentChecker>(name)).first;
    }
    return *found->second;
}

}  // namespace

std::vector<Violation> check_shipped(std::string_view schema_name, std::string_view text) {
    return checker_for(schema_name).check(text, "", 1).violations;
}

}  // namespace salesint::contracts
