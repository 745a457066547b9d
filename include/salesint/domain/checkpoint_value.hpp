// Checkpoint values and their order. A checkpoint's kind is fixed by its first
// value: integers compare numerically (any length), RFC 3339 timestamps as
// instants (offsets normalised to UTC), anything else as opaque bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "salesint/model.hpp"

namespace salesint {

struct CheckpointValue {
    CheckpointKind kind;
    std::string normalized;  // the form stored and shown
};

// The most specific kind text can be: integer, then timestamp, then string.
CheckpointKind detect_kind(std::string_view text);

// The value of text as the given kind, or nullopt if it is not of that kind.
// Every text is a valid string value.
std::optional<CheckpointValue> parse_as(CheckpointKind kind, std::string_view text);

// -1, 0 or 1; both values must be of the kind, in normalised form.
int compare_values(CheckpointKind kind, const std::string& a, const std::string& b);

}  // namespace salesint
