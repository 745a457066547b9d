#include "salesint/jobs/import.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "entities.hpp"
#include "salesint/domain/checkpoint_value.hpp"
#include "salesint/domain/checkpoints.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
#include "salesint/execute/registry.hpp"
#include "salesint/jobs/runs.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/uuid.hpp"
#include "salesint/version.hpp"

namespace salesint::jobs {
namespace {

constexpr const char* kIntentsTopic = "sales.domain.intents.v1";
constexpr const char* kIntentSchemaVersion = "1.0.0";
constexpr std::size_t kFirstErrors = 10;

// A record as the import judged it, before anything is written: the work
// that needs no state file is done outside the batch's transaction.
struct Judged {
    std::int64_t row = 0;
    std::optional<JobRowError> error;  // rejected
    std::vector<JobRowError> warnings;
    std::string external_id;
    std::string content_hash;
    std::string record_json;  // the record's text, spliced into its intent
    bool needs_review = false;
    std::optional<std::string> cursor;  // normalised for the checkpoint's kind
};

JobRowError row_error(std::int64_t row, const char* severity, std::string code, std::string message,
                      std::string pointer, std::string raw) {
    JobRowError error;
    error.row_number = row;
    error.severity = severity;
    error.code = std::move(code);
    error.message = std::move(message);
    error.pointer = std::move(pointer);
    error.raw_row = std::move(raw);
    return error;
}

std::string pointer_to(const std::string& field) {
    return "/" + field;
}

// The failure's details as one message: "customer.email: must be ...; ...".
std::string describe_failure(const execute::Failure& failure) {
    std::vector<std::string> parts;
    for (const execute::FieldError& detail : failure.details) {
        parts.push_back((detail.field.empty() ? std::string("record") : detail.field) + ": " +
                        detail.message);
    }
    return parts.empty() ? failure.message : join(parts, "; ");
}

std::string_view without_bom(std::string_view text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    return text.substr(0, kBom.size()) == kBom ? text.substr(kBom.size()) : text;
}

class Importer {
  public:
    Importer(Store& store, RecordSource& source, const ImportRequest& request)
        : store_(store), source_(source), request_(request) {
        system_code_ = connectors::normalize_system_code(request.system_code);
        require_text("entity type", request.entity_type, TextKind::kIdentifier);
        if (request.entity_type.empty()) {
            throw usage_error("entity type must not be empty").with_field("entity_type");
        }
        type_ = find_entity_type(request.entity_type);
        id_field_ =
            request.id_field.empty() ? default_id_field(request.entity_type) : request.id_field;
        cursor_field_ = request.cursor_field.empty() ? default_cursor_field(request.entity_type)
                                                     : request.cursor_field;
        if (type_ != nullptr && !type_->validated_as.empty()) {
            validator_ = &execute::adapter_named(type_->validated_as);
        }
    }

    ImportOutcome run(const ImportProgress& progress, const std::atomic<bool>* stop) {
        start();
        std::vector<SourceRecord> records;
        bool more = true;
        try {
            while (more && !stopped_ && !failed_by_errors_) {
                if (stop != nullptr && stop->load()) {
                    stopped_ = true;
                    break;
                }
                records.clear();
                more = source_.next_batch(records, request_.batch_size);
                take_batch(records);
                if (progress) {
                    progress(counts_);
                }
            }
        } catch (const std::exception& error) {
            close_after_failure(error.what());
            throw;
        }
        close();
        outcome_.counts = counts_;
        outcome_.stopped = stopped_;
        return outcome_;
    }

  private:
    // The run row, written as running in the same transaction that makes
    // sure no other process runs this job: two imports of one system and
    // entity would race for the same mappings and checkpoint.
    void start() {
        JobRun& run = outcome_.run;
        run.run_id = new_run_id();
        run.system_code = system_code_;
        run.job_type = "import";
        run.entity_type = request_.entity_type;
        run.source = source_.name();
        run.started_at = now_rfc3339();
        run.requested_by_user_id = request_.requested_by;
        run.worker = this_worker();
        run.heartbeat_at = run.started_at;
        if (!request_.dry_run) {
            close_abandoned_runs(store_);
        }
        auto start_run = [&] {
            connectors::require(store_, system_code_);
            JobRunFilter same_job;
            same_job.system_code = system_code_;
            same_job.entity_type = request_.entity_type;
            same_job.job_type = "import";
            same_job.limit = 1;
            std::vector<JobRun> last = store_.list_job_runs(same_job);
            if (!last.empty() && last.front().status == JobStatus::kRunning) {
                throw refused("an import of " + subject() + " is already running (run " +
                              last.front().run_id + ", process " + last.front().worker + ")");
            }
            if (request_.resume) {
                resume_from(last.empty() ? nullptr : &last.front());
            }
            if (auto checkpoint = store_.find_checkpoint(system_code_, request_.entity_type)) {
                run.checkpoint_before = checkpoint->value;
                checkpoint_kind_ = checkpoint->kind;
                checkpoint_value_ = checkpoint->value;
            }
            run.checkpoint_after = run.checkpoint_before;
            entity_known_ =
                type_ != nullptr || store_.is_entity_type_known(system_code_, request_.entity_type);
            if (!request_.dry_run) {
                run.id = store_.insert_job_run(run);
            }
        };
        if (request_.dry_run) {
            start_run();
        } else {
            store_.write(start_run);
        }
    }

