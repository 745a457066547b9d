// salesint inbox list | show ID | consume | forward ID | drain
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "progress.hpp"
#include "salesint/delivery/forward.hpp"
#include "salesint/domain/inbox.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/state_location.hpp"
#include "salesint/util/strings.hpp"
#include "webhook_options.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes =
    R"(JSON shape of an inbox entry (list: an array of them, without headers and body):
  {"tenant_id", "id", "delivery_id", "scheme", "verdict", "reason", "received_at",
   "processed_at", "forward_attempts", "forward_error", "body_bytes",
   "headers": {"Name": "value"}, "body" (UTF-8 text) or "body_base64" (other bytes)}
consume: {"new", "duplicate", "lines"}
forward: as 'webhook send' (delivered, outcome, status, delivery_id, correlation_id,
  attempts, dlq_entry_id)
drain: {"total", "forwarded", "failed", "dead_lettered", "left", "unreachable",
  "deliveries": [{"id", "delivery_id", "outcome", "status", "attempts", "error",
  "dlq_entry_id"}]}
Deliveries are stored once per scheme and delivery id (webhook-id, X-GitHub-Delivery,
X-Correlation-ID, or a digest of the signature when the scheme has no id); envelopes
consumed under scheme "envelope" by meta.message_id; a delivery 'webhook serve' refused
(verdict "rejected", its reason kept) under "r_" and a digest of its headers and body.
ID is an inbox id or a delivery id. forward and drain send a delivery unsigned, as it
came (its signature headers included), retrying like 'webhook send'; a delivery that
fails for good stays unprocessed and gets one DLQ entry (source "inbox"), however many
runs fail. Exit codes of forward and drain: 0 all delivered, 1 any failed, 5 the target
never answered.)";

const std::vector<Column> kColumns{
    {"id", "ID"},
    {"delivery_id", "DELIVERY ID"},
    {"scheme", "SCHEME"},
    {"verdict", "VERDICT"},
    {"received_at", "RECEIVED"},
    {"processed_at", "FORWARDED"},
    {"forward_attempts", "FAILED FORWARDS"},
    {"body_bytes", "BYTES"},
};

const std::vector<Column> kRejectedColumns{
    {"id", "ID"},
    {"delivery_id", "DELIVERY ID"},
    {"scheme", "SCHEME"},
    {"received_at", "RECEIVED"},
    {"body_bytes", "BYTES"},
    {"reason", "REASON"},
};

OrderedJson text_or_null(const std::string& text) {
    return text.empty() ? OrderedJson() : OrderedJson(text);
}

OrderedJson summary_json(const InboxEntry& entry, const std::string& tenant) {
    OrderedJson object = OrderedJson::object();
    object["tenant_id"] = tenant;
    object["id"] = entry.id;
    object["delivery_id"] = entry.delivery_id;
    object["scheme"] = entry.scheme;
    object["verdict"] = entry.verdict;
    object["reason"] = text_or_null(entry.reason);
    object["received_at"] = entry.received_at;
    object["processed_at"] = text_or_null(entry.processed_at);
    object["forward_attempts"] = entry.forward_attempts;
    object["forward_error"] = text_or_null(entry.forward_error);
    object["body_bytes"] = entry.body.size();
    return object;
}

OrderedJson full_json(const InboxEntry& entry, const std::string& tenant) {
    OrderedJson object = summary_json(entry, tenant);
    object["headers"] = OrderedJson::parse(entry.headers_json, nullptr, false);
    if (is_valid_utf8(entry.body)) {
        object["body"] = entry.body;
    } else {
        object["body_base64"] = base64_encode(entry.body);
    }
    return object;
}

// The stored headers as a raw block, as 'webhook verify --headers' reads one.
std::string header_block(const InboxEntry& entry) {
    std::string block;
    const OrderedJson headers = OrderedJson::parse(entry.headers_json, nullptr, false);
    if (headers.is_object()) {
        for (const auto& [name, value] : headers.items()) {
            if (value.is_string()) {
                block +=
                    escape_control(name) + ": " + escape_control(value.get<std::string>()) + "\n";
            }
        }
    }
    return block;
}

std::string shell_quoted(const std::string& text) {
    if (!text.empty() &&
        text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                               "._-/+=:@") == std::string::npos) {
        return text;
    }
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return escape_control(quoted + "'");
}

InboxView view_named(const std::string& status) {
    return status == "rejected"      ? InboxView::kRejected
           : status == "unprocessed" ? InboxView::kUnprocessed
           : status == "all"         ? InboxView::kAll
                                     : InboxView::kAccepted;
}

