#include "salesint/jobs/export.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "export_post.hpp"
#include "salesint/domain/checkpoint_value.hpp"
#include "salesint/domain/checkpoints.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
#include "salesint/execute/connector_auth.hpp"
#include "salesint/jobs/runs.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/line_splitter.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::jobs {
namespace {

constexpr int kOutboxPage = 500;
constexpr std::size_t kFirstErrors = 10;

// The target failed for good: the run fails and the export stops.
struct TargetFailed {
    std::string message;
    bool unavailable = false;
};

// A stop was requested: the run is cancelled.
struct Stopped {};

// Where exported rows go.
class RowSink {
  public:
    virtual ~RowSink() = default;
    virtual void add(const OrderedJson& row) = 0;
    // Everything added is written (a file renamed into place, the last
    // batch sent); called once, only when the export went through.
    virtual void finish() = 0;
    std::int64_t batches() const { return batches_; }

  protected:
    std::int64_t batches_ = 0;
};

std::string text_of(const OrderedJson& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// NDJSON or CSV into a file that appears only once complete (a temporary
// file in the same directory renamed over the target), or NDJSON streamed
// to standard output for "-".
class FileRowSink : public RowSink {
  public:
    FileRowSink(std::string path, std::string id_field)
        : path_(std::move(path)), id_field_(std::move(id_field)) {
        csv_ = ends_with(path_, ".csv");
        if (path_ == "-") {
            file_ = stdout;
            return;
        }
        const auto slash = path_.rfind('/');
        const std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash);
        const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
        if (base.empty()) {
            throw usage_error(path_ + " names a directory, not a file");
        }
        std::string pattern = dir + "/." + base + ".tmp-XXXXXX";
        const int fd = mkstemp(pattern.data());
        if (fd < 0) {
            throw usage_error("cannot write " + path_ + ": " + std::strerror(errno));
        }
        temp_ = pattern;
        // mkstemp makes the file 0600: give it the mode any new file gets.
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(fd, 0666 & ~mask);
        file_ = fdopen(fd, "w");
        if (file_ == nullptr) {
            const int error = errno;
            ::close(fd);
            ::unlink(temp_.c_str());
            throw usage_error("cannot write " + path_ + ": " + std::strerror(error));
        }
        if (csv_) {
            put(csv_quote(id_field_) +
                ",internal_uuid,entity_type,event_type,message_id,occurred_at,data\r\n");
        }
    }

    ~FileRowSink() override {
        if (file_ != nullptr && file_ != stdout) {
            std::fclose(file_);
        }
        if (!temp_.empty()) {
            ::unlink(temp_.c_str());  // not finished: no half file is left behind
        }
    }

    void add(const OrderedJson& row) override {
        if (!csv_) {
            put(row.dump() + "\n");
            return;
        }
        std::string line;
        for (const char* key : {"", "internal_uuid", "entity_type", "event_type", "message_id",
                                "occurred_at", "data"}) {
            const std::string name = key[0] == '\0' ? id_field_ : key;
            if (!line.empty() || key[0] != '\0') {
                line += ',';
            }
            line += csv_quote(text_of(row.value(name, OrderedJson(""))));
        }
        put(line + "\r\n");
    }

    void finish() override {
        if (file_ == stdout) {
            std::fflush(stdout);
            batches_ = 1;
            return;
        }
        if (std::fflush(file_) != 0 || fsync(fileno(file_)) != 0) {
            fail(errno);
        }
        const int closed = std::fclose(file_);
        file_ = nullptr;
        if (closed != 0) {
            fail(errno);
        }
        if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
            fail(errno);
        }
        temp_.clear();
        batches_ = 1;
    }

  private:
    void put(const std::string& text) {
        if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
            fail(errno);
        }
    }
    [[noreturn]] void fail(int error) {
        throw TargetFailed{"cannot write " + path_ + ": " + std::strerror(error), false};
    }

    std::string path_;
    std::string id_field_;
    std::string temp_;
    bool csv_ = false;
    std::FILE* file_ = nullptr;
};