    // --resume continues the job's last run when it did not finish: it reads
    // the same source again and passes over the rows that run committed.
    void resume_from(const JobRun* last) {
        if (last == nullptr) {
            throw refused("nothing to resume: " + subject() + " has no import run");
        }
        const bool unfinished = last->status == JobStatus::kInterrupted ||
                                last->status == JobStatus::kCancelled ||
                                last->status == JobStatus::kFailed;
        if (!unfinished) {
            throw refused("nothing to resume: the last import of " + subject() + " (run " +
                          last->run_id + ") ended " + to_string(last->status));
        }
        if (last->source != source_.name()) {
            throw refused("run " + last->run_id + " read " + last->source + ", not " +
                          source_.name() + "; resume it from the same source");
        }
        outcome_.run.resumed_from = last->run_id;
        if (!request_.source_starts_at_checkpoint) {
            outcome_.run.resume_after_row = last->resume_after_row;
            resume_after_row_ = last->resume_after_row;
        }
    }

    std::string subject() const { return system_code_ + "/" + request_.entity_type; }

    void take_batch(std::vector<SourceRecord>& records) {
        std::vector<Judged> judged;
        judged.reserve(records.size());
        for (SourceRecord& record : records) {
            if (record.row <= resume_after_row_) {
                ++counts_.skipped;
                continue;
            }
            ++counts_.read;
            judged.push_back(judge(record));
            if (judged.back().error) {
                ++counts_.rejected;
                if (request_.max_errors > 0 && counts_.rejected >= request_.max_errors) {
                    failed_by_errors_ = true;
                    break;
                }
            }
        }
        if (request_.dry_run) {
            for (Judged& one : judged) {
                settle(one);
            }
            // Where the checkpoint would be, never written.
            if (!checkpoint_value_.empty()) {
                outcome_.run.checkpoint_after = checkpoint_value_;
            }
            return;
        }
        store_.write([&] {
            std::vector<JobRowError> errors;
            for (Judged& one : judged) {
                settle(one);
                if (one.error) {
                    errors.push_back(std::move(*one.error));
                }
                for (JobRowError& warning : one.warnings) {
                    errors.push_back(std::move(warning));
                }
            }
            store_.insert_job_row_errors(outcome_.run.id, errors);
            advance_checkpoint();
            JobRun& run = outcome_.run;
            if (!judged.empty()) {
                run.resume_after_row = std::max(run.resume_after_row, judged.back().row);
            }
            note_progress();
            store_.update_job_run(run);
        });
    }

    // Everything that can be said of a record without the state file.
    Judged judge(SourceRecord& record) {
        Judged out;
        out.row = record.row;
        auto reject = [&](std::string code, std::string message, std::string pointer) {
            out.error = row_error(record.row, "error", std::move(code), std::move(message),
                                  std::move(pointer), record.raw);
            return out;
        };
        if (!record.problem.empty()) {
            return reject("unreadable_record", record.problem, "");
        }
        const std::string_view text = without_bom(record.json);
        Json json;
        if (record.parsed) {
            json = std::move(*record.parsed);
        } else if (auto problem = read_json(text, json)) {
            return reject("unreadable_record", problem->message, problem->pointer);
        }
        if (!json.is_object()) {
            return reject("not_an_object", "the record is not a JSON object", "");
        }
        auto id = json.find(id_field_);
        if (id == json.end() || id->is_null() ||
            (id->is_string() && id->get_ref<const std::string&>().empty())) {
            return reject("missing_id", "the record has no " + id_field_, pointer_to(id_field_));
        }
        if (id->is_number_integer()) {
            out.external_id = id->dump();
        } else if (id->is_string()) {
            out.external_id = id->get<std::string>();
            if (auto problem = text_problem(out.external_id, TextKind::kIdentifier)) {
                return reject("invalid_id", id_field_ + ": " + *problem, pointer_to(id_field_));
            }
        } else {
            return reject("invalid_id", id_field_ + " must be a string or an integer",
                          pointer_to(id_field_));
        }
        if (validator_ != nullptr) {
            if (auto failure = validator_->validate(json, text)) {
                const std::string pointer =
                    failure->details.empty() ? "" : failure->details.front().pointer;
                return reject(failure->code, describe_failure(*failure), pointer);
            }
        }
        judge_role(json, out, record);
        judge_cursor(json, out, record);
        out.content_hash = sha256_hex(json.dump());
        out.record_json = std::string(text);
        return out;
    }