// The retry options forward and drain share with 'webhook send'.
struct RetryOptions {
    std::string to;
    int max_attempts = 5;
    std::string timeout = "30s";
    std::string backoff = "1s";
    std::string max_backoff = "30s";

    void add_to(Command& command) {
        command.option("--to", to, "Where to POST the delivery").type_name("URL").required();
        command.option("--max-attempts", max_attempts, "Attempts per delivery before giving up")
            .type_name("N")
            .range(1, 100);
        command.option("--timeout", timeout, "Time limit of one attempt").type_name("DURATION");
        command.option("--backoff", backoff, "Base of the exponential backoff (full jitter)")
            .type_name("DURATION");
        command.option("--max-backoff", max_backoff, "Longest wait between attempts")
            .type_name("DURATION");
    }

    delivery::ForwardPolicy policy() const {
        delivery::ForwardPolicy policy;
        policy.max_attempts = max_attempts;
        policy.timeout = duration_option(timeout, "--timeout");
        policy.backoff.base = duration_option(backoff, "--backoff");
        policy.backoff.cap = duration_option(max_backoff, "--max-backoff");
        policy.on_retry = [](const std::string& message) { log::warn(message); };
        return policy;
    }
};

const char* outcome_name(delivery::SendOutcome outcome) {
    switch (outcome) {
        case delivery::SendOutcome::kDelivered:
            return "delivered";
        case delivery::SendOutcome::kRefused:
            return "refused";
        case delivery::SendOutcome::kBlocked:
            return "blocked";
        case delivery::SendOutcome::kExhausted:
            break;
    }
    return "exhausted";
}

OrderedJson drained_json(const delivery::Forwarded& forwarded) {
    const auto& attempts = forwarded.result.attempts;
    const long status = attempts.empty() ? 0 : attempts.back().status;
    return {{"id", forwarded.entry.id},
            {"delivery_id", forwarded.entry.delivery_id},
            {"outcome", outcome_name(forwarded.result.outcome)},
            {"status", status > 0 ? OrderedJson(status) : OrderedJson()},
            {"attempts", attempts.size()},
            {"error", forwarded.delivered() || attempts.empty()
                          ? OrderedJson()
                          : OrderedJson(delivery::describe_attempt(attempts.back()))},
            {"dlq_entry_id", text_or_null(forwarded.dlq_entry_id)}};
}

void install_list_show(Command& group) {
    Context& context = group.context();
    auto status = std::make_shared<std::string>("accepted");
    auto limit = std::make_shared<int>(0);
    Command list = group.add(
        "list", "List deliveries, newest first (unprocessed: oldest first)", [=, &context] {
            InboxFilter filter;
            filter.view = view_named(*status);
            filter.limit = *limit;
            context.print_each(filter.view == InboxView::kRejected ? kRejectedColumns : kColumns,
                               context.store().list_inbox(filter), summary_json);
        });
    list.choice("--status", *status, {"accepted", "rejected", "unprocessed", "all"},
                "Which deliveries: accepted (default), rejected by 'webhook serve', accepted "
                "and not yet forwarded, or all");
    list.option("--limit", *limit, "Show at most N").type_name("N").range(0, 1000000000);

    auto id = std::make_shared<std::string>();
    auto body = std::make_shared<bool>(false);
    auto headers = std::make_shared<bool>(false);
    Command show =
        group.add("show", "Show one delivery: verdict and reason, headers, body, received time",
                  [=, &context] {
                      if (*body && *headers) {
                          throw usage_error("--body and --headers print one thing each; give one");
                      }
                      const InboxEntry entry = inbox::find_delivery(context.store(), *id);
                      if (*body) {
                          std::cout << entry.body << std::flush;
                          return;
                      }
                      if (*headers) {
                          std::cout << header_block(entry);
                          return;
                      }
                      context.print_object(full_json(entry, context.store().tenant()));
                      if (entry.verdict == "rejected" && context.format() == OutputFormat::kText) {
                          // The same state file and tenant as this command, for a shell (bash,
                          // zsh).
                          std::string salesint = "salesint";
                          if (context.options.state_path != "./salesint.db") {
                              salesint += " --state " +
                                          shell_quoted(printable_state(context.options.state_path));
                          }
                          if (context.options.tenant != "default") {
                              salesint += " --tenant " + shell_quoted(context.options.tenant);
                          }
                          const std::string ref = std::to_string(entry.id);
                          std::cout << "explain: salesint webhook verify --scheme " << entry.scheme
                                    << " --secret-env VAR --explain --now " << entry.received_at
                                    << " --payload <(" << salesint << " inbox show " << ref
                                    << " --body) --headers <(" << salesint << " inbox show " << ref
                                    << " --headers)\n";
                      }
                  });
    show.positional("ID", *id, "Inbox id or delivery id").required().identifier();
    show.flag("--body", *body, "Print only the body, byte for byte");
    show.flag("--headers", *headers, "Print only the headers, one 'Name: value' a line");
}