// JSON arrays of at most batch_size rows POSTed to the connector.
class ConnectorRowSink : public RowSink {
  public:
    ConnectorRowSink(BatchPost post, std::size_t batch_size, const std::atomic<bool>* stop)
        : post_(std::move(post)), batch_size_(std::max<std::size_t>(batch_size, 1)), stop_(stop) {}

    void add(const OrderedJson& row) override {
        pending_.push_back(row);
        if (pending_.size() >= batch_size_) {
            send();
        }
    }
    void finish() override {
        if (!pending_.empty()) {
            send();
        }
    }

  private:
    void send() {
        post_.body = pending_.dump();
        const PostResult result = post_batch(post_, stop_);
        switch (result.outcome) {
            case PostOutcome::kDelivered:
                break;
            case PostOutcome::kStopped:
                throw Stopped{};
            case PostOutcome::kRefused:
                throw TargetFailed{"batch " + std::to_string(batches_ + 1) + " refused by " +
                                       post_.url + ": " + result.error,
                                   false};
            case PostOutcome::kExhausted:
                throw TargetFailed{"batch " + std::to_string(batches_ + 1) + " not delivered to " +
                                       post_.url + " after " + std::to_string(result.attempts) +
                                       " attempts: " + result.error,
                                   true};
        }
        ++batches_;
        pending_ = OrderedJson::array();
    }

    BatchPost post_;
    std::size_t batch_size_;
    const std::atomic<bool>* stop_;
    OrderedJson pending_ = OrderedJson::array();
};

std::string string_at(const Json& object, const char* section, const char* key) {
    if (!object.contains(section) || !object[section].is_object()) {
        return "";
    }
    const Json& inner = object[section];
    auto found = inner.find(key);
    return found != inner.end() && found->is_string() ? found->get<std::string>() : "";
}

// The exported payload: the record an import turned into an intent, else
// the fact or intent as it is.
Json payload_of(const Json& envelope) {
    for (const char* body : {"intent", "fact"}) {
        auto found = envelope.find(body);
        if (found == envelope.end() || !found->is_object()) {
            continue;
        }
        if (std::string(body) == "intent") {
            auto record = found->find("record");
            if (record != found->end() && record->is_object()) {
                return *record;
            }
        }
        return *found;
    }
    return Json::object();
}

std::string event_type_of(const Json& envelope) {
    for (const char* body : {"intent", "fact"}) {
        std::string type = string_at(envelope, body, "type");
        if (!type.empty()) {
            return type;
        }
    }
    auto topic = envelope.find("topic");
    return topic != envelope.end() && topic->is_string() ? topic->get<std::string>() : "";
}

class Exporter {
  public:
    Exporter(Store& store, const ExportRequest& request, RowSink& sink,
             std::optional<std::string> since, const std::atomic<bool>* stop)
        : store_(store), request_(request), sink_(sink), since_(std::move(since)), stop_(stop) {}