    // Least privilege: a role the entity type does not know means a person
    // looks at the mapping before anything is sent on.
    void judge_role(const Json& json, Judged& out, const SourceRecord& record) {
        if (!entity_known_) {
            out.needs_review = true;
            return;
        }
        auto role = json.find("role");
        if (type_ == nullptr || type_->roles.empty() || role == json.end()) {
            return;
        }
        const bool known = role->is_string() &&
                           std::find(type_->roles.begin(), type_->roles.end(),
                                     role->get_ref<const std::string&>()) != type_->roles.end();
        if (!known) {
            out.needs_review = true;
            out.warnings.push_back(row_error(record.row, "warning", "unknown_role",
                                             "role " + escape_control(role->dump()) +
                                                 " is not one of " + join(type_->roles, ", ") +
                                                 "; the mapping waits for review",
                                             "/role", record.raw));
        }
    }

    void judge_cursor(const Json& json, Judged& out, const SourceRecord& record) {
        auto cursor = json.find(cursor_field_);
        if (cursor == json.end() || cursor->is_null()) {
            if (request_.cursor_field_given) {
                out.warnings.push_back(row_error(
                    record.row, "warning", "missing_cursor",
                    "the record has no " + cursor_field_ + "; the checkpoint does not count it",
                    pointer_to(cursor_field_), record.raw));
            }
            return;
        }
        std::string text;
        if (cursor->is_string()) {
            text = cursor->get<std::string>();
        } else if (cursor->is_number_integer()) {
            text = cursor->dump();
        }
        const CheckpointKind kind = checkpoint_kind_.value_or(detect_kind(text));
        auto value = text.empty() ? std::nullopt : parse_as(kind, text);
        if (!value) {
            out.warnings.push_back(
                row_error(record.row, "warning", "bad_cursor",
                          cursor_field_ + " " + escape_control(cursor->dump()) + " is not " +
                              (kind == CheckpointKind::kInteger     ? "an integer"
                               : kind == CheckpointKind::kTimestamp ? "an RFC 3339 time"
                                                                    : "a string") +
                              " like the checkpoint; the checkpoint does not count it",
                          pointer_to(cursor_field_), record.raw));
            return;
        }
        checkpoint_kind_ = kind;
        out.cursor = value->normalized;
    }

    // The record against its mapping: created, updated, unchanged, waiting
    // for review or refused (a retired mapping). Writes in the caller's
    // transaction; a dry run only looks.
    void settle(Judged& one) {
        if (one.error) {
            note_error(*one.error);
            return;
        }
        for (const JobRowError& warning : one.warnings) {
            ++counts_.warnings;
            note_error(warning);
        }
        const MappingKey key{system_code_, request_.entity_type, one.external_id};
        std::optional<Mapping> mapping = find_mapping(key);
        const std::string now = batch_time();
        if (mapping && mapping->status == MappingStatus::kRetired) {
            one.error = row_error(one.row, "error", "retired_mapping",
                                  "mapping " + subject() + "/" + one.external_id +
                                      " is retired; its records are not imported",
                                  "", one.record_json);
            ++counts_.rejected;
            note_error(*one.error);
            return;
        }
        take_cursor(one);
        if (!mapping) {
            Mapping created;
            created.key = key;
            created.internal_uuid = new_uuid_v4();
            created.status =
                one.needs_review ? MappingStatus::kPendingReview : MappingStatus::kActive;
            created.last_seen_at = created.created_at = created.updated_at = now;
            if (one.needs_review) {
                ++counts_.pending_review;
            } else {
                created.content_hash = one.content_hash;
                created.content_cursor = one.cursor.value_or("");
                ++counts_.created;
                write_intent(created.internal_uuid, one, "created");
            }
            save_mapping(created, true);
            return;
        }
        mapping->last_seen_at = mapping->updated_at = now;
        if (mapping->status == MappingStatus::kPendingReview || one.needs_review) {
            mapping->status = MappingStatus::kPendingReview;
            ++counts_.pending_review;
        } else if (mapping->content_hash == one.content_hash) {
            ++counts_.unchanged;
        } else if (is_stale(one, *mapping)) {
            ++counts_.stale;
        } else {
            mapping->content_hash = one.content_hash;
            mapping->content_cursor = one.cursor.value_or("");
            ++counts_.updated;
            write_intent(mapping->internal_uuid, one, "updated");
        }
        save_mapping(*mapping, false);
    }

