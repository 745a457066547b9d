// The adapters salesint knows, by stable Execute ID, and the fixtures built
// into the binary (each adapter's example input, the default roster), so that
// `adapters describe` and slot availability work wherever salesint is installed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

// In the order `adapters list` shows them.
const std::vector<const Adapter*>& adapters();

// The adapter with this ID; a not-found Error listing the known IDs otherwise.
const Adapter& adapter_named(const std::string& id);

// The text of a fixture embedded at build time (path as in the sources,
// e.g. "fixtures/execute/roster.json"); empty when there is none.
std::string_view embedded_fixture(std::string_view path);

inline constexpr const char* kDefaultRoster = "fixtures/execute/roster.json";

}  // namespace salesint::execute
