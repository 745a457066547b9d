#include "salesint/delivery/outbox_relay.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <set>
#include <thread>

#include "salesint/util/clock.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/uuid.hpp"

namespace salesint::delivery {
namespace {

// The unpublished, not dead-lettered envelopes oldest first, in pages: two
// streams read through the store's index of unpublished rows, the pending
// and the failed envelopes, each with its own cursor, merged by id. A stream
// that returned less than a page is not asked again until the next poll or
// rewind: the failed ones are few, and asking for them with every page would
// walk every unpublished row after the cursor each time.
class UnpublishedReader {
  public:
    UnpublishedReader(Store& store, std::size_t page_size) : store_(store), page_size_(page_size) {}

    std::vector<OutboxMessage> next_page() {
        std::vector<OutboxMessage> page;
        while (page.size() < page_size_) {
            refill(pending_);
            refill(failed_);
            Stream* from = nullptr;
            for (Stream* stream : {&pending_, &failed_}) {
                if (!stream->buffered.empty() &&
                    (from == nullptr || stream->buffered.front().id < from->buffered.front().id)) {
                    from = stream;
                }
            }
            if (from == nullptr) {
                break;
            }
            page.push_back(std::move(from->buffered.front()));
            from->buffered.pop_front();
        }
        return page;
    }

    // Reads again from the envelope after id.
    void rewind(std::int64_t after) {
        for (Stream* stream : {&pending_, &failed_}) {
            stream->buffered.clear();
            stream->cursor = after;
            stream->exhausted = false;
        }
    }

    // Looks for envelopes written since the streams ran out, from the first
    // unpublished one: on PostgreSQL an envelope can commit after one with a
    // higher id was read, and must not be skipped for it (the store's index
    // holds only unpublished envelopes, so reading them again is cheap).
    void poll_again() { rewind(0); }

  private:
    struct Stream {
        OutboxStatus status;
        std::deque<OutboxMessage> buffered;
        std::int64_t cursor = 0;
        bool exhausted = false;
    };

    void refill(Stream& stream) {
        if (!stream.buffered.empty() || stream.exhausted) {
            return;
        }
        OutboxFilter filter;
        filter.status = stream.status;
        filter.after_id = stream.cursor;
        filter.limit = static_cast<int>(page_size_);
        std::vector<OutboxMessage> rows = store_.list_outbox(filter);
        stream.exhausted = rows.size() < page_size_;
        if (!rows.empty()) {
            stream.cursor = rows.back().id;
        }
        std::move(rows.begin(), rows.end(), std::back_inserter(stream.buffered));
    }

