// The outbox relay: publishes the envelopes that are neither published nor
// dead-lettered, oldest first and in order per partition key, to a Sink,
// and marks them published only after the sink acknowledged them
// (at-least-once: a relay that dies between the sink's acknowledgement and
// its commit publishes those envelopes again on the next run).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "salesint/delivery/sink.hpp"
#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::delivery {

// The partition keys stopped in one run: a key whose envelope failed is not
// published further in that run, so that its envelopes never overtake one
// another; other keys go on.
class PartitionGate {
  public:
    bool stopped(const std::string& key) const { return stopped_set_.count(key) > 0; }
    // Returns true when the key was not stopped before.
    bool stop(const std::string& key);
    // In the order they were stopped.
    const std::vector<std::string>& stopped_keys() const { return stopped_; }

  private:
    std::set<std::string> stopped_set_;
    std::vector<std::string> stopped_;
};

// The envelopes of page (oldest first) that may be handed to a sink now:
// neither published nor dead-lettered, and of a key that is not stopped.
std::vector<OutboxMessage> sendable(std::vector<OutboxMessage> page, const PartitionGate& gate);

// What a sink's answer for a batch means for the store.
struct Settlement {
    struct Failure {
        std::size_t index = 0;  // in the batch
        std::int64_t id = 0;
        bool dead_letter = false;  // failed dead_letter_after times: to the DLQ
    };
    std::vector<std::int64_t> published;
    std::vector<Failure> failures;  // in batch order
    // Envelopes not tried whose key may still go on (an earlier envelope of
    // the key was dead-lettered): the relay reads again from the first one.
    std::int64_t first_retry_id = 0;  // 0: none
};

// Settles a batch: acknowledged envelopes are published; a failed one is
// dead-lettered once it has failed dead_letter_after times (0: never),
// else its key is stopped in gate.
Settlement settle(const std::vector<OutboxMessage>& batch, const PublishResult& result,
                  int dead_letter_after, PartitionGate& gate);

struct RelayOptions {
    std::string target;         // as the user named the sink, for dead letters
    int limit = 0;              // envelopes tried at most (0: all)
    int dead_letter_after = 0;  // 0: never, the key stops instead
    std::size_t page_size = 1000;
    bool follow = false;  // keep polling for new envelopes until stop is asked
    std::chrono::milliseconds poll{1000};
    // Asked between batches: true ends the run after the current batch.
    std::function<bool()> stop_requested;
    // Told after each committed batch.
    std::function<void(std::int64_t published)> on_progress;
};

struct RelayFailure {
    std::int64_t id = 0;
    std::string message_id;
    std::string partition_key;
    std::string error;
    bool unreachable = false;  // the sink did not answer at all
    bool dead_lettered = false;
    std::string dlq_entry_id;
};

struct RelayReport {
    std::int64_t published = 0;
    std::int64_t failed = 0;  // failed and left in the outbox
    std::int64_t dead_lettered = 0;
    std::vector<std::string> stopped_keys;
    std::vector<RelayFailure> failures;
    // Every failure was the sink not answering at all.
    bool sink_unreachable = false;
};

// Runs the relay: pages of unpublished envelopes read oldest first, handed
// to the sink in batches of sink.preferred_batch(), each settled in one
// transaction (published marks, failures, dead letters, the requests made).
// Never calls the sink inside a transaction.
RelayReport relay(Store& store, Sink& sink, const RelayOptions& options);

}  // namespace salesint::delivery