    // An older copy of the record last imported (an earlier line of the same
    // export, or the same file imported again): taking it would send the
    // domain back to an old version.
    bool is_stale(const Judged& one, const Mapping& mapping) const {
        if (!one.cursor || mapping.content_cursor.empty() || !checkpoint_kind_) {
            return false;
        }
        // A cursor of another kind (another cursor field than last time)
        // says nothing about age.
        const auto last = parse_as(*checkpoint_kind_, mapping.content_cursor);
        return last && compare_values(*checkpoint_kind_, *one.cursor, last->normalized) < 0;
    }

    std::optional<Mapping> find_mapping(const MappingKey& key) {
        if (request_.dry_run) {
            auto seen = dry_run_seen_.find(key.external_id);
            if (seen != dry_run_seen_.end()) {
                return seen->second;
            }
        }
        return store_.find_mapping(key);
    }

    void save_mapping(const Mapping& mapping, bool is_new) {
        if (request_.dry_run) {
            dry_run_seen_[mapping.key.external_id] = mapping;
        } else if (is_new) {
            store_.insert_mapping(mapping);
        } else {
            store_.update_mapping(mapping);
        }
    }

    // A SalesDomainIntent asking the domain to take the record, keyed by the
    // internal UUID (docs/contracts.md, "Envelopes").
    void write_intent(const std::string& internal_uuid, const Judged& one, const char* change) {
        ++counts_.intents;
        if (request_.dry_run) {
            return;
        }
        const std::string now = batch_time();
        OutboxMessage message;
        message.message_id = new_uuid_v4();
        message.topic = kIntentsTopic;
        message.partition_key = store_.tenant() + ":" + internal_uuid;
        message.created_at = now;
        OrderedJson intent = OrderedJson::object();
        intent["type"] = "ImportRecord";
        intent["change"] = change;
        intent["source"] = {{"system_code", system_code_},
                            {"entity_type", request_.entity_type},
                            {"external_id", one.external_id},
                            {"job_run_id", outcome_.run.run_id},
                            {"row", one.row}};
        OrderedJson head = OrderedJson::object();
        head["topic"] = kIntentsTopic;
        head["meta"] = {{"tenant_id", store_.tenant()},
                        {"message_id", message.message_id},
                        {"correlation_id", outcome_.run.run_id},
                        {"causation_id", outcome_.run.run_id},
                        {"occurred_at", now},
                        {"producer", std::string("salesint/") + kVersion},
                        {"schema_version", kIntentSchemaVersion}};
        head["subject"] = {{"aggregate_type", request_.entity_type},
                           {"aggregate_id", internal_uuid}};
        message.envelope_json = dump_with_raw_member(
            head, "intent", dump_with_raw_member(intent, "record", one.record_json));
        store_.insert_outbox(message);
    }

    void take_cursor(const Judged& one) {
        if (!one.cursor || !checkpoint_kind_) {
            return;
        }
        if (checkpoint_value_.empty() ||
            compare_values(*checkpoint_kind_, *one.cursor, checkpoint_value_) > 0) {
            checkpoint_value_ = *one.cursor;
        }
    }

    // In the batch's transaction: never ahead of the records it counts.
    void advance_checkpoint() {
        if (checkpoint_value_.empty() || checkpoint_value_ == outcome_.run.checkpoint_after) {
            return;
        }
        checkpoints::SetRequest set;
        set.system_code = system_code_;
        set.entity_type = request_.entity_type;
        set.value = checkpoint_value_;
        set.kind = checkpoint_kind_;
        checkpoints::set(store_, set);
        outcome_.run.checkpoint_after = checkpoint_value_;
    }

    void note_error(const JobRowError& error) {
        if (outcome_.first_errors.size() < kFirstErrors) {
            outcome_.first_errors.push_back(error);
        }
    }

    const std::string& batch_time() {
        if (batch_time_.empty() || ++batch_time_uses_ % 256 == 0) {
            batch_time_ = now_rfc3339();
        }
        return batch_time_;
    }

