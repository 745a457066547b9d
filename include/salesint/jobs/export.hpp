// `job export` (README.md, "Import and export jobs"): internal envelopes (domain
// facts or intents from an NDJSON file, the outbox or the inbox) translated
// back to a system's external ids through the mappings and written to a file
// (NDJSON or CSV) or POSTed in batches to the connector. An envelope whose
// aggregate has no active mapping for the system is a per-row error, never a
// guess: an unreviewed or retired id never reaches a partner system. The
// export checkpoint (entity type "ENTITY.export") advances in the same
// transaction as the run's bookkeeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::jobs {

enum class ExportSourceKind { kFile, kOutbox, kInbox };

struct ExportRequest {
    std::string system_code;
    std::string entity_type;
    ExportSourceKind from = ExportSourceKind::kOutbox;
    std::string from_path;          // kFile: the NDJSON file ("-": stdin)
    std::string to;                 // a file path (.csv: CSV, else NDJSON) or "connector"
    std::string id_field = "id";    // the external id's name in what is written
    bool since_checkpoint = false;  // only envelopes at or after the export checkpoint
    std::size_t batch_size = 500;
    std::string requested_by;
};

struct ExportCounts {
    std::int64_t read = 0;
    std::int64_t exported = 0;
    std::int64_t rejected = 0;  // no mapping, pending_review, retired, not an envelope
    std::int64_t skipped = 0;   // before the checkpoint, or of another aggregate type
    std::int64_t batches = 0;
};

struct ExportOutcome {
    JobRun run;
    ExportCounts counts;
    std::vector<JobRowError> first_errors;  // at most 10
    std::string target;                     // the file, "-" or the URL written to
    // The target failed part-way (the run is failed): why, and whether it
    // was unavailable (worth trying again later) rather than refusing.
    std::string target_error;
    bool target_unavailable = false;
    bool stopped = false;  // interrupted: the run is cancelled
};

ExportOutcome run_export(Store& store, const ExportRequest& request, const std::atomic<bool>* stop);

// The checkpoint entity type of an export of entity_type.
std::string export_checkpoint_entity(const std::string& entity_type);

}  // namespace salesint::jobs