    Store& store_;
    std::size_t page_size_;
    Stream pending_{OutboxStatus::kPending, {}, 0, false};
    Stream failed_{OutboxStatus::kFailed, {}, 0, false};
};

std::string meta_field(const OrderedJson& envelope, const char* name) {
    if (envelope.is_object() && envelope.contains("meta") && envelope["meta"].is_object()) {
        const OrderedJson& value = envelope["meta"].value(name, OrderedJson());
        if (value.is_string()) {
            return value.get<std::string>();
        }
    }
    return {};
}

DlqEntry dead_letter(const OutboxMessage& message, const EnvelopeResult& result,
                     const std::string& target, const std::string& now) {
    const OrderedJson envelope = OrderedJson::parse(message.envelope_json, nullptr, false);
    DlqEntry entry;
    entry.entry_id = new_uuid_v4();
    entry.source = "outbox";
    entry.adapter_id = message.topic;
    entry.message_id = message.message_id;
    entry.correlation_id = meta_field(envelope, "correlation_id");
    entry.causation_id = meta_field(envelope, "causation_id");
    entry.target_url = target;
    entry.payload = message.envelope_json;
    entry.error_code = result.error_code.empty() ? "PUBLISH_FAILED" : result.error_code;
    entry.error_message = "publish failed " + std::to_string(message.publish_attempts + 1) +
                          " times: " + result.error;
    const std::string at = result.at.empty() ? now : result.at;
    entry.attempts_json =
        OrderedJson::array(
            {OrderedJson{
                {"attempt", message.publish_attempts + 1},
                {"at", at},
                {"status", result.http_status ? OrderedJson(*result.http_status) : OrderedJson()},
                {"error", result.error},
                {"duration_ms", result.duration_ms}}})
            .dump();
    entry.first_failed_at = at;
    entry.last_failed_at = at;
    entry.updated_at = now;
    return entry;
}

// Several relays on one state: holds the batch's partition keys and keeps of
// the batch the envelopes of keys held that are still unpublished. A key
// another relay holds is left to it for the rest of this pass (busy), so
// that none of its later envelopes overtakes the ones left.
std::vector<OutboxMessage> claim(Store& store, std::vector<OutboxMessage> batch,
                                 std::set<std::string>& busy) {
    auto is_busy = [&busy](const OutboxMessage& m) { return busy.count(m.partition_key) > 0; };
    batch.erase(std::remove_if(batch.begin(), batch.end(), is_busy), batch.end());
    if (batch.empty()) {
        return batch;
    }
    std::vector<std::string> keys;
    std::set<std::string> seen;
    for (const OutboxMessage& message : batch) {
        if (seen.insert(message.partition_key).second) {
            keys.push_back(message.partition_key);
        }
    }
    const std::optional<std::vector<std::string>> held_elsewhere = store.hold_outbox_keys(keys);
    if (!held_elsewhere) {
        return batch;  // one relay at a time on this backend
    }
    busy.insert(held_elsewhere->begin(), held_elsewhere->end());
    batch.erase(std::remove_if(batch.begin(), batch.end(), is_busy), batch.end());
    std::vector<std::int64_t> ids;
    for (const OutboxMessage& message : batch) {
        ids.push_back(message.id);
    }
    const std::vector<std::int64_t> unpublished = store.unpublished_among(ids);
    const std::set<std::int64_t> left(unpublished.begin(), unpublished.end());
    batch.erase(std::remove_if(batch.begin(), batch.end(),
                               [&left](const OutboxMessage& m) { return left.count(m.id) == 0; }),
                batch.end());
    return batch;
}

}  // namespace

bool PartitionGate::stop(const std::string& key) {
    if (!stopped_set_.insert(key).second) {
        return false;
    }
    stopped_.push_back(key);
    return true;
}

std::vector<OutboxMessage> sendable(std::vector<OutboxMessage> page, const PartitionGate& gate) {
    page.erase(std::remove_if(page.begin(), page.end(),
                              [&gate](const OutboxMessage& message) {
                                  const OutboxStatus status = status_of(message);
                                  return status == OutboxStatus::kPublished ||
                                         status == OutboxStatus::kDeadLettered ||
                                         gate.stopped(message.partition_key);
                              }),
               page.end());
    return page;
}

Settlement settle(const std::vector<OutboxMessage>& batch, const PublishResult& result,
                  int dead_letter_after, PartitionGate& gate) {
    Settlement settlement;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const OutboxMessage& message = batch[i];
        const EnvelopeOutcome outcome =
            i < result.envelopes.size() ? result.envelopes[i].outcome : EnvelopeOutcome::kNotSent;
        switch (outcome) {
            case EnvelopeOutcome::kAcknowledged:
                settlement.published.push_back(message.id);
                break;
            case EnvelopeOutcome::kFailed: {
                const bool dead = dead_letter_after > 0 &&
                                  message.publish_attempts + 1 >= dead_letter_after &&
                                  !gate.stopped(message.partition_key);
                settlement.failures.push_back({i, message.id, dead});
                if (!dead) {
                    gate.stop(message.partition_key);
                }
                break;
            }
            case EnvelopeOutcome::kNotSent:
                if (settlement.first_retry_id == 0 && !gate.stopped(message.partition_key)) {
                    settlement.first_retry_id = message.id;
                }
                break;
        }
    }
    return settlement;
}

