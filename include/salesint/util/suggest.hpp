// "Did you mean": the one place that decides which known name a mistyped one
// was meant to be, for commands, adapter IDs, schema names, rule ids, actions
// and system/entity pairs alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesint {

// Edits (insert, delete, substitute, swap two neighbours) that turn a into b,
// comparing ASCII letters case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate that word was most likely meant to be: the nearest by
// edit_distance, if it is within a third of the word's length (at least one
// edit), the first of equals; nullopt when none is that close, or when word
// is itself a candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// `; did you mean "X"?` for closest_match's answer, or "" when there is none:
// ready to append to a one-line error.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace salesint
