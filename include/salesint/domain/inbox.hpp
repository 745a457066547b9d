// The inbox's rules over the Store: envelopes loaded from NDJSON (one
// transaction for a whole file, each stored once by its meta.message_id),
// and finding one stored delivery by its inbox id or its delivery id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::inbox {

// The scheme under which envelopes are stored; their delivery id is their
// meta.message_id.
inline constexpr const char* kEnvelopeScheme = "envelope";

struct ConsumeReport {
    std::size_t added = 0;       // new envelopes stored
    std::size_t duplicates = 0;  // already in the inbox, or earlier in the same input
    std::size_t lines = 0;       // lines read, blank ones included
};

// Loads every line of the NDJSON input at path ("-": stdin) into the inbox,
// in one write transaction: a line that is not a JSON object with a string
// meta.message_id is a usage Error naming NAME:LINE (and the column for a
// parse error), and nothing is stored then. Blank lines are skipped. Lines
// are bounded by the JSON input limit (README, "Input limits").
ConsumeReport consume(Store& store, const std::string& path);

// The delivery reference names: an inbox id (digits) when one has it, else a
// delivery id held by exactly one delivery. Not found: a not_found Error; a
// delivery id under several schemes: a usage Error listing their inbox ids.
InboxEntry find_delivery(Store& store, const std::string& reference);

}  // namespace salesint::inbox