    void note_progress() {
        JobRun& run = outcome_.run;
        run.rows_total = counts_.read;
        run.rows_ok = counts_.created + counts_.updated + counts_.unchanged + counts_.stale +
                      counts_.pending_review;
        run.error_count = counts_.rejected;
        run.warning_count = counts_.warnings;
        run.heartbeat_at = now_rfc3339();
        if (run.heartbeat_at < run.started_at) {
            run.heartbeat_at = run.started_at;
        }
        run.result_summary_json = summary_json().dump();
    }

    OrderedJson summary_json() const {
        OrderedJson summary = OrderedJson::object();
        summary["read"] = counts_.read;
        summary["created"] = counts_.created;
        summary["updated"] = counts_.updated;
        summary["unchanged"] = counts_.unchanged;
        summary["stale"] = counts_.stale;
        summary["pending_review"] = counts_.pending_review;
        summary["rejected"] = counts_.rejected;
        summary["warnings"] = counts_.warnings;
        summary["skipped"] = counts_.skipped;
        summary["intents"] = counts_.intents;
        summary["id_field"] = id_field_;
        summary["cursor_field"] = cursor_field_;
        summary["dry_run"] = request_.dry_run;
        const std::vector<std::string> columns = source_.columns();
        if (!columns.empty()) {
            summary["columns"] = columns;
        }
        if (!failure_message_.empty()) {
            summary["error"] = failure_message_;
        }
        return summary;
    }

    JobStatus final_status() const {
        if (stopped_) {
            return JobStatus::kCancelled;
        }
        if (failed_by_errors_ || !failure_message_.empty()) {
            return JobStatus::kFailed;
        }
        if (counts_.rejected == 0) {
            return JobStatus::kSucceeded;
        }
        return outcome_.run.rows_ok > 0 ? JobStatus::kPartial : JobStatus::kFailed;
    }

    void close() {
        JobRun& run = outcome_.run;
        note_progress();
        run.status = final_status();
        run.completed_at = std::max(now_rfc3339(), run.started_at);
        if (request_.dry_run) {
            return;
        }
        store_.write([&] {
            store_.update_job_run(run);
            if (run.status == JobStatus::kFailed) {
                checkpoints::record_sync_failure(
                    store_, system_code_, request_.entity_type,
                    failure_message_.empty()
                        ? "run " + run.run_id + " failed after " +
                              std::to_string(counts_.rejected) + " rejected records"
                        : "run " + run.run_id + " failed: " + failure_message_);
            } else if (run.status != JobStatus::kCancelled) {
                checkpoints::record_sync_success(store_, system_code_, request_.entity_type);
            }
        });
    }

    // The source failed part-way (or the state file did): what was committed
    // stays, the run is closed as failed and resumable. If even that cannot
    // be written, the next start finds the run abandoned.
    void close_after_failure(const std::string& message) {
        failure_message_ = message;
        try {
            close();
        } catch (const std::exception&) {
            // the original failure is what the caller reports
        }
    }

    Store& store_;
    RecordSource& source_;
    const ImportRequest& request_;
    std::string system_code_;
    const EntityType* type_ = nullptr;
    const execute::Adapter* validator_ = nullptr;
    std::string id_field_;
    std::string cursor_field_;
    bool entity_known_ = true;
    std::optional<CheckpointKind> checkpoint_kind_;
    std::string checkpoint_value_;  // the largest cursor taken so far
    std::int64_t resume_after_row_ = 0;
    ImportCounts counts_;
    ImportOutcome outcome_;
    bool stopped_ = false;
    bool failed_by_errors_ = false;
    std::string failure_message_;
    std::string batch_time_;
    std::size_t batch_time_uses_ = 0;
    std::unordered_map<std::string, Mapping> dry_run_seen_;
};

}  // namespace

std::string default_id_field(const std::string& entity_type) {
    const EntityType* type = find_entity_type(entity_type);
    return type != nullptr ? type->id_field : "id";
}

std::string default_cursor_field(const std::string& entity_type) {
    const EntityType* type = find_entity_type(entity_type);
    return type != nullptr ? type->cursor_field : "updatedAt";
}

ImportOutcome run_import(Store& store, RecordSource& source, const ImportRequest& request,
                         const ImportProgress& progress, const std::atomic<bool>* stop) {
    if (request.batch_size == 0) {
        throw usage_error("batch size must be at least 1").with_field("batch_size");
    }
    Importer importer(store, source, request);
    return importer.run(progress, stop);
}

}  // namespace salesint::jobs