    void take(std::int64_t row, std::string_view text) {
        if (stop_ != nullptr && stop_->load()) {
            throw Stopped{};
        }
        ++counts.read;
        last_row = row;
        Json envelope;
        if (auto problem = read_json(text, envelope)) {
            reject(row, "invalid_json", problem->message, problem->pointer, text);
            return;
        }
        if (!envelope.is_object()) {
            reject(row, "not_an_envelope", "not a JSON object", "", text);
            return;
        }
        const std::string message_id = string_at(envelope, "meta", "message_id");
        const std::string uuid = string_at(envelope, "subject", "aggregate_id");
        const std::string occurred = string_at(envelope, "meta", "occurred_at");
        if (message_id.empty()) {
            reject(row, "not_an_envelope", "meta.message_id is missing or not a string",
                   "/meta/message_id", text);
            return;
        }
        // Envelopes of another aggregate type are not this export's; in the
        // outbox and the inbox, neither are those without a subject (order
        // intake events, integration facts of other families).
        const std::string aggregate_type = string_at(envelope, "subject", "aggregate_type");
        const bool from_state = request_.from != ExportSourceKind::kFile;
        if ((!aggregate_type.empty() && aggregate_type != request_.entity_type) ||
            (from_state && aggregate_type.empty())) {
            ++counts.skipped;
            return;
        }
        if (uuid.empty()) {
            reject(row, "not_an_envelope", "subject.aggregate_id is missing or not a string",
                   "/subject/aggregate_id", text);
            return;
        }
        auto occurred_at = parse_as(CheckpointKind::kTimestamp, occurred);
        if (!occurred_at) {
            reject(row, "not_an_envelope",
                   "meta.occurred_at is missing or not an RFC 3339 time: '" +
                       escape_control(occurred) + "'",
                   "/meta/occurred_at", text);
            return;
        }
        if (since_ &&
            compare_values(CheckpointKind::kTimestamp, occurred_at->normalized, *since_) < 0) {
            ++counts.skipped;
            return;
        }
        const Mapping* mapping = nullptr;
        std::vector<Mapping> mappings = store_.find_mappings_by_uuid(uuid);
        std::vector<const Mapping*> ours;
        for (const Mapping& candidate : mappings) {
            if (candidate.key.system_code == request_.system_code &&
                candidate.key.entity_type == request_.entity_type) {
                ours.push_back(&candidate);
            }
        }
        const std::string subject = request_.system_code + "/" + request_.entity_type;
        std::vector<const Mapping*> active;
        for (const Mapping* candidate : ours) {
            if (candidate->status == MappingStatus::kActive) {
                active.push_back(candidate);
            }
        }
        if (active.size() > 1) {
            reject(row, "ambiguous",
                   "internal UUID " + uuid + " has " + std::to_string(active.size()) +
                       " active mappings for " + subject + "; export only one",
                   "/subject/aggregate_id", text);
            return;
        }
        if (active.size() == 1) {
            mapping = active.front();
        } else if (ours.empty()) {
            reject(row, "unmapped", "no mapping of " + uuid + " for " + subject,
                   "/subject/aggregate_id", text);
            return;
        } else {
            const bool pending = std::any_of(ours.begin(), ours.end(), [](const Mapping* m) {
                return m->status == MappingStatus::kPendingReview;
            });
            const Mapping& first = *ours.front();
            if (pending) {
                reject(row, "pending_review",
                       "the mapping of " + uuid + " for " + subject + " (" + first.key.external_id +
                           ") is pending review",
                       "/subject/aggregate_id", text);
            } else {
                reject(row, "retired",
                       "the mapping of " + uuid + " for " + subject + " (" + first.key.external_id +
                           ") is retired",
                       "/subject/aggregate_id", text);
            }
            return;
        }

        OrderedJson out = OrderedJson::object();
        out[request_.id_field] = mapping->key.external_id;
        out["internal_uuid"] = uuid;
        out["entity_type"] = request_.entity_type;
        out["event_type"] = event_type_of(envelope);
        out["message_id"] = message_id;
        out["occurred_at"] = occurred;
        out["data"] = OrderedJson::parse(payload_of(envelope).dump());
        sink_.add(out);
        ++counts.exported;
        if (max_occurred.empty() ||
            compare_values(CheckpointKind::kTimestamp, occurred_at->normalized, max_occurred) > 0) {
            max_occurred = occurred_at->normalized;
        }
    }

    // A line longer than any JSON input may be: read no further, rejected.
    void take_overlong(std::int64_t row, std::size_t bytes) {
        ++counts.read;
        last_row = row;
        reject(row, "line_too_long",
               "a line of " + std::to_string(bytes) + " bytes, longer than a JSON input may be", "",
               "");
    }

    ExportCounts counts;
    std::vector<JobRowError> errors;
    std::string max_occurred;  // normalised; empty: nothing exported
    std::int64_t last_row = 0;

