// The DLQ as people read it: failures grouped the way ServicePulse groups
// them (same adapter, same error code, same message once numbers, ids and
// URLs are masked), each group with a stable id that a replay accepts.
#pragma once

#include <string>
#include <vector>

#include "salesint/model.hpp"

namespace salesint::dlq {

// What a group is made of: "error" (adapter + error code + fingerprint) or
// "adapter" (the adapter, or the target of a webhook delivery).
enum class GroupBy { kError, kAdapter };

// The message with what changes from one failure to the next masked: URLs
// as <url>, UUIDs and long hex or base64-like ids as <id>, numbers as <n>.
// "HTTP 503 from https://a/x/42: req 7f3a9c1e..." -> "HTTP <n> from <url>: req <id>"
std::string fingerprint(const std::string& message);

// "g_" and 12 hex digits of SHA-256 over the group's key: the same failures
// get the same id in every state file and every run.
std::string group_id(const DlqEntry& entry, GroupBy by);

struct Group {
    std::string id;
    std::string adapter_id;   // adapter, or webhook:<scheme>
    std::string error_code;   // empty when grouped by adapter
    std::string fingerprint;  // empty when grouped by adapter
    std::string example;      // the newest entry's message
    int count = 0;
    std::string first_seen;              // earliest first failure
    std::string last_seen;               // latest last failure
    std::vector<std::string> entry_ids;  // newest first
};

// Groups entries, the largest group first (ties: the most recent first).
std::vector<Group> group(const std::vector<DlqEntry>& entries, GroupBy by);

}  // namespace salesint::dlq
