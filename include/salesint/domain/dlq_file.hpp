// The DLQ as a file: NDJSON, one entry a line with every field, written by an
// export and read by an import into another state file (a production copy
// into a laptop) without duplicating entries.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"
#include "salesint/util/json.hpp"

namespace salesint::dlq {

// One line of an export:
//   {"entry_id", "source", "adapter_id", "message_id", "correlation_id",
//    "causation_id", "connector", "target_url", "payload" (UTF-8 text) or
//    "payload_base64" (other bytes), "headers": {"Name": "value"},
//    "error_code", "error_message", "attempts": [{"attempt", "at", "status",
//    "error", "duration_ms"}], "first_failed_at", "last_failed_at", "status",
//    "replay_count", "lease_owner", "lease_expires_at", "updated_at"}
// Secret headers (is_secret_header) are left out.
OrderedJson export_json(const DlqEntry& entry);

// The entry a line describes. Throws a usage Error whose one-line message
// names the field that is missing or wrong ("last_failed_at: ..."). The
// lease is not taken over: a replaying entry arrives pending.
DlqEntry entry_from_json(const Json& line);

struct ExportReport {
    std::vector<std::string> entry_ids;  // in the order written, oldest first
};

// Writes the entries filter selects to path as NDJSON, oldest first, through
// a temporary file renamed over path (a reader never sees half of it).
ExportReport export_file(Store& store, DlqFilter filter, const std::string& path);

struct ImportReport {
    std::vector<std::string> imported;  // new in this state file
    std::vector<std::string> present;   // there already (same entry id): left as they were
};

// Reads an export (path, or "-" for stdin) into the store in one
// transaction, each entry unless one with its entry id is there. A line
// that is not an entry is a usage Error "FILE:LINE: ..." and nothing is
// imported. Lines are read one at a time, bounded like every NDJSON line.
ImportReport import_file(Store& store, const std::string& path);

}  // namespace salesint::dlq
