// Stored deliveries sent on: one inbox delivery forwarded to a URL with the
// retry rules of a signed delivery (sender.hpp) but unsigned, with the
// headers it arrived with; the inbox drained oldest first, a delivery that
// fails for good dead-lettered once; and the record of every webhook
// delivery (webhook_deliveries), delivered or not.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "salesint/delivery/sender.hpp"
#include "salesint/model.hpp"
#include "salesint/net/retry.hpp"
#include "salesint/store.hpp"

namespace salesint::delivery {

// Runs fn with the store to itself: a server whose threads share one store
// serialises them; a command passes its store straight through.
using WithStore = std::function<void(const std::function<void(Store&)>&)>;

struct ForwardPolicy {
    int max_attempts = 5;
    std::chrono::milliseconds timeout{30'000};
    net::Backoff backoff;
    // Told before each wait, as SendRequest::on_retry.
    std::function<void(const std::string&)> on_retry;
};

// The row of webhook_deliveries for one delivery (source: send, forward,
// drain, relay or replay): its outcome, attempts, last status, the time spent
// in its attempts, and when it ended.
WebhookDelivery delivery_record(const SendRequest& request, const SendResult& result,
                                const std::string& source);

// Headers that carry a credential (Authorization, cookies, API keys): sent
// on, never kept in a DLQ row.
bool is_credential_header(const std::string& name);

// The request that forwards a stored delivery to url: its body and delivery
// id, unsigned, with the headers it was stored with (its Content-Type and
// X-Correlation-ID kept; without one, the delivery id correlates it).
SendRequest forward_request(const InboxEntry& entry, const std::string& url,
                            const ForwardPolicy& policy);

// The DLQ entry (source "inbox", adapter "inbox:<scheme>", message id = the
// delivery id) of a stored delivery given up on. Its headers are the stored
// ones without signatures or credentials: a replay reads the inbox again.
DlqEntry inbox_dead_letter(const InboxEntry& entry, const SendRequest& request,
                           const SendResult& result);

struct Forwarded {
    InboxEntry entry;
    SendRequest request;
    SendResult result;
    std::string dlq_entry_id;        // the delivery's DLQ entry, when it failed and one is wanted
    bool dead_lettered_now = false;  // that entry was made by this forward

    bool delivered() const { return result.outcome == SendOutcome::kDelivered; }
};

// Forwards one stored delivery, then records in one transaction: the
// webhook_deliveries row (source), and either the delivery processed or its
// failure on the inbox row; with dead_letter, a failure also gets a DLQ entry
// unless the delivery has one already (so a second run makes none). A
// rejected delivery is refused (kept for explaining, never forwarded).
Forwarded forward(const InboxEntry& entry, const std::string& url, const ForwardPolicy& policy,
                  const std::string& source, bool dead_letter, const WithStore& with_store);

struct DrainOptions {
    std::string url;
    ForwardPolicy policy;
    int limit = 0;  // 0: every unprocessed delivery
    // The drain stops once this many deliveries in a row got no answer at all
    // from the target (it is down): the rest wait for a later run.
    int stop_after_unreachable = 3;
    // Told after each delivery: what became of it, how many are done, of how many.
    std::function<void(const Forwarded&, std::size_t done, std::size_t total)> on_forwarded;
};

struct DrainReport {
    std::size_t total = 0;          // unprocessed accepted deliveries taken when it started
    std::size_t forwarded = 0;      // delivered and marked processed
    std::size_t failed = 0;         // refused, or retries exhausted
    std::size_t dead_lettered = 0;  // DLQ entries made by this run
    std::size_t left = 0;           // not tried: the drain stopped
    bool unreachable = false;       // no attempt got an answer from the target
};

// Forwards every unprocessed accepted delivery, oldest first (the set is
// fixed when it starts), with source "drain" and dead letters.
DrainReport drain(Store& store, const DrainOptions& options);

}  // namespace salesint::delivery