void install_consume(Command& group) {
    Context& context = group.context();
    auto from = std::make_shared<std::string>();
    Command consume =
        group.add("consume", "Load envelopes (NDJSON) into the inbox, once each by meta.message_id",
                  [=, &context] {
                      const inbox::ConsumeReport report = inbox::consume(context.store(), *from);
                      context.print_result("consumed " + display_name(*from) + ": " +
                                               std::to_string(report.added) + " new, " +
                                               std::to_string(report.duplicates) + " duplicate",
                                           OrderedJson{{"new", report.added},
                                                       {"duplicate", report.duplicates},
                                                       {"lines", report.lines}});
                  });
    consume
        .option("--from", *from,
                "NDJSON file of envelopes ('-' for stdin); a bad line refuses the whole file")
        .type_name("FILE")
        .required();
}

void install_forward(Command& group) {
    Context& context = group.context();
    auto id = std::make_shared<std::string>();
    auto retry = std::make_shared<RetryOptions>();
    Command forward = group.add(
        "forward", "Send one stored delivery to a URL again, retrying like 'webhook send'",
        [=, &context] {
            delivery::ForwardPolicy policy = retry->policy();
            Store& store = context.store();
            const InboxEntry entry = inbox::find_delivery(store, *id);
            delivery::Forwarded forwarded =
                delivery::forward(entry, retry->to, policy, "forward", /*dead_letter=*/true,
                                  [&store](const std::function<void(Store&)>& fn) { fn(store); });
            return print_send_result(context, forwarded.request, forwarded.result,
                                     forwarded.dlq_entry_id);
        });
    forward.positional("ID", *id, "Inbox id or delivery id").required().identifier();
    retry->add_to(forward);
}

void install_drain(Command& group) {
    Context& context = group.context();
    auto retry = std::make_shared<RetryOptions>();
    auto limit = std::make_shared<int>(0);
    Command drain = group.add(
        "drain",
        "Forward every unprocessed accepted delivery, oldest first; failures go to the DLQ",
        [=, &context] {
            delivery::DrainOptions options;
            options.url = retry->to;
            options.policy = retry->policy();
            options.limit = *limit;
            ProgressLine progress("deliveries", context.options.quiet);
            OrderedJson deliveries = OrderedJson::array();
            const bool text = context.format() == OutputFormat::kText;
            options.on_forwarded = [&](const delivery::Forwarded& forwarded, std::size_t done,
                                       std::size_t) {
                progress.update(done);
                deliveries.push_back(drained_json(forwarded));
                if (text && !forwarded.delivered()) {
                    progress.finish();
                    std::cout << "failed " << forwarded.entry.id << " "
                              << escape_control(forwarded.entry.delivery_id) << ": "
                              << escape_control(
                                     delivery::describe_attempt(forwarded.result.attempts.back()))
                              << "; DLQ entry " << forwarded.dlq_entry_id << '\n';
                }
            };
            const delivery::DrainReport report = delivery::drain(context.store(), options);
            progress.finish();
            const ExitCode answer = report.unreachable  ? ExitCode::kTransient
                                    : report.failed > 0 ? ExitCode::kNo
                                                        : ExitCode::kSuccess;
            if (text) {
                std::cout << "forwarded " << report.forwarded << " of " << report.total
                          << ", failed " << report.failed << " (" << report.dead_lettered
                          << " new in the DLQ)";
                if (report.left > 0) {
                    std::cout << ", " << report.left
                              << " left for a later run (the target did not answer)";
                }
                std::cout << '\n';
                return answer;
            }
            context.print_object({{"total", report.total},
                                  {"forwarded", report.forwarded},
                                  {"failed", report.failed},
                                  {"dead_lettered", report.dead_lettered},
                                  {"left", report.left},
                                  {"unreachable", report.unreachable},
                                  {"deliveries", deliveries}});
            return answer;
        });
    retry->add_to(drain);
    drain.option("--limit", *limit, "Forward at most N deliveries (0: all)")
        .type_name("N")
        .range(0, 1000000000);
}

}  // namespace

void install_inbox(Command group) {
    group.footer(kShapes);
    install_list_show(group);
    install_consume(group);
    install_forward(group);
    install_drain(group);
}

}  // namespace salesint::cli