  private:
    void reject(std::int64_t row, const std::string& code, const std::string& message,
                const std::string& pointer, std::string_view text) {
        ++counts.rejected;
        JobRowError error;
        error.row_number = row;
        error.code = code;
        error.message = message;
        error.pointer = pointer;
        error.raw_row = std::string(text);
        errors.push_back(std::move(error));
    }

    Store& store_;
    const ExportRequest& request_;
    RowSink& sink_;
    std::optional<std::string> since_;
    const std::atomic<bool>* stop_;
};

std::string trimmed_line(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.remove_suffix(1);
    }
    return std::string(line);
}

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void read_file_source(const std::string& path, Exporter& exporter, const std::atomic<bool>* stop) {
    LineSplitter splitter(
        [&](std::string_view lines, std::size_t first_line) {
            std::size_t number = first_line;
            while (!lines.empty()) {
                const auto end = lines.find('\n');
                const std::string_view line =
                    end == std::string_view::npos ? lines : lines.substr(0, end + 1);
                lines.remove_prefix(line.size());
                if (!blank(line)) {
                    exporter.take(static_cast<std::int64_t>(number), trimmed_line(line));
                }
                ++number;
            }
        },
        [&](std::size_t line, std::size_t bytes) {
            exporter.take_overlong(static_cast<std::int64_t>(line), bytes);
        });
    for_each_input_chunk(
        path, [&](std::string_view chunk) { splitter.feed(chunk); }, stop);
    splitter.finish();
    if (stop != nullptr && stop->load()) {
        throw Stopped{};
    }
}

void read_outbox(Store& store, Exporter& exporter) {
    OutboxFilter filter;
    filter.limit = kOutboxPage;
    for (;;) {
        const std::vector<OutboxMessage> page = store.list_outbox(filter);
        for (const OutboxMessage& message : page) {
            exporter.take(message.id, message.envelope_json);
        }
        if (page.size() < static_cast<std::size_t>(kOutboxPage)) {
            return;
        }
        filter.after_id = page.back().id;
    }
}

void read_inbox(Store& store, Exporter& exporter) {
    InboxFilter filter;
    filter.view = InboxView::kAll;
    std::vector<InboxEntry> entries = store.list_inbox(filter);
    std::reverse(entries.begin(), entries.end());  // oldest first
    for (const InboxEntry& entry : entries) {
        if (entry.scheme == "envelope") {
            exporter.take(entry.id, entry.body);
        }
    }
}

const char* source_name(ExportSourceKind kind) {
    switch (kind) {
        case ExportSourceKind::kFile:
            return "file";
        case ExportSourceKind::kOutbox:
            return "outbox";
        case ExportSourceKind::kInbox:
            return "inbox";
    }
    return "outbox";
}

std::string url_join(std::string base, const std::string& entity) {
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base + "/" + entity;
}

std::unique_ptr<RowSink> open_sink(Store& store, const ExportRequest& request,
                                   const std::atomic<bool>* stop, std::string& target) {
    if (request.to != "connector") {
        target = request.to;
        return std::make_unique<FileRowSink>(request.to, request.id_field);
    }
    const Connector connector = *store.find_connector(request.system_code);
    if (!connector.is_active) {
        throw refused("connector " + connector.system_code + " is disabled")
            .with_hint(Hint::kEnableConnector, {connector.system_code});
    }
    if (connector.base_url.empty()) {
        throw usage_error("connector " + connector.system_code + " has no base_url to export to")
            .with_field("base_url")
            .with_hint(Hint::kSetConnectorUrl, {connector.system_code});
    }
    if (connector.auth_method == "hmac") {
        throw usage_error("connector " + connector.system_code +
                          ": auth_method hmac is not supported for exports; use bearer, basic "
                          "or api_key")
            .with_field("auth_method");
    }
    execute::LiveRequest auth;
    execute::authenticate(auth, connector);  // the secret is read now, never stored
    BatchPost post;
    post.url = url_join(connector.base_url, request.entity_type);
    post.headers.push_back({"Content-Type", "application/json"});
    for (const auto& header : auth.headers) {
        post.headers.push_back({header.name, header.value});
    }
    for (const auto& header : auth.secret_headers) {
        post.secret_headers.push_back({header.name, header.value});
    }
    target = post.url;
    return std::make_unique<ConnectorRowSink>(std::move(post), request.batch_size, stop);
}

