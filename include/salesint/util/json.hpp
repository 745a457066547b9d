// The two JSON value types, named once for every layer.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace salesint {

// Keys sorted, so that dump() is canonical: inputs, and what ids and hashes
// are computed from.
using Json = nlohmann::json;

// Keys in the order they were added: what is printed (the shapes define the
// order: tenant_id first, times last) and what is sent or stored as
// envelopes and error responses. Being a vector rather than a std::map, it
// also costs a fraction of Json to build.
using OrderedJson = nlohmann::ordered_json;

// head's JSON text (an object) with one more member, key, whose value is
// raw_json as is: a large input is spliced in rather than copied into a
// JSON tree. raw_json must be valid JSON.
std::string dump_with_raw_member(const OrderedJson& head, std::string_view key,
                                 std::string_view raw_json);

}  // namespace salesint
