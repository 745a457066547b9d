#include "salesint/contracts/violation.hpp"

namespace salesint::contracts {

void Summary::add(const DocumentResult& document) {
    ++documents;
    suppressed += document.suppressed;
    if (!document.parsed) {
        ++unparseable;
    } else if (document.violations.empty()) {
        ++valid;
    } else {
        ++invalid;
        violations += document.violations.size();
    }
}

ExitCode Summary::exit_code() const {
    if (unparseable > 0) {
        return ExitCode::kUsage;
    }
    return violations > 0 ? ExitCode::kNo : ExitCode::kSuccess;
}

std::string Summary::line(const char* noun) const {
    std::string text = "checked " + std::to_string(documents) + " " +
                       (documents == 1 ? std::string(noun).substr(0, std::string(noun).size() - 1)
                                       : std::string(noun)) +
                       " in " + std::to_string(files) + (files == 1 ? " file: " : " files: ") +
                       std::to_string(valid) + " valid, " + std::to_string(invalid) + " invalid, " +
                       std::to_string(violations) +
                       (violations == 1 ? " violation" : " violations");
    if (unparseable > 0) {
        text += ", " + std::to_string(unparseable) + " unparseable";
    }
    if (suppressed > 0) {
        text += " (" + std::to_string(suppressed) + " suppressed)";
    }
    return text;
}

std::string Summary::change_line() const {
    std::string text = std::to_string(violations) +
                       (violations == 1 ? " breaking change in " : " breaking changes in ") +
                       std::to_string(invalid) + " of " + std::to_string(documents) +
                       (documents == 1 ? " schema" : " schemas");
    if (suppressed > 0) {
        text += " (" + std::to_string(suppressed) + " suppressed)";
    }
    return text;
}

}  // namespace salesint::contracts
