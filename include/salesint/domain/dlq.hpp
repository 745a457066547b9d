// The DLQ as people read it: failures grouped the way ServicePulse groups
// them (same adapter, same error code, same message once numbers, ids and
// URLs are masked), each group with a stable id that a replay accepts.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"
#include "salesint/util/json.hpp"

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

// The entry with this id in the store's tenant; kNotFound naming the id and
// the tenant otherwise.
DlqEntry find_entry(Store& store, const std::string& entry_id);

// True for a header whose value is a credential or a signature
// (Authorization, X-Api-Key, Cookie, anything naming a signature, secret,
// token or password): such a header is never shown, exported or imported.
bool is_secret_header(std::string_view name);

// The headers of an entry (its headers_json, an object of name: value)
// without the secret ones; an empty object when it is not an object.
OrderedJson public_headers(const std::string& headers_json);

// What archive and purge take: the entries the filter selects (its status
// must be one the operation applies to; none: all it applies to), those
// whose last failure is older than older_than when given.
struct Housekeeping {
    DlqFilter filter;
    std::optional<std::chrono::milliseconds> older_than;
    std::string reason;  // for the audit log; may be empty
};

// Only a pending entry is archived: replaying ones are held by a replay,
// replayed and archived ones are done.
bool may_archive(const DlqEntry& entry);
// Only an archived or a replayed entry is deleted: a pending or replaying
// one would be lost.
bool may_purge(const DlqEntry& entry);

// Archives the pending entries selected, in one transaction, with one audit
// entry (dlq.archive) when any changed; returns their ids, newest first.
// An entry id named in the filter that is not there is kNotFound; one that is
// not pending, or a status other than pending, is kRefused, and nothing is
// archived then.
std::vector<std::string> archive(Store& store, const Housekeeping& request);

// The entries purge would delete (read only): archived and replayed ones, or
// those of the filter's status, which must be one of them (kRefused
// otherwise); named entry ids as for archive.
std::vector<DlqEntry> purgeable(Store& store, const Housekeeping& request);

// Deletes those of entry_ids that may still be purged, in one transaction,
// with one audit entry (dlq.purge) when any was; returns their ids.
std::vector<std::string> purge(Store& store, const std::vector<std::string>& entry_ids,
                               const std::string& reason);

}  // namespace salesint::dlq
