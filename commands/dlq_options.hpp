// The filters that `dlq list`, `replay`, `archive`, `purge` and `export`
// share, so that they select entries the same way.
#pragma once

#include <memory>
#include <string>

#include "command.hpp"
#include "salesint/model.hpp"

namespace salesint::cli {

struct DlqFilterOptions {
    std::string source;
    std::string adapter;
    std::string connector;
    std::string error_code;
    std::string since;  // RFC 3339, or an age: 1h, 7d
    std::string until;
    std::string status;  // empty: every status but archived
};

// Adds --source, --adapter, --connector, --error-code, --since, --until and
// --status to command.
void add_dlq_filters(Command& command, DlqFilterOptions& options);

// The filter the options describe; a time that is neither RFC 3339 nor an
// age is a usage error naming the option.
DlqFilter dlq_filter(const DlqFilterOptions& options);

}  // namespace salesint::cli