RelayReport relay(Store& store, Sink& sink, const RelayOptions& options) {
    RelayReport report;
    PartitionGate gate;
    std::int64_t tried = 0;
    const std::size_t chunk_size = std::max<std::size_t>(1, sink.preferred_batch());
    const std::size_t page_size = std::max(options.page_size, chunk_size);
    auto stop_asked = [&] { return options.stop_requested && options.stop_requested(); };
    auto limit_reached = [&] { return options.limit > 0 && tried >= options.limit; };
    UnpublishedReader reader(store, page_size);
    std::set<std::string> busy;  // keys another relay holds, in this pass
    bool done = false;

    while (!done && !stop_asked() && !limit_reached()) {
        std::vector<OutboxMessage> page = reader.next_page();
        if (page.empty()) {
            if (!options.follow && busy.empty()) {
                break;
            }
            if (!options.follow) {
                // Another relay held some keys during this pass: drain again
                // what it may have left, once it let them go.
                reader.poll_again();
                busy.clear();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            const auto until = std::chrono::steady_clock::now() + options.poll;
            while (!stop_asked() && std::chrono::steady_clock::now() < until) {
                std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
                    options.poll, std::chrono::milliseconds(50)));
            }
            reader.poll_again();
            busy.clear();
            continue;
        }
        for (std::size_t start = 0; start < page.size(); start += chunk_size) {
            if (stop_asked() || limit_reached()) {
                done = true;
                break;
            }
            // Moved out of the page: each envelope is handed on once.
            std::vector<OutboxMessage> batch = sendable(
                std::vector<OutboxMessage>(
                    std::make_move_iterator(page.begin() + static_cast<std::ptrdiff_t>(start)),
                    std::make_move_iterator(page.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                               page.size(), start + chunk_size)))),
                gate);
            if (options.limit > 0 &&
                static_cast<std::int64_t>(batch.size()) > options.limit - tried) {
                batch.resize(static_cast<std::size_t>(options.limit - tried));
            }
            batch = claim(store, std::move(batch), busy);
            if (batch.empty()) {
                store.release_outbox_keys();
                continue;
            }
            const PublishResult result = sink.publish(batch);
            const Settlement settlement = settle(batch, result, options.dead_letter_after, gate);
            const std::string now = now_rfc3339();

            std::vector<RelayFailure> failures;
            std::vector<DlqEntry> dead_letters;
            for (const Settlement::Failure& failure : settlement.failures) {
                const OutboxMessage& message = batch[failure.index];
                const EnvelopeResult& outcome = result.envelopes[failure.index];
                RelayFailure reported{message.id,
                                      message.message_id,
                                      message.partition_key,
                                      outcome.error,
                                      outcome.unreachable,
                                      failure.dead_letter,
                                      ""};
                if (failure.dead_letter) {
                    dead_letters.push_back(dead_letter(message, outcome, options.target, now));
                    reported.dlq_entry_id = dead_letters.back().entry_id;
                }
                failures.push_back(std::move(reported));
            }
            store.write([&] {
                if (!settlement.published.empty()) {
                    store.mark_outbox_published(settlement.published, now);
                }
                std::size_t next_dead_letter = 0;
                for (const RelayFailure& failure : failures) {
                    store.record_outbox_failure(failure.id, failure.error);
                    if (failure.dead_lettered) {
                        store.insert_dlq(dead_letters[next_dead_letter++]);
                        store.mark_outbox_dead_lettered(failure.id, now);
                    }
                }
                for (const WebhookDelivery& delivery : result.deliveries) {
                    store.insert_webhook_delivery(delivery);
                }
            });
            store.release_outbox_keys();

            tried +=
                static_cast<std::int64_t>(settlement.published.size() + settlement.failures.size());
            report.published += static_cast<std::int64_t>(settlement.published.size());
            for (RelayFailure& failure : failures) {
                ++(failure.dead_lettered ? report.dead_lettered : report.failed);
                report.failures.push_back(std::move(failure));
            }
            if (options.on_progress) {
                options.on_progress(report.published);
            }
            const bool progressed = !settlement.published.empty() || !settlement.failures.empty();
            if (settlement.first_retry_id != 0 && progressed) {
                reader.rewind(settlement.first_retry_id - 1);  // its key goes on: read it again
                break;
            }
        }
    }

    report.stopped_keys = gate.stopped_keys();
    const bool all_unreachable = !report.failures.empty() &&
                                 std::all_of(report.failures.begin(), report.failures.end(),
                                             [](const RelayFailure& f) { return f.unreachable; });
    report.sink_unreachable = report.published == 0 && all_unreachable;
    return report;
}

}  // namespace salesint::delivery