OrderedJson summary_json(const ExportCounts& counts, const std::string& target,
                         const std::string& error) {
    OrderedJson summary = OrderedJson::object();
    summary["exported"] = counts.exported;
    summary["rejected"] = counts.rejected;
    summary["skipped"] = counts.skipped;
    summary["batches"] = counts.batches;
    summary["target"] = target;
    if (!error.empty()) {
        summary["target_error"] = error;
    }
    return summary;
}

}  // namespace

std::string export_checkpoint_entity(const std::string& entity_type) {
    return entity_type + ".export";
}

ExportOutcome run_export(Store& store, const ExportRequest& given, const std::atomic<bool>* stop) {
    ExportRequest request = given;
    request.system_code = connectors::normalize_system_code(request.system_code);
    require_text("entity_type", request.entity_type, TextKind::kIdentifier);
    if (request.entity_type.empty()) {
        throw usage_error("entity_type must not be empty").with_field("entity_type");
    }
    if (request.id_field.empty()) {
        request.id_field = "id";
    }
    for (const char* reserved :
         {"internal_uuid", "entity_type", "event_type", "message_id", "occurred_at", "data"}) {
        if (request.id_field == reserved) {
            throw usage_error("id_field '" + request.id_field +
                              "' is a column of the export itself; choose another name")
                .with_field("id_field");
        }
    }
    if (request.from == ExportSourceKind::kFile && request.from_path.empty()) {
        throw usage_error("no file to export from").with_field("from");
    }
    if (request.to.empty()) {
        throw usage_error("no target to export to").with_field("to");
    }
    if (request.requested_by.empty()) {
        request.requested_by = current_user();
    }
    connectors::require(store, request.system_code);
    const std::string checkpoint_entity = export_checkpoint_entity(request.entity_type);
    close_abandoned_runs(store);

    auto checkpoint = store.find_checkpoint(request.system_code, checkpoint_entity);
    if (checkpoint && checkpoint->kind != CheckpointKind::kTimestamp) {
        throw usage_error("checkpoint " + request.system_code + "/" + checkpoint_entity +
                          " holds " + to_string(checkpoint->kind) +
                          " values, not the timestamps an export keeps")
            .with_hint(Hint::kRewindCheckpoint, {request.system_code, checkpoint_entity});
    }
    std::optional<std::string> since;
    if (request.since_checkpoint && checkpoint) {
        since = checkpoint->value;
    }

    if (request.from == ExportSourceKind::kFile) {
        require_readable(request.from_path);  // a usage error writes no run
    }
    ExportOutcome outcome;
    std::unique_ptr<RowSink> sink = open_sink(store, request, stop, outcome.target);

    JobRun run;
    run.run_id = new_run_id();
    run.system_code = request.system_code;
    run.job_type = "export";
    run.entity_type = request.entity_type;
    run.source =
        request.from == ExportSourceKind::kFile ? request.from_path : source_name(request.from);
    run.status = JobStatus::kRunning;
    run.started_at = run.heartbeat_at = now_rfc3339();
    run.requested_by_user_id = request.requested_by;
    run.worker = this_worker();
    run.checkpoint_before = checkpoint ? checkpoint->value : "";
    run.checkpoint_after = run.checkpoint_before;
    store.write([&] {
        JobRunFilter running;
        running.system_code = request.system_code;
        running.entity_type = request.entity_type;
        running.job_type = "export";
        running.status = JobStatus::kRunning;
        const std::vector<JobRun> others = store.list_job_runs(running);
        if (!others.empty()) {
            throw refused("an export of " + request.system_code + "/" + request.entity_type +
                          " is already running: " + others.front().run_id + " (worker " +
                          others.front().worker + ")");
        }
        run.id = store.insert_job_run(run);
    });

    Exporter exporter(store, request, *sink, since, stop);
    std::string failure;
    bool unavailable = false;
    bool stopped = false;
    std::optional<Error> error_to_rethrow;
    try {
        switch (request.from) {
            case ExportSourceKind::kFile:
                read_file_source(request.from_path, exporter, stop);
                break;
            case ExportSourceKind::kOutbox:
                read_outbox(store, exporter);
                break;
            case ExportSourceKind::kInbox:
                read_inbox(store, exporter);
                break;
        }
        sink->finish();
    } catch (const TargetFailed& failed) {
        failure = failed.message;
        unavailable = failed.unavailable;
    } catch (const Stopped&) {
        stopped = true;
    } catch (const Error& error) {
        failure = error.what();
        error_to_rethrow = error;
    }
    ExportCounts counts = exporter.counts;
    counts.batches = sink->batches();
    sink.reset();  // an unfinished file is removed now: no half file is left

    const bool target_failed = !failure.empty();
    if (stopped) {
        run.status = JobStatus::kCancelled;
    } else if (target_failed) {
        run.status = JobStatus::kFailed;
    } else if (counts.rejected == 0) {
        run.status = JobStatus::kSucceeded;
    } else if (counts.exported > 0) {
        run.status = JobStatus::kPartial;
    } else {
        run.status = JobStatus::kFailed;
        failure = std::to_string(counts.rejected) + " envelope" +
                  (counts.rejected == 1 ? "" : "s") + " rejected, none exported";
    }
    run.rows_total = counts.read;
    run.rows_ok = counts.exported;
    run.error_count = counts.rejected;
    run.resume_after_row = exporter.last_row;
    run.result_summary_json =
        summary_json(counts, outcome.target, target_failed ? failure : "").dump();

    // The rows, the checkpoint and the run's end in one transaction. A file
    // was written before it commits: a crash in between leaves the checkpoint
    // behind, so the next export repeats rows rather than skipping them.
    store.write([&] {
        if (!exporter.errors.empty()) {
            store.insert_job_row_errors(run.id, exporter.errors);
        }
        const bool advances =
            run.status == JobStatus::kSucceeded || run.status == JobStatus::kPartial;
        if (advances && !exporter.max_occurred.empty()) {
            auto now_at = store.find_checkpoint(request.system_code, checkpoint_entity);
            if (!now_at || compare_values(CheckpointKind::kTimestamp, exporter.max_occurred,
                                          now_at->value) > 0) {
                checkpoints::SetRequest set;
                set.system_code = request.system_code;
                set.entity_type = checkpoint_entity;
                set.value = exporter.max_occurred;
                set.kind = CheckpointKind::kTimestamp;
                run.checkpoint_after = checkpoints::set(store, set).checkpoint.value;
            } else {
                run.checkpoint_after = now_at->value;
            }
        }
        if (advances) {
            checkpoints::record_sync_success(store, request.system_code, checkpoint_entity);
        } else if (run.status == JobStatus::kFailed) {
            checkpoints::record_sync_failure(store, request.system_code, checkpoint_entity,
                                             failure);
        }
        run.completed_at = now_rfc3339();
        if (run.completed_at < run.started_at) {
            run.completed_at = run.started_at;
        }
        run.heartbeat_at = run.completed_at;
        store.update_job_run(run);
    });
    if (error_to_rethrow) {
        throw *error_to_rethrow;
    }

    outcome.run = run;
    outcome.counts = counts;
    for (std::size_t i = 0; i < exporter.errors.size() && i < kFirstErrors; ++i) {
        outcome.first_errors.push_back(exporter.errors[i]);
    }
    outcome.target_error = target_failed ? failure : "";
    outcome.target_unavailable = target_failed && unavailable;
    outcome.stopped = stopped;
    return outcome;
}

}  // namespace salesint::jobs
